import { InvalidRequestError } from "@atproto/xrpc-server";
import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { resyncCommunity } from "../../../../sync/resync.ts";
import { upstreamError } from "../../../upstream-errors.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.admin.resyncCommunity({
    auth: adminAuth(ctx),
    handler: async ({ input }) => {
      try {
        const report = await resyncCommunity(ctx, input.body.community);
        if (!report)
          throw new InvalidRequestError(`Not a community URI: ${input.body.community}`, "CommunityNotFound");
        return { encoding: "application/json", body: report };
      } catch (err) {
        throw upstreamError(err, "Cannot read the owner's repo") ?? err;
      }
    },
  });
}
