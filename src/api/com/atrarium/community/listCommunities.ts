import { InvalidRequestError } from "@atproto/xrpc-server";
import { BAD_LIST_CURSOR, listCommunityViews } from "../../../../community-list.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.community.listCommunities({
    handler: async ({ params }) => {
      // One Directory call: it keeps what lists show of each community.
      const page = await listCommunityViews(ctx, { limit: params.limit, cursor: params.cursor });
      if (page === BAD_LIST_CURSOR) throw new InvalidRequestError("Malformed cursor");
      return {
        encoding: "application/json",
        body: {
          communities: page.items.map((item) => item.view),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
      };
    },
  });
}
