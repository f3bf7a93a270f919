import { InvalidRequestError } from "@atproto/xrpc-server";
import type { AppContext } from "../../../../context.ts";
import { keptAnswer } from "../../../../hot-feed-cache.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { communityForFeed } from "../../../../records/address.ts";
import { feedAudience } from "./audience.ts";

/** The community a feed URI names, if the index serves it; else the declared UnknownFeed error. */
async function servedCommunity(ctx: AppContext, feed: string): Promise<string> {
  const community = communityForFeed(feed);
  if (community && (await ctx.isActiveCommunity(community))) return community;
  const standing = community ? await ctx.directory().communityStanding(community) : null;
  const why = standing?.status === "refused" ? ` (${standing.reason})` : "";
  throw new InvalidRequestError(`Unknown feed: ${feed}${why}`, "UnknownFeed");
}

const NSID = "app.bsky.feed.getFeedSkeleton";

export default function (server: Server, ctx: AppContext) {
  server.app.bsky.feed.getFeedSkeleton({
    // No auth stage: the AppView's token only says who the viewer is, and a bad one
    // never fails the request (design.md, "Who sees the feed"). feedAudience reads it.
    handler: async ({ params, req }) => {
      const community = await servedCommunity(ctx, params.feed);
      const audience = await feedAudience(ctx, community, req);
      const read = async () => {
        const page = await ctx
          .communityFeed(community)
          .getFeedSkeleton(params.limit, params.cursor, audience);
        if (!page.ok) throw new InvalidRequestError(page.message, page.error);
        return { feed: page.feed, ...(page.cursor ? { cursor: page.cursor } : {}) };
      };
      // A first page is the same for everyone of one audience: one kept answer (src/hot-feed-cache.ts).
      if (params.cursor === undefined) {
        const key = { community, audience, limit: params.limit };
        return ctx.hotFeeds.get(key, async () => keptAnswer(NSID, await read()));
      }
      return { encoding: "application/json", body: await read() };
    },
  });
}
