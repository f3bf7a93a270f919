import { ForbiddenError } from "@atproto/xrpc-server";
import { serviceAuth } from "../../../../auth/service.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { requireCommunity, unwrapPage } from "../community/util.ts";

const NSID = "com.atrarium.moderation.getActions";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.moderation.getActions({
    auth: serviceAuth(ctx, NSID),
    handler: async ({ params, auth }) => {
      const feed = await requireCommunity(ctx, params.community);
      if (!(await feed.isModerator(auth.credentials.did))) {
        throw new ForbiddenError("Only the community's owner and moderators may read its moderation log");
      }
      const page = unwrapPage(await feed.getActions(params.limit, params.cursor));
      return { encoding: "application/json", body: page };
    },
  });
}
