import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { communityPage } from "./util.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.community.listCommunities({
    handler: async ({ params }) => {
      const { uris, cursor } = await communityPage(ctx, params.limit, params.cursor);
      const views = await Promise.all(uris.map((uri) => ctx.communityFeed(uri).getCommunityView()));
      return {
        encoding: "application/json",
        body: { communities: views.filter((v) => v !== null), ...(cursor ? { cursor } : {}) },
      };
    },
  });
}
