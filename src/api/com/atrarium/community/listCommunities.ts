import { InvalidRequestError } from "@atproto/xrpc-server";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";

function decodeCursor(cursor: string): { claimedAt: number; uri: string } {
  const match = /^(\d+)::(at:\/\/.+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new InvalidRequestError("Malformed cursor");
  return { claimedAt: Number(match[1]), uri: match[2] as string };
}

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.community.listCommunities({
    handler: async ({ params }) => {
      const after = params.cursor ? decodeCursor(params.cursor) : undefined;
      const page = await ctx.directory().listCommunities(params.limit + 1, after);
      const shown = page.slice(0, params.limit);
      const views = await Promise.all(shown.map((c) => ctx.communityFeed(c.uri).getCommunityView()));
      const last = shown[shown.length - 1];
      return {
        encoding: "application/json",
        body: {
          communities: views.filter((v) => v !== null),
          ...(page.length > params.limit && last
            ? { cursor: Buffer.from(`${last.claimedAt}::${last.uri}`).toString("base64url") }
            : {}),
        },
      };
    },
  });
}
