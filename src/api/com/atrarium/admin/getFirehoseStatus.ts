import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.admin.getFirehoseStatus({
    auth: adminAuth(ctx),
    handler: async () => {
      const status = await ctx.firehoseReceiver().getStatus();
      return { encoding: "application/json", body: status };
    },
  });
}
