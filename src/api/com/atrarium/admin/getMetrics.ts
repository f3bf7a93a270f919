import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { communityPage } from "../community/util.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.admin.getMetrics({
    auth: adminAuth(ctx),
    handler: async ({ params }) => {
      const { uris, cursor } = await communityPage(ctx, params.limit, params.cursor);
      // This isolate's latest requests count too: send them before reading the sums.
      await ctx.requests.flush();
      const [requests, counts] = await Promise.all([
        params.cursor ? [] : ctx.env.REQUEST_METRICS.getByName("requests").latency(params.minutes),
        Promise.all(uris.map((uri) => ctx.communityFeed(uri).operatorCounts())),
      ]);
      const communities = uris.flatMap((uri, i) => {
        const n = counts[i];
        return n ? [{ uri, ...n }] : [];
      });
      return {
        encoding: "application/json",
        body: { minutes: params.minutes, requests, communities, ...(cursor ? { cursor } : {}) },
      };
    },
  });
}
