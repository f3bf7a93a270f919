import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.admin.startFirehose({
    auth: adminAuth(ctx),
    handler: async () => {
      const url = await ctx.firehoseReceiver().start();
      return { encoding: "application/json", body: { started: true, url } };
    },
  });
}
