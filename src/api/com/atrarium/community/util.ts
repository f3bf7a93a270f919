import { InvalidRequestError } from "@atproto/xrpc-server";
import type { AppContext } from "../../../../context.ts";
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
