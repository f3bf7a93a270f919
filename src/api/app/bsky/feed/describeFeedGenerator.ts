import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";

export default function (server: Server, ctx: AppContext) {
  server.app.bsky.feed.describeFeedGenerator({
    handler: async () => {
      const communities = await ctx.allCommunities();
      return {
        encoding: "application/json",
        body: { did: ctx.serviceDid, feeds: communities.map((c) => ({ uri: c.feed })) },
      };
    },
  });
}
