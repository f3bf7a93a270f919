// Retention: posts whose effective time has left the 7-day window are
// dropped, a chunk at a time, and so are tombstones older than twice the
// window (no create that old can be indexed any more). When an author's last
// post goes, the Directory stops routing that author's deletes here.
import { POST_WINDOW_MS } from "./apply/post.ts";
import { dayOf } from "./store/activity-store.ts";
import type { CommunityStore } from "./store/index.ts";

const CHUNK = 1000;
/** Daily post counts are kept this long (the manage page shows 30 days). */
const ACTIVITY_DAYS = 60;
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** One retention pass; returns whether more is left to drop now. `onAuthorGone` hears of authors left without posts. */
export function expireOldPosts(
  store: CommunityStore,
  onAuthorGone: (did: string) => void = () => {},
  now = Date.now(),
): boolean {
  const cutoff = now - POST_WINDOW_MS;
  const { removed, authors } = store.posts.expire(cutoff, CHUNK);
  store.posts.expireTombstones((cutoff - POST_WINDOW_MS) * 1000, CHUNK);
  store.activity.forgetBefore(dayOf(now) - ACTIVITY_DAYS);
  for (const author of authors) {
    if (store.posts.hasPostsBy(author)) continue;
    store.meta.tellDirectory(author, "poster", false);
    onAuthorGone(author);
  }
  return removed >= CHUNK;
}
