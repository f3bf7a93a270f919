import { IdResolver, MemoryCache } from "@atproto/identity";
import { isValidDid } from "@atproto/syntax";
import { AuthRequiredError, cryptoVerifySignatureWithKey, verifyJwt, XRPCError } from "@atproto/xrpc-server";
import type { AppContext } from "../context.ts";
import { guardedFetcher, UnreachableError } from "../net/guarded-fetch.ts";

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
 * The fetch DIDs are resolved with, through the Worker's guarded fetch
 * (src/net/). The PLC directory is the operator's choice (PLC_URL) and is
 * trusted as configured; any other host is a did:web host named by whoever
 * wrote the DID (a record's author, a JWT's issuer), so it is judged like a
 * PDS endpoint before anything is sent to it. @atproto/identity takes any
 * non-2xx from a did:web host for "no such DID": an outage (5xx, 429) is
 * thrown instead, so that it is never taken for an unknown DID.
 */
export function identityFetch(plcUrl: string, allowPrivate: boolean): typeof fetch {
  const guarded = guardedFetcher({ allowPrivate, trusted: [new URL(plcUrl).origin], what: "did:web host" });
  return async (input, init) => {
    const res = await guarded(input, init);
    if (res.status < 500 && res.status !== 429) return res;
    await res.body?.cancel();
    const url = new URL(input instanceof Request ? input.url : String(input));
    throw new UnreachableError(url.host, `answered ${res.status}`);
  };
}

export function createIdResolver(plcUrl: string, allowPrivate: boolean): IdResolver {
  return new IdResolver({
    plcUrl,
    timeout: 5000,
    didCache: new MemoryCache(DID_STALE_TTL_MS, DID_MAX_TTL_MS),
    fetch: identityFetch(plcUrl, allowPrivate),
  });
}

function bearerToken(req: RequestLike): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  if (!header.startsWith("Bearer "))
    throw new AuthRequiredError("Unexpected authorization type", "AuthMissing");
  return header.slice("Bearer ".length).trim();
}

// The caller's PDS and this Worker do not share a clock: a token whose `exp`
// passed this recently is still taken, with every other check intact.
const CLOCK_LEEWAY_S = 30;

interface JwtParts {
  header: { alg?: unknown; typ?: unknown };
  payload: { aud?: unknown; exp?: unknown; iss?: unknown; lxm?: unknown };
}

/** Header and claims, unverified: read before any key lookup, so a token for someone else costs no DID resolution. */
function decodeJwt(token: string): JwtParts {
  const [header, payload] = token.split(".");
  try {
    return {
      header: JSON.parse(Buffer.from(header ?? "", "base64url").toString("utf8")),
      payload: JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")),
    };
  } catch {
    throw new AuthRequiredError("poorly formatted jwt", "BadJwt");
  }
}

type KeyLookup = (iss: string, forceRefresh: boolean) => Promise<string>;

const didOf = (iss: string) => iss.split("#")[0] as string;

/**
 * The audiences a token may name: the service DID alone, its #bsky_fg service
 * (the AppView calling the feed), or its #atrarium service (a user's PDS
 * proxying an app's call with `atproto-proxy: <did>#atrarium`).
 */
export function acceptedAudiences(serviceDid: string): Set<string> {
  return new Set([serviceDid, `${serviceDid}#bsky_fg`, `${serviceDid}#atrarium`]);
}

async function verifyServiceJwt(ctx: AppContext, token: string, lxm: string): Promise<ServiceAuth> {
  const { payload } = decodeJwt(token);
  const aud = payload.aud;
  if (typeof aud !== "string" || !acceptedAudiences(ctx.serviceDid).has(aud)) {
    throw new AuthRequiredError("jwt audience does not match service did", "BadJwtAudience");
  }
  const getKey: KeyLookup = (iss, forceRefresh) =>
    ctx.idResolver.did.resolveAtprotoKey(didOf(iss), forceRefresh);
  try {
    // verifyJwt checks expiry, lxm, iss and the signature (refreshing the key once).
    const verified = await verifyJwt(token, aud, lxm, getKey);
    return { credentials: { type: "service", did: didOf(verified.iss) } };
  } catch (err) {
    const exp = payload.exp;
    const late = err instanceof XRPCError && err.customErrorName === "JwtExpired" && typeof exp === "number";
    if (late && Date.now() / 1000 <= exp + CLOCK_LEEWAY_S) {
      return {
        credentials: { type: "service", did: didOf(await verifyExpiredWithinLeeway(token, lxm, getKey)) },
      };
    }
    if (err instanceof XRPCError) throw err;
    // verifyJwt lets parse errors and failed DID resolution escape as plain errors.
    throw new AuthRequiredError(
      `could not verify jwt: ${err instanceof Error ? err.message : String(err)}`,
      "BadJwt",
    );
  }
}

/**
 * Token types verifyJwt refuses: OAuth access tokens (RFC 9068), the
 * @atproto packages' refresh tokens and DPoP proofs (RFC 9449) are no
 * service tokens.
 */
const NOT_SERVICE_TOKENS = new Set(["at+jwt", "refresh+jwt", "dpop+jwt"]);

/** verifyJwt has no leeway: the same checks for a token just past `exp`, expiry aside. */
export async function verifyExpiredWithinLeeway(
  token: string,
  lxm: string,
  getKey: KeyLookup,
): Promise<string> {
  const { header, payload } = decodeJwt(token);
  if (typeof header.typ === "string" && NOT_SERVICE_TOKENS.has(header.typ))
    throw new AuthRequiredError(`Invalid jwt type "${header.typ}"`, "BadJwtType");
  if (payload.lxm !== lxm)
    throw new AuthRequiredError(`bad jwt lexicon method ("lxm"). must match: ${lxm}`, "BadJwtLexiconMethod");
  if (typeof payload.iss !== "string" || !isValidDid(didOf(payload.iss))) {
    throw new AuthRequiredError("jwt iss is not a valid did", "BadJwtIss");
  }
  const [h, p, sig] = token.split(".");
  const message = Buffer.from(`${h}.${p}`, "utf8");
  const signature = Buffer.from(sig ?? "", "base64url");
  for (const forceRefresh of [false, true]) {
    const key = await getKey(payload.iss, forceRefresh);
    const valid = await cryptoVerifySignatureWithKey(key, message, signature, String(header.alg)).catch(
      () => false,
    );
    if (valid) return payload.iss;
  }
  throw new AuthRequiredError("jwt signature does not match jwt issuer", "BadJwtSignature");
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
