// Queries answered by the Worker's index: communities, members, memberships,
// join requests, the moderation log, feed skeletons and the firehose status. Arguments are
// checked before anything is sent, so a bad URI fails here with a clear error.
import { COLLECTIONS, feedForCommunity } from "../records/address.ts";
import { requireCommunityUri, requireRecordUri } from "./addresses.ts";
import type { ClientContext } from "./context.ts";
import { readerHeaders, serviceAuthHeaders } from "./service.ts";
import type {
  ActionsPage,
  CommunitiesPage,
  CommunityView,
  FeedSkeleton,
  FirehoseStatus,
  JoinRequestsPage,
  MembershipStatus,
  MembersPage,
  Metrics,
  MetricsParams,
} from "./types.ts";

/** A page request: at most `limit` items after `cursor`. */
export interface Paging {
  limit?: number;
  cursor?: string;
}

/** One community as the index sees it. */
export async function getCommunity(ctx: ClientContext, community: string): Promise<CommunityView> {
  requireCommunityUri(community);
  return ctx.onWorker("getting the community", async () => {
    return (await ctx.worker.com.atrarium.community.getCommunity({ community })).data;
  });
}

/** The communities in the index, a page at a time. */
export async function listCommunities(ctx: ClientContext, params: Paging = {}): Promise<CommunitiesPage> {
  return ctx.onWorker("listing communities", async () => {
    return (await ctx.worker.com.atrarium.community.listCommunities(params)).data;
  });
}

/** A community's members, a page at a time. */
export async function getMembers(
  ctx: ClientContext,
  community: string,
  params: Paging = {},
): Promise<MembersPage> {
  requireCommunityUri(community);
  return ctx.onWorker("listing members", async () => {
    return (await ctx.worker.com.atrarium.community.getMembers({ community, ...params })).data;
  });
}

/** The index's view of one account (a DID) in a community. */
export async function getMembership(
  ctx: ClientContext,
  community: string,
  did: string,
): Promise<MembershipStatus> {
  requireCommunityUri(community);
  return ctx.onWorker("getting the membership", async () => {
    return (await ctx.worker.com.atrarium.community.getMembership({ community, actor: did })).data;
  });
}

/** The moderation log; only the owner and moderators are answered (service auth). */
export async function getActions(
  ctx: ClientContext,
  community: string,
  params: Paging = {},
): Promise<ActionsPage> {
  requireCommunityUri(community);
  const headers = await serviceAuthHeaders(ctx, "com.atrarium.moderation.getActions");
  return ctx.onWorker("getting moderation actions", async () => {
    return (await ctx.worker.com.atrarium.moderation.getActions({ community, ...params }, { headers })).data;
  });
}

/** The members waiting for approval; only the owner and moderators are answered (service auth). */
export async function getJoinRequests(
  ctx: ClientContext,
  community: string,
  params: Paging = {},
): Promise<JoinRequestsPage> {
  requireCommunityUri(community);
  const headers = await serviceAuthHeaders(ctx, "com.atrarium.community.getJoinRequests");
  return ctx.onWorker("getting the join requests", async () => {
    return (await ctx.worker.com.atrarium.community.getJoinRequests({ community, ...params }, { headers }))
      .data;
  });
}

/** The feed generator URI of a feed or community URI (a community maps to its feed). */
export function feedUriOf(feedOrCommunity: string): string {
  const feed = feedForCommunity(feedOrCommunity);
  if (feed) return feed;
  requireRecordUri(feedOrCommunity, COLLECTIONS.feedGenerator);
  return feedOrCommunity;
}

/**
 * The feed skeleton of a feed generator URI, or of a community URI (mapped to
 * its feed), read as the signed-in user when there is one (a members-only
 * feed gives its members the whole feed, anyone else the pinned posts).
 */
export async function getFeedSkeleton(
  ctx: ClientContext,
  feedOrCommunity: string,
  params: Paging = {},
): Promise<FeedSkeleton> {
  const feed = feedUriOf(feedOrCommunity);
  const headers = await readerHeaders(ctx);
  return ctx.onWorker("getting the feed", async () => {
    return (await ctx.worker.app.bsky.feed.getFeedSkeleton({ feed, ...params }, { headers })).data;
  });
}

/** The admin methods' credentials: HTTP Basic, user "admin", the Worker's ADMIN_PASSWORD. */
function adminHeaders(adminPassword: string): { authorization: string } {
  const bytes = new TextEncoder().encode(`admin:${adminPassword}`);
  return { authorization: `Basic ${btoa(String.fromCharCode(...bytes))}` };
}

/** Firehose consumer status (admin). */
export async function getFirehoseStatus(ctx: ClientContext, adminPassword: string): Promise<FirehoseStatus> {
  return ctx.onWorker("getting the firehose status", async () => {
    return (
      await ctx.worker.com.atrarium.admin.getFirehoseStatus({}, { headers: adminHeaders(adminPassword) })
    ).data;
  });
}

/** Request latency per method and counts per community (admin). */
export async function getMetrics(
  ctx: ClientContext,
  adminPassword: string,
  params: MetricsParams = {},
): Promise<Metrics> {
  return ctx.onWorker("getting the metrics", async () => {
    return (await ctx.worker.com.atrarium.admin.getMetrics(params, { headers: adminHeaders(adminPassword) }))
      .data;
  });
}
