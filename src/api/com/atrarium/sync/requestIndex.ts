import { InvalidRequestError, ResponseType, XRPCError } from "@atproto/xrpc-server";
import { optionalServiceAuth } from "../../../../auth/service.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";
import { parseRecordUri } from "../../../../records/address.ts";
import { allowRequest } from "../../../../sync/rateLimit.ts";
import { applyRecordFromPds, INDEXABLE_COLLECTIONS } from "../../../../sync/requestIndex.ts";
import { upstreamError } from "../../../upstream-errors.ts";

const NSID = "com.atrarium.sync.requestIndex";

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
}

/** Signed-in callers are limited per DID, anonymous ones per client address. */
function callerKey(auth: { credentials: { type: string; did?: string } }, req: RequestLike): string {
  if (auth.credentials.did) return `did:${auth.credentials.did}`;
  const ip =
    req.headers["cf-connecting-ip"] ??
    req.headers["x-forwarded-for"] ??
    req.socket?.remoteAddress ??
    "unknown";
  return `ip:${String(ip).split(",")[0]?.trim()}`;
}

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.sync.requestIndex({
    auth: optionalServiceAuth(ctx, NSID),
    handler: async ({ input, auth, req }) => {
      if (!allowRequest(callerKey(auth, req))) {
        throw new XRPCError(
          ResponseType.RateLimitExceeded,
          "Too many requestIndex calls; wait a little and retry",
          "RateLimitExceeded",
        );
      }
      const address = parseRecordUri(input.body.uri);
      if (!address) throw new InvalidRequestError(`Not a record URI with a DID: ${input.body.uri}`);
      if (!INDEXABLE_COLLECTIONS.has(address.collection)) {
        throw new InvalidRequestError(
          `Only com.atrarium.* records and app.bsky.feed.post can be indexed, not ${address.collection}`,
          "UnsupportedCollection",
        );
      }
      try {
        const { result } = await applyRecordFromPds(ctx, address);
        return { encoding: "application/json", body: result };
      } catch (err) {
        throw upstreamError(err, `Cannot read ${input.body.uri}; nothing was changed`) ?? err;
      }
    },
  });
}
