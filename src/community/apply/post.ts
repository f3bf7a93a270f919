// Posts. Every post routed here is kept (for the feed window) whether or not
// it counts yet: a membership, a block or a config may arrive later and
// change that, so admission is recomputed rather than decided once.
import type { RecordEvent } from "../../firehose/events.ts";
import { atUri, COLLECTIONS } from "../../records/address.ts";
import { communityHashtags } from "../../records/hashtags.ts";
import { validatePost } from "../../records/validate.ts";
import { actionInForce, ofFamily } from "../periods.ts";
import type { CommunityState } from "../state.ts";
import { dateMicros, effectiveTime } from "../time.ts";
import { type ApplyOutcome, applied, deleted, ignored, rejected } from "./outcome.ts";

/** Posts whose effective time is older than this leave the index. */
export const POST_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

const NOT_ADMITTED = (did: string) =>
  `${did} was not an unblocked member when the post was made, or when it was seen`;

/** Whether the counting moderation on a post hides it now. */
export function hiddenNow(c: CommunityState, uri: string): boolean {
  return actionInForce(ofFamily(c.store.actions.countingOn("post", uri), "hide"))?.action === "hide_post";
}

export function applyPost(c: CommunityState, event: RecordEvent, now = Date.now()): ApplyOutcome {
  const uri = atUri(event.did, COLLECTIONS.post, event.rkey);
  const known = c.store.posts.state(uri);
  if (known.tombstone !== null && known.tombstone >= event.time) return ignored("post was deleted");
  if (event.operation === "delete") {
    if (known.observed !== null && known.observed > event.time) return ignored("a newer version is indexed");
    c.store.posts.remove(uri, event.time);
    return deleted;
  }
  if (known.observed !== null) {
    if (event.cid !== undefined && known.cid === event.cid) {
      // The same version seen again (a replay, or requestIndex after the firehose).
      if (event.time < known.observed) {
        c.store.posts.seenAgain(uri, event.time);
        c.standing.refresh(event.did);
      }
      return known.admitted === 1 || c.store.posts.state(uri).admitted === 1
        ? ignored("post unchanged")
        : rejected(NOT_ADMITTED(event.did));
    }
    if (known.observed > event.time) return ignored("older version");
  }
  const checked = validatePost(event.record);
  if (!checked.ok) return invalid(c, checked.reasons);
  if (c.refusal !== null) return { status: "misrouted", reason: "this community does not hold its hashtag" };
  const tags = communityHashtags(checked.value);
  const effective = effectiveTime(dateMicros(checked.value.createdAt), event.time);
  const sortAt = Math.floor(effective / 1000);
  if (known.observed === null && sortAt < now - POST_WINDOW_MS)
    return ignored("post is older than the feed window");
  if (!c.holdsPostsBy(event.did)) {
    c.store.meta.tellDirectory(event.did, "poster", true);
    c.notePoster(event.did);
  }
  const admitted = c.standing.admits(event.did, effective, event.time);
  const hashtag = c.config.hashtag;
  // Even a post without this community's hashtag is kept: it may be a newer
  // version of a tagged post, or the config may come to name its hashtag.
  const tagged = hashtag !== null && tags.includes(hashtag);
  c.store.posts.put({
    uri,
    author: event.did,
    cid: event.cid ?? null,
    observed: event.time,
    effective,
    created_at: checked.value.createdAt,
    sort_at: sortAt,
    hidden: c.mayBeModerated(uri) && hiddenNow(c, uri) ? 1 : 0,
    admitted: admitted ? 1 : 0,
    tags: tags.join(" "),
    tagged: tagged ? 1 : 0,
  });
  c.postsWritten = true;
  if (!admitted) return rejected(NOT_ADMITTED(event.did));
  return tagged ? applied() : ignored("post lacks this community's hashtag (kept until the config says)");
}

export function invalid(c: CommunityState, reasons: string[]): ApplyOutcome {
  c.store.meta.bump("invalid_records");
  return rejected(reasons.join("; "));
}
