import { InvalidRequestError } from "@atproto/xrpc-server";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { requireCommunity } from "./util.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.community.getCommunity({
    handler: async ({ params }) => {
      const feed = await requireCommunity(ctx, params.community, { hashtagTaken: true });
      const view = await feed.getCommunityView();
      if (!view) {
        // The isolate's cache said active, but the community lost its hashtag (or its config) meanwhile.
        const refusal = await feed.refusal();
        if (refusal) throw new InvalidRequestError(refusal, "HashtagTaken");
        throw new InvalidRequestError(`Community not found: ${params.community}`, "CommunityNotFound");
      }
      return { encoding: "application/json", body: view };
    },
  });
}
