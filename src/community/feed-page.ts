// One page of a community's feed skeleton: up to three pinned posts head the
// first page (most recently pinned first, each with a pin reason, counting
// toward the limit), then the chronological feed, newest first, without the
// pins shown above it. Filtering happens in the queries, before the limit,
// so pages are full. Who asks decides how much they get (the audience): the
// whole feed, or the pinned posts alone.
import { decodeCursor, decodePinCursor, encodeCursor, encodePinCursor, page } from "../paging.ts";
import type { CommunityState } from "./state.ts";
import type { ShownPin } from "./store/pin-store.ts";

/** At most this many pinned posts head the feed; an older pin is an ordinary post again. */
export const MAX_PINS = 3;

/** Who a page is for: a visible member or a public feed's reader ("full"), or anyone else of a members-only feed. */
export type FeedAudience = "full" | "pins-only";

const PIN_REASON = { $type: "app.bsky.feed.defs#skeletonReasonPin" } as const;

export interface SkeletonItem {
  post: string;
  reason?: typeof PIN_REASON;
}

export type FeedPage =
  | { ok: true; feed: SkeletonItem[]; cursor?: string }
  | { ok: false; error: "UnknownFeed" | "InvalidRequest"; message: string };

type Start =
  | { pinsServed: number; after: null }
  | { pinsServed: number; after: { sortAt: number; uri: string } };

/** Where a cursor says the page starts: after some pins, or after a position in the chronological feed. */
function start(cursor: string | undefined): Start | null {
  if (cursor === undefined) return { pinsServed: 0, after: null };
  const pinsServed = decodePinCursor(cursor);
  if (pinsServed !== null) return pinsServed <= MAX_PINS ? { pinsServed, after: null } : null;
  const after = decodeCursor(cursor);
  return after ? { pinsServed: MAX_PINS, after } : null;
}

const pinned = (p: ShownPin): SkeletonItem => ({ post: p.uri, reason: PIN_REASON });

export function feedPage(
  c: CommunityState,
  requestedLimit: number,
  cursor: string | undefined,
  audience: FeedAudience,
): FeedPage {
  const limit = Math.min(100, Math.max(1, Math.trunc(requestedLimit) || 50));
  const from = start(cursor);
  if (!from) return { ok: false, error: "InvalidRequest", message: "Malformed cursor" };
  const pins = c.store.pins.shown(MAX_PINS);
  const pinItems = from.after ? [] : pins.slice(from.pinsServed, from.pinsServed + limit).map(pinned);
  // The pinned posts alone, and no cursor: nothing follows them for this reader.
  if (audience === "pins-only") return { ok: true, feed: pinItems };
  const shown = pins.map((p) => p.uri);
  const room = limit - pinItems.length;
  if (room === 0) {
    // A page of pins only: the next one starts after them, if anything follows.
    const served = from.pinsServed + pinItems.length;
    const more = served < pins.length || c.store.posts.feedPage(1, null, shown).length > 0;
    return { ok: true, feed: pinItems, ...(more ? { cursor: encodePinCursor(served) } : {}) };
  }
  const rows = c.store.posts.feedPage(room + 1, from.after, shown);
  const { items, cursor: next } = page(rows, room, (r) => encodeCursor({ sortAt: r.sort_at, uri: r.uri }));
  return {
    ok: true,
    feed: [...pinItems, ...items.map((r) => ({ post: r.uri }))],
    ...(next ? { cursor: next } : {}),
  };
}
