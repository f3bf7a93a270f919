import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { requireCommunity } from "./util.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.community.getMembership({
    handler: async ({ params }) => {
      const feed = await requireCommunity(ctx, params.community);
      const membership = await feed.getMembership(params.actor);
      return {
        encoding: "application/json",
        body: { community: params.community, actor: params.actor, ...membership },
      };
    },
  });
}
