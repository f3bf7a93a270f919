import { InvalidRequestError } from "@atproto/xrpc-server";
import type { AppContext } from "../../../../context.ts";
import { parseCommunityUri } from "../../../../records/address.ts";

/** The CommunityFeed of an indexed community, or the declared CommunityNotFound error. */
export async function requireCommunity(ctx: AppContext, community: string) {
  const uri = parseCommunityUri(community)?.uri;
  if (!uri || !(await ctx.isActiveCommunity(uri))) {
    throw new InvalidRequestError(`Community not found: ${community}`, "CommunityNotFound");
  }
  return ctx.communityFeed(uri);
}

/** Paging errors from a CommunityFeed become 400 InvalidRequest. */
export function unwrapPage<T extends object>(page: T): Exclude<T, { error: string }> {
  if ("error" in page && typeof page.error === "string") throw new InvalidRequestError(page.error);
  return page as Exclude<T, { error: string }>;
}
