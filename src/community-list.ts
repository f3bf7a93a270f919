// One page of the listed communities with what lists show of them, for
// listCommunities and the home page: one Directory call, whatever the page's
// length or the number of communities (the summaries are told to the
// Directory by the communities themselves: src/community/summary-outbox.ts).
// A community that has not told its summary yet (one indexed before
// summaries existed) is asked directly, and its answer is filed for next time.
import type { AppContext } from "./context.ts";
import type { ListedCommunity, ListPosition } from "./directory/summaries.ts";
import type { CommunityView } from "./lexicon/types/com/atrarium/community/defs.ts";
import { decodeCursor, decodeKeyset, encodeCursor, encodeKeyset } from "./paging.ts";

export interface ListRequest {
  limit: number;
  cursor?: string;
  /** Whose communities come first (a DID). */
  viewer?: string;
  /** Only communities whose name or hashtag contains this. */
  search?: string;
}

export interface ListedView {
  view: CommunityView;
  /** The viewer belongs to it or moderates it. */
  mine: boolean;
}

/** A cursor that no list of ours produced. */
export const BAD_LIST_CURSOR = "bad-cursor" as const;

const MINE = "mine";

/**
 * Cursors: in the list of everyone's communities, the position cursor
 * listCommunities has always used (claim time and URI); in a viewer's own
 * part, the same wrapped in a keyset pair marked "mine".
 */
export function encodeListCursor(at: ListPosition): string {
  const position = encodeCursor({ sortAt: at.claimedAt, uri: at.uri });
  return at.mine ? encodeKeyset(MINE, position) : position;
}

export function decodeListCursor(cursor: string): ListPosition | null {
  const plain = decodeCursor(cursor);
  if (plain) return { mine: false, claimedAt: plain.sortAt, uri: plain.uri };
  const pair = decodeKeyset(cursor);
  const inner = pair?.[0] === MINE ? decodeCursor(pair[1]) : null;
  return inner ? { mine: true, claimedAt: inner.sortAt, uri: inner.uri } : null;
}

export async function listCommunityViews(
  ctx: AppContext,
  request: ListRequest,
): Promise<{ items: ListedView[]; cursor?: string } | typeof BAD_LIST_CURSOR> {
  const after = request.cursor === undefined ? undefined : decodeListCursor(request.cursor);
  if (after === null) return BAD_LIST_CURSOR;
  const found = await ctx.directory().listSummaries({
    limit: request.limit,
    ...(after ? { after } : {}),
    ...(request.viewer ? { viewer: request.viewer } : {}),
    ...(request.search ? { search: request.search } : {}),
  });
  const shown = found.slice(0, request.limit);
  const views = await withViews(ctx, shown);
  const last = shown[shown.length - 1];
  return {
    items: shown.flatMap((c) => {
      const view = views.get(c.uri);
      return view ? [{ view, mine: c.mine }] : [];
    }),
    ...(found.length > request.limit && last ? { cursor: encodeListCursor(last) } : {}),
  };
}

/** The views of a page: the Directory's, and for the few it lacks, the communities' own. */
async function withViews(ctx: AppContext, listed: ListedCommunity[]): Promise<Map<string, CommunityView>> {
  const views = new Map<string, CommunityView>();
  const missing: string[] = [];
  for (const c of listed) {
    if (c.view) views.set(c.uri, c.view);
    else missing.push(c.uri);
  }
  if (missing.length === 0) return views;
  const asked: (CommunityView | null)[] = await Promise.all(
    missing.map((uri) => ctx.communityFeed(uri).getCommunityView()),
  );
  const found = asked.filter((v) => v !== null);
  for (const view of found) views.set(view.uri, view);
  if (found.length > 0) await ctx.directory().fillMissingSummaries(found);
  return views;
}
