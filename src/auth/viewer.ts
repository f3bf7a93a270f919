// Who asks for a feed: the viewer named (iss) in the service-auth JWT that the
// AppView forwards with getFeedSkeleton. Optional by nature: a missing,
// malformed, expired or foreign token means "no one we know", never a failed
// request. The token is never logged, nor any error text (a parse error can
// quote it): only the error's name.
import { XRPCError } from "@atproto/xrpc-server";
import type { AppContext } from "../context.ts";
import { serviceAuth } from "./service.ts";

interface RequestLike {
  headers: { authorization?: string | undefined };
}

/** The verified viewer's DID, or null when the request names none that verifies. */
export async function verifiedViewer(ctx: AppContext, req: RequestLike, lxm: string): Promise<string | null> {
  if (!req.headers.authorization) return null;
  try {
    return (await serviceAuth(ctx, lxm)({ req })).credentials.did;
  } catch (err) {
    const reason = err instanceof XRPCError ? (err.customErrorName ?? err.constructor.name) : "Error";
    console.warn(JSON.stringify({ event: "viewer_unverified", lxm, reason }));
    return null;
  }
}
