import { InvalidRequestError } from "@atproto/xrpc-server";
import { optionalServiceAuth } from "../../../../auth/service.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { communityForFeed } from "../../../../records/address.ts";

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
      const read = () => ctx.communityFeed(community).getFeedSkeleton(params.limit, params.cursor);
      // The first page of a public feed is the same for everyone: one kept answer (src/hot-feed-cache.ts).
      const page =
        params.cursor === undefined
          ? await ctx.hotFeeds.get({ community, audience: "full", limit: params.limit }, read)
          : await read();
      if (!page.ok) throw new InvalidRequestError(page.message, page.error);
      return {
        encoding: "application/json",
        body: { feed: page.feed, ...(page.cursor ? { cursor: page.cursor } : {}) },
      };
    },
  });
}
