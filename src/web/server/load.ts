// What each page reads from the index (and, through the Hydrator, from the
// authors' servers). Pure reads; rendering is in pages/.

import { BAD_LIST_CURSOR, listCommunityViews } from "../../community-list.ts";
import type { AppContext } from "../../context.ts";
import { POSTS_PER_PAGE } from "../shared/limits.ts";
import { imagesOf } from "../shared/post.ts";
import { StaleCache } from "./cache.ts";
import type { Hydrator } from "./hydrate.ts";
import type { CommunityPage } from "./pages/community.ts";
import { COMMUNITIES_PER_PAGE, type HomePage } from "./pages/home.ts";
import { type ManagePage, MEMBERS_SHOWN } from "./pages/manage.ts";
import type { StartPage } from "./pages/start.ts";

/** A page asked for with a cursor that no page of ours produced. */
export const BAD_CURSOR = "bad-cursor" as const;

// Hashtag → community, per isolate: a page view should not always cost a
// Directory call. A new community is found at once (nothing negative is kept
// for long); a deleted one leaves within a minute.
const byHashtag = new StaleCache<string, string | null>({ maxEntries: 10_000, ttlMs: 60_000 });
const UNKNOWN_HASHTAG_TTL_MS = 2_000;

export async function communityByHashtag(ctx: AppContext, hashtag: string): Promise<string | null> {
  const hit = byHashtag.get(hashtag);
  if (hit?.fresh) return hit.value;
  const uri = (await ctx.directory().resolveHashtags([hashtag]))[hashtag] ?? null;
  byHashtag.set(hashtag, uri, Date.now(), uri ? undefined : UNKNOWN_HASHTAG_TTL_MS);
  return uri;
}

/**
 * A community page: its view and one page of its feed as an anonymous reader
 * gets it (getFeedSkeleton without a viewer). The page is read whole even for
 * a members-only feed, which shows such a reader its pinned posts alone: the
 * rest is hydrated too (not shown), so that a member's browser, which asks for
 * the whole page itself, finds its posts read and its images allowed (CSP).
 */
export async function loadCommunityPage(
  ctx: AppContext,
  hydrator: Hydrator,
  uri: string,
  cursor: string | undefined,
): Promise<(CommunityPage & { images: string[] }) | null | typeof BAD_CURSOR> {
  const feed = ctx.communityFeed(uri);
  const [view, skeleton] = await Promise.all([
    feed.getCommunityView(),
    feed.getFeedSkeleton(POSTS_PER_PAGE, cursor, "full"),
  ]);
  if (!view) return null;
  if (!skeleton.ok) return skeleton.error === "InvalidRequest" ? BAD_CURSOR : null;
  const pinned = new Set(skeleton.feed.filter((item) => item.reason).map((item) => item.post));
  const pinsOnly = view.feedVisibility === "members";
  const [posts, handles] = await Promise.all([
    hydrator.posts(skeleton.feed.map((item) => item.post)),
    hydrator.handles([view.owner, ...view.moderators]),
  ]);
  return {
    view,
    posts: pinsOnly ? posts.filter((post) => pinned.has(post.uri)) : posts,
    pinned,
    pinsOnly,
    handles,
    images: posts.flatMap(imagesOf),
    older: cursor !== undefined,
    ...(skeleton.cursor && !pinsOnly ? { cursor: skeleton.cursor } : {}),
  };
}

/** The home page's list: one Directory call (src/community-list.ts), the viewer's communities first. */
export async function loadHomePage(
  ctx: AppContext,
  request: { cursor?: string; search?: string; viewer?: string },
): Promise<HomePage | typeof BAD_CURSOR> {
  const page = await listCommunityViews(ctx, { limit: COMMUNITIES_PER_PAGE, ...request });
  if (page === BAD_LIST_CURSOR) return BAD_CURSOR;
  return {
    mine: page.items.filter((item) => item.mine).map((item) => item.view),
    others: page.items.filter((item) => !item.mine).map((item) => item.view),
    older: request.cursor !== undefined,
    ...(page.cursor ? { cursor: page.cursor } : {}),
    ...(request.search ? { search: request.search } : {}),
    ...(request.viewer ? { viewer: request.viewer } : {}),
  };
}

export async function loadManagePage(
  ctx: AppContext,
  hydrator: Hydrator,
  uri: string,
): Promise<ManagePage | null> {
  const feed = ctx.communityFeed(uri);
  const [view, members, stats] = await Promise.all([
    feed.getCommunityView(),
    feed.getMembers(MEMBERS_SHOWN),
    feed.getStats(),
  ]);
  if (!view || "error" in members || !stats) return null;
  const handles = await hydrator.handles([
    view.owner,
    ...view.moderators,
    ...members.members.map((m) => m.did),
  ]);
  return { view, members: members.members, moreMembers: members.cursor !== undefined, handles, stats };
}

export async function loadStartPage(
  ctx: AppContext,
  hydrator: Hydrator,
  uri: string,
): Promise<StartPage | null> {
  const view = await ctx.communityFeed(uri).getCommunityView();
  if (!view) return null;
  const ownerHandle = (await hydrator.handles([view.owner])).get(view.owner);
  return { view, ...(ownerHandle ? { ownerHandle } : {}) };
}
