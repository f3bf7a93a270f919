import { ForbiddenError } from "@atproto/xrpc-server";
import { serviceAuth } from "../../../../auth/service.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { requireCommunity, unwrapPage } from "./util.ts";

const NSID = "com.atrarium.community.getJoinRequests";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.community.getJoinRequests({
    auth: serviceAuth(ctx, NSID),
    handler: async ({ params, auth }) => {
      const feed = await requireCommunity(ctx, params.community);
      if (!(await feed.isModerator(auth.credentials.did))) {
        throw new ForbiddenError("Only the community's owner and moderators may read its join requests");
      }
      const page = unwrapPage(await feed.getJoinRequests(params.limit, params.cursor));
      return { encoding: "application/json", body: page };
    },
  });
}
