import { MethodNotImplementedError } from "@atproto/xrpc-server";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";

export default function (server: Server, _ctx: AppContext) {
  server.com.atrarium.sync.requestIndex({
    handler: async () => {
      throw new MethodNotImplementedError("requestIndex has not landed yet");
    },
  });
}
