import { IdResolver, MemoryCache } from "@atproto/identity";
import { AuthRequiredError, verifyJwt, XRPCError } from "@atproto/xrpc-server";
import type { AppContext } from "../context.ts";

export type ServiceAuth = { credentials: { type: "service"; did: string } };
export type OptionalServiceAuth = ServiceAuth | { credentials: { type: "none" } };

interface RequestLike {
  headers: { authorization?: string | undefined };
}

// DID documents are cached per isolate: fresh for 1 h, usable (refreshed in
// the background) for 24 h; verifyJwt refreshes once when a signature fails.
const DID_STALE_TTL_MS = 60 * 60 * 1000;
const DID_MAX_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * workerd rejects `redirect: "error"`, which @atproto/identity asks for; a
 * redirect answered with "manual" is not followed either, so it fails the same way.
 */
export const workerFetch: typeof fetch = (input, init) =>
  fetch(input, init?.redirect === "error" ? { ...init, redirect: "manual" } : init);

export function createIdResolver(plcUrl: string): IdResolver {
  return new IdResolver({
    plcUrl,
    timeout: 5000,
    didCache: new MemoryCache(DID_STALE_TTL_MS, DID_MAX_TTL_MS),
    fetch: workerFetch,
  });
}

function bearerToken(req: RequestLike): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  if (!header.startsWith("Bearer "))
    throw new AuthRequiredError("Unexpected authorization type", "AuthMissing");
  return header.slice("Bearer ".length).trim();
}

/** The audience claim, read before any key lookup so a token for someone else costs no DID resolution. */
function unverifiedAudience(token: string): unknown {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null ? (payload as { aud?: unknown }).aud : undefined;
  } catch {
    throw new AuthRequiredError("poorly formatted jwt", "BadJwt");
  }
}

async function verifyServiceJwt(ctx: AppContext, token: string, lxm: string): Promise<ServiceAuth> {
  // The audience may name the service DID alone or its #bsky_fg service;
  // verifyJwt checks expiry, lxm and the signature (refreshing the key once).
  const aud = unverifiedAudience(token);
  if (aud !== ctx.serviceDid && aud !== `${ctx.serviceDid}#bsky_fg`) {
    throw new AuthRequiredError("jwt audience does not match service did", "BadJwtAudience");
  }
  try {
    const payload = await verifyJwt(token, aud, lxm, (iss, forceRefresh) =>
      ctx.idResolver.did.resolveAtprotoKey(iss.split("#")[0] as string, forceRefresh),
    );
    return { credentials: { type: "service", did: payload.iss.split("#")[0] as string } };
  } catch (err) {
    if (err instanceof XRPCError) throw err;
    // verifyJwt lets parse errors and failed DID resolution escape as plain errors.
    throw new AuthRequiredError(
      `could not verify jwt: ${err instanceof Error ? err.message : String(err)}`,
      "BadJwt",
    );
  }
}

/** Service auth that a method requires: a signed JWT for this service and this method. */
export function serviceAuth(ctx: AppContext, lxm: string) {
  return async ({ req }: { req: RequestLike }): Promise<ServiceAuth> => {
    const token = bearerToken(req);
    if (!token) throw new AuthRequiredError("Service authentication required", "AuthMissing");
    return verifyServiceJwt(ctx, token, lxm);
  };
}

/** Public when no Authorization header is sent; a header that is sent must be valid. */
export function optionalServiceAuth(ctx: AppContext, lxm: string) {
  return async ({ req }: { req: RequestLike }): Promise<OptionalServiceAuth> => {
    const token = bearerToken(req);
    return token ? verifyServiceJwt(ctx, token, lxm) : { credentials: { type: "none" } };
  };
}
