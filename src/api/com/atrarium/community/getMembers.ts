import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { requireCommunity, unwrapPage } from "./util.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.community.getMembers({
    handler: async ({ params }) => {
      const feed = await requireCommunity(ctx, params.community);
      const page = unwrapPage(await feed.getMembers(params.limit, params.cursor));
      return { encoding: "application/json", body: page };
    },
  });
}
