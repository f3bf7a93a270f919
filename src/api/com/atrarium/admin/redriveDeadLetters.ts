import { InvalidRequestError } from "@atproto/xrpc-server";
import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import { redriveDeadLetters } from "../../../../dead-letters/redrive.ts";
import type { Server } from "../../../../lexicon/index.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.admin.redriveDeadLetters({
    auth: adminAuth(ctx),
    handler: async ({ input }) => {
      const given = input.body.ids;
      const bad = given?.find((id) => !/^\d{1,15}$/.test(id));
      if (bad !== undefined) throw new InvalidRequestError(`Not a dead letter id: ${bad}`);
      const results = await redriveDeadLetters(ctx, given?.map(Number));
      const counts = await ctx.deadLetters().counts();
      return {
        encoding: "application/json",
        body: {
          redriven: results.filter((r) => r.status === "redriven").length,
          failed: results.filter((r) => r.status === "failed").length,
          remaining: counts.messages,
          results: results.map((r) => ({ ...r, id: String(r.id) })),
        },
      };
    },
  });
}
