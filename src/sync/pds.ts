import type { AppContext } from "../context.ts";
import { checkPdsEndpoint, checkPublicUrl } from "./address.ts";
import { circuitOpen, recordFailure, recordSuccess } from "./circuit.ts";

// Reads records from their authors' own PDSes: the source of truth that
// requestIndex and resync go back to. Each call gets a timeout; transient
// failures are retried with backoff; a host that keeps failing trips its
// breaker. Redirects are followed by hand, at most MAX_REDIRECTS of them, and
// each hop must pass the same address guard as the endpoint did.

const ATTEMPTS = 3;
const TIMEOUT_MS = 5_000;
const BACKOFF_MS = 150;
const MAX_REDIRECTS = 3;

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
 * GET with redirects followed by hand. A hop may not lead anywhere less
 * public than where it started: from a public https endpoint (the only kind
 * production accepts), every hop must be public https too.
 */
async function getFollowingRedirects(url: URL, headers: Record<string, string>): Promise<Response> {
  const strict = checkPublicUrl(url, false).ok;
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await fetch(current, {
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers,
    });
    const location = res.status >= 300 && res.status < 400 ? res.headers.get("location") : null;
    if (location === null) return res;
    await res.body?.cancel();
    if (hop >= MAX_REDIRECTS)
      throw new PdsUnreachableError(url.host, `more than ${MAX_REDIRECTS} redirects (last to ${location})`);
    const checked = checkPublicUrl(new URL(location, current), !strict, "redirect target");
    if (!checked.ok) throw new PdsRefusedError(`PDS ${url.host} redirected: ${checked.reason}`);
    current = checked.url;
  }
}

type XrpcAnswer = { ok: true; body: unknown } | { ok: false; status: number; error?: string };

async function xrpcGet(pds: URL, nsid: string, params: Record<string, string>): Promise<XrpcAnswer> {
  const host = pds.host;
  if (circuitOpen(host)) throw new PdsUnreachableError(host, "too many recent failures, retrying later");
  const url = new URL(`/xrpc/${nsid}`, pds);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  let lastError = "";
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(BACKOFF_MS * 2 ** (attempt - 1) * (1 + Math.random()));
    try {
      const res = await getFollowingRedirects(url, { accept: "application/json" });
      if (res.ok) {
        recordSuccess(host);
        return { ok: true, body: await res.json() };
      }
      if (res.status < 500 && res.status !== 429) {
        // The PDS answered: a definite no, not an outage.
        recordSuccess(host);
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        return { ok: false, status: res.status, ...(body.error ? { error: body.error } : {}) };
      }
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      // A refused redirect or a redirect loop is an answer, not an outage: no retry.
      if (err instanceof PdsRefusedError) throw err;
      if (err instanceof PdsUnreachableError) {
        recordFailure(host);
        throw err;
      }
      lastError = err instanceof Error ? err.message : String(err);
    }
  }
  recordFailure(host);
  throw new PdsUnreachableError(host, lastError);
}

/** One record from its author's PDS, or null when the PDS says it does not exist. */
export async function getRecord(
  pds: URL,
  did: string,
  collection: string,
  rkey: string,
): Promise<PdsRecord | null> {
  const answer = await xrpcGet(pds, "com.atproto.repo.getRecord", { repo: did, collection, rkey });
  if (answer.ok) return answer.body as PdsRecord;
  if (answer.error === "RecordNotFound" || answer.status === 404) return null;
  throw new PdsUnreachableError(pds.host, `getRecord answered ${answer.status} ${answer.error ?? ""}`.trim());
}

/** Every record of one collection in a repo, page by page. */
export async function listRecords(pds: URL, did: string, collection: string): Promise<PdsRecord[]> {
  const found: PdsRecord[] = [];
  let cursor: string | undefined;
  for (;;) {
    const answer = await xrpcGet(pds, "com.atproto.repo.listRecords", {
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

/**
 * One collection of a repo, a page (up to 100 records) at a time, so that the
 * caller keeps only what it needs. A repo the PDS does not host has no
 * records; any other refusal is an error, never an empty listing (an empty
 * listing lets resync remove what the index holds).
 */
export async function* listRecordPages(
  pds: URL,
  did: string,
  collection: string,
): AsyncGenerator<PdsRecord[]> {
  let cursor: string | undefined;
  for (;;) {
    const answer = await xrpcGet(pds, "com.atproto.repo.listRecords", {
      repo: did,
      collection,
      limit: "100",
      ...(cursor ? { cursor } : {}),
    });
    if (!answer.ok) {
      if (answer.error === "RepoNotFound") return;
      throw new PdsUnreachableError(
        pds.host,
        `listRecords answered ${answer.status} ${answer.error ?? ""}`.trim(),
      );
    }
    const page = answer.body as { records?: PdsRecord[]; cursor?: string };
    const records = page.records ?? [];
    if (records.length > 0) yield records;
    if (!page.cursor || records.length === 0) return;
    cursor = page.cursor;
  }
}
