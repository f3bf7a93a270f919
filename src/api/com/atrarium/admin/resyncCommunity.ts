import { InvalidRequestError, UpstreamFailureError } from "@atproto/xrpc-server";
import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { PdsLookupError, PdsUnreachableError } from "../../../../sync/pds.ts";
import { resyncCommunity } from "../../../../sync/resync.ts";

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
        if (err instanceof PdsUnreachableError || err instanceof PdsLookupError) {
          throw new UpstreamFailureError(`Cannot read the owner's repo: ${err.message}`, "PdsUnreachable");
        }
        throw err;
      }
    },
  });
}
