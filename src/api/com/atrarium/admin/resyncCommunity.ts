import { MethodNotImplementedError } from "@atproto/xrpc-server";
import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.admin.resyncCommunity({
    auth: adminAuth(ctx),
    handler: async () => {
      throw new MethodNotImplementedError("resyncCommunity has not landed yet");
    },
  });
}
