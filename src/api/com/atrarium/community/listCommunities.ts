import { InvalidRequestError } from "@atproto/xrpc-server";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { decodeCursor, encodeCursor } from "../../../../paging.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.community.listCommunities({
    handler: async ({ params }) => {
      const position = params.cursor === undefined ? undefined : decodeCursor(params.cursor);
      if (position === null) throw new InvalidRequestError("Malformed cursor");
      const after = position && { claimedAt: position.sortAt, uri: position.uri };
      const page = await ctx.directory().listCommunities(params.limit + 1, after);
      const shown = page.slice(0, params.limit);
      const views = await Promise.all(shown.map((c) => ctx.communityFeed(c.uri).getCommunityView()));
      const last = shown[shown.length - 1];
      return {
        encoding: "application/json",
        body: {
          communities: views.filter((v) => v !== null),
          ...(page.length > params.limit && last
            ? { cursor: encodeCursor({ sortAt: last.claimedAt, uri: last.uri }) }
            : {}),
        },
      };
    },
  });
}
