import { InvalidRequestError } from "@atproto/xrpc-server";
import { optionalServiceAuth } from "../../../../auth/service.ts";
import type { AppContext } from "../../../../context.ts";
import { keptAnswer } from "../../../../hot-feed-cache.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { communityForFeed } from "../../../../records/address.ts";

const NSID = "app.bsky.feed.getFeedSkeleton";

export default function (server: Server, ctx: AppContext) {
  server.app.bsky.feed.getFeedSkeleton({
    auth: optionalServiceAuth(ctx, "app.bsky.feed.getFeedSkeleton"),
    handler: async ({ params }) => {
      const community = communityForFeed(params.feed);
      if (!community || !(await ctx.isActiveCommunity(community))) {
        const standing = community ? await ctx.directory().communityStanding(community) : null;
        const why = standing?.status === "refused" ? ` (${standing.reason})` : "";
        throw new InvalidRequestError(`Unknown feed: ${params.feed}${why}`, "UnknownFeed");
      }
      const read = async () => {
        const page = await ctx.communityFeed(community).getFeedSkeleton(params.limit, params.cursor);
        if (!page.ok) throw new InvalidRequestError(page.message, page.error);
        return { feed: page.feed, ...(page.cursor ? { cursor: page.cursor } : {}) };
      };
      // The first page of a public feed is the same for everyone: one kept answer (src/hot-feed-cache.ts).
      if (params.cursor === undefined) {
        const key = { community, audience: "full" as const, limit: params.limit };
        return ctx.hotFeeds.get(key, async () => keptAnswer(NSID, await read()));
      }
      return { encoding: "application/json", body: await read() };
    },
  });
}
