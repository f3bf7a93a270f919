import { InvalidRequestError } from "@atproto/xrpc-server";
import type { AppContext } from "../../../../context.ts";
import { decodeCursor, encodeCursor } from "../../../../paging.ts";
import { parseCommunityUri } from "../../../../records/address.ts";

/**
 * The CommunityFeed of an indexed community, or the declared CommunityNotFound
 * error. A community refused its hashtag is not served; with `hashtagTaken`
 * the caller declares the HashtagTaken error that says why.
 */
export async function requireCommunity(
  ctx: AppContext,
  community: string,
  options: { hashtagTaken?: boolean } = {},
) {
  const uri = parseCommunityUri(community)?.uri;
  if (uri && (await ctx.isActiveCommunity(uri))) return ctx.communityFeed(uri);
  const standing = uri ? await ctx.directory().communityStanding(uri) : { status: "unknown" as const };
  if (standing.status === "refused" && options.hashtagTaken)
    throw new InvalidRequestError(standing.reason, "HashtagTaken");
  const why =
    standing.status === "refused"
      ? ` (${standing.reason})`
      : standing.status === "deleted"
        ? " (its config was deleted)"
        : "";
  throw new InvalidRequestError(`Community not found: ${community}${why}`, "CommunityNotFound");
}

/** Paging errors from a CommunityFeed become 400 InvalidRequest. */
export function unwrapPage<T extends object>(page: T): Exclude<T, { error: string }> {
  if ("error" in page && typeof page.error === "string") throw new InvalidRequestError(page.error);
  return page as Exclude<T, { error: string }>;
}

/**
 * One page of the indexed communities, in the Directory's order (the order
 * hashtags were claimed), and the cursor to the next page if there is one.
 */
export async function communityPage(
  ctx: AppContext,
  limit: number,
  cursor: string | undefined,
): Promise<{ uris: string[]; cursor?: string }> {
  const position = cursor === undefined ? undefined : decodeCursor(cursor);
  if (position === null) throw new InvalidRequestError("Malformed cursor");
  const after = position && { claimedAt: position.sortAt, uri: position.uri };
  const page = await ctx.directory().listCommunities(limit + 1, after);
  const shown = page.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    uris: shown.map((c) => c.uri),
    ...(page.length > limit && last
      ? { cursor: encodeCursor({ sortAt: last.claimedAt, uri: last.uri }) }
      : {}),
  };
}
