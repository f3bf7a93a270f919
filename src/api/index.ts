import type { AppContext } from "../context.ts";
import type { Server } from "../lexicon/index.ts";
import describeFeedGenerator from "./app/bsky/feed/describeFeedGenerator.ts";
import getFeedSkeleton from "./app/bsky/feed/getFeedSkeleton.ts";
import getFirehoseStatus from "./com/atrarium/admin/getFirehoseStatus.ts";
import getMetrics from "./com/atrarium/admin/getMetrics.ts";
import listDeadLetters from "./com/atrarium/admin/listDeadLetters.ts";
import redriveDeadLetters from "./com/atrarium/admin/redriveDeadLetters.ts";
import resyncCommunity from "./com/atrarium/admin/resyncCommunity.ts";
import startFirehose from "./com/atrarium/admin/startFirehose.ts";
import getCommunity from "./com/atrarium/community/getCommunity.ts";
import getJoinRequests from "./com/atrarium/community/getJoinRequests.ts";
import getMembers from "./com/atrarium/community/getMembers.ts";
import getMembership from "./com/atrarium/community/getMembership.ts";
import listCommunities from "./com/atrarium/community/listCommunities.ts";
import getActions from "./com/atrarium/moderation/getActions.ts";
import requestIndex from "./com/atrarium/sync/requestIndex.ts";

/** Registers every XRPC method on the generated server, one file per method. */
export default function registerApi(server: Server, ctx: AppContext): void {
  getFeedSkeleton(server, ctx);
  describeFeedGenerator(server, ctx);
  getCommunity(server, ctx);
  listCommunities(server, ctx);
  getMembers(server, ctx);
  getMembership(server, ctx);
  getJoinRequests(server, ctx);
  getActions(server, ctx);
  requestIndex(server, ctx);
  getFirehoseStatus(server, ctx);
  getMetrics(server, ctx);
  startFirehose(server, ctx);
  resyncCommunity(server, ctx);
  listDeadLetters(server, ctx);
  redriveDeadLetters(server, ctx);
}
