import type { AppContext } from "../context.ts";
import { checkPdsEndpoint, checkPublicUrl } from "../net/address.ts";
import { AddressRefusedError, UnreachableError } from "../net/guarded-fetch.ts";
import { type XrpcAnswer, xrpcGet } from "../net/xrpc-get.ts";

// Reads records from their authors' own PDSes: the source of truth that
// requestIndex and resync go back to, through the Worker's one guarded XRPC
// GET (src/net/): a timeout per call, retries with backoff for outages, the
// per-host breaker, and every redirect hop judged by the address guard.

const ATTEMPTS = 3;
const TIMEOUT_MS = 5_000;

/** The author's PDS could not be reached (after retries, or its breaker is open). */
export class PdsUnreachableError extends Error {
  readonly host: string;
  constructor(host: string, detail: string) {
    super(`PDS ${host} is unreachable: ${detail}`);
    this.host = host;
  }
}

/** The author's DID could not be resolved to a PDS we may contact. */
export class PdsLookupError extends Error {}

/** The DID itself could not be resolved (unknown, its directory or host unreachable or refused, a bad document). */
export class DidResolutionError extends PdsLookupError {}

/** The DID document names a PDS endpoint (or the PDS redirects to a place) the guard refuses. */
export class PdsRefusedError extends PdsLookupError {}

export interface PdsRecord {
  uri: string;
  cid: string;
  value: Record<string, unknown>;
}

export async function resolvePds(ctx: AppContext, did: string): Promise<URL> {
  let endpoint: string;
  try {
    endpoint = (await ctx.idResolver.did.resolveAtprotoData(did)).pds;
  } catch (err) {
    throw new DidResolutionError(
      `could not resolve ${did}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const checked = checkPdsEndpoint(endpoint, ctx.env.ALLOW_PRIVATE_PDS === "true");
  if (!checked.ok) throw new PdsRefusedError(`${did}: ${checked.reason}`);
  return checked.url;
}

/**
 * One XRPC GET to a PDS that resolvePds let through. From a public endpoint
 * every redirect hop must be public too; only a private one (local
 * development) may lead to other private hosts.
 */
async function pdsGet(pds: URL, nsid: string, params: Record<string, string>): Promise<XrpcAnswer> {
  try {
    return await xrpcGet(pds, nsid, Object.entries(params), {
      allowPrivate: !checkPublicUrl(pds, false).ok,
      what: "PDS endpoint",
      attempts: ATTEMPTS,
      timeoutMs: TIMEOUT_MS,
    });
  } catch (err) {
    if (err instanceof AddressRefusedError) throw new PdsRefusedError(`PDS ${err.message}`);
    if (err instanceof UnreachableError) throw new PdsUnreachableError(pds.host, err.detail);
    throw err;
  }
}

/** One record from its author's PDS, or null when the PDS says it does not exist. */
export async function getRecord(
  pds: URL,
  did: string,
  collection: string,
  rkey: string,
): Promise<PdsRecord | null> {
  const answer = await pdsGet(pds, "com.atproto.repo.getRecord", { repo: did, collection, rkey });
  if (answer.ok) return answer.body as unknown as PdsRecord;
  if (answer.error === "RecordNotFound" || answer.status === 404) return null;
  throw new PdsUnreachableError(pds.host, `getRecord answered ${answer.status} ${answer.error ?? ""}`.trim());
}

/** Every record of one collection in a repo, page by page. */
export async function listRecords(pds: URL, did: string, collection: string): Promise<PdsRecord[]> {
  const found: PdsRecord[] = [];
  let cursor: string | undefined;
  for (;;) {
    const answer = await pdsGet(pds, "com.atproto.repo.listRecords", {
      repo: did,
      collection,
      limit: "100",
      ...(cursor ? { cursor } : {}),
    });
    if (!answer.ok) {
      if (answer.error === "RepoNotFound" || answer.status === 404) return found;
      throw new PdsUnreachableError(
        pds.host,
        `listRecords answered ${answer.status} ${answer.error ?? ""}`.trim(),
      );
    }
    const page = answer.body as { records?: PdsRecord[]; cursor?: string };
    found.push(...(page.records ?? []));
    if (!page.cursor || !page.records?.length) return found;
    cursor = page.cursor;
  }
}
