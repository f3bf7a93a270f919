import { InvalidRequestError } from "@atproto/xrpc-server";
import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { decodeCursor, encodeCursor } from "../../../../paging.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.admin.getMetrics({
    auth: adminAuth(ctx),
    handler: async ({ params }) => {
      const position = params.cursor === undefined ? undefined : decodeCursor(params.cursor);
      if (position === null) throw new InvalidRequestError("Malformed cursor");
      const after = position && { claimedAt: position.sortAt, uri: position.uri };
      const page = await ctx.directory().listCommunities(params.limit + 1, after);
      const shown = page.slice(0, params.limit);
      const last = shown[shown.length - 1];
      // This isolate's latest requests count too: send them before reading the sums.
      await ctx.requests.flush();
      const [requests, counts] = await Promise.all([
        position ? [] : ctx.env.REQUEST_METRICS.getByName("requests").latency(params.minutes),
        Promise.all(shown.map((c) => ctx.communityFeed(c.uri).operatorCounts())),
      ]);
      const communities = shown.flatMap((c, i) => {
        const n = counts[i];
        return n ? [{ uri: c.uri, ...n }] : [];
      });
      return {
        encoding: "application/json",
        body: {
          minutes: params.minutes,
          requests,
          communities,
          ...(page.length > params.limit && last
            ? { cursor: encodeCursor({ sortAt: last.claimedAt, uri: last.uri }) }
            : {}),
        },
      };
    },
  });
}
