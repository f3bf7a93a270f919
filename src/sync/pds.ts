import {
  getPds,
  PoorlyFormattedDidDocumentError,
  PoorlyFormattedDidError,
  UnsupportedDidMethodError,
  UnsupportedDidWebPathError,
} from "@atproto/identity";
import type { AppContext } from "../context.ts";
import { checkPdsEndpoint, checkPublicUrl } from "../net/address.ts";
import { AddressRefusedError, UnreachableError } from "../net/guarded-fetch.ts";
import { isJsonObject, type XrpcAnswer, xrpcGet } from "../net/xrpc-get.ts";
import { atUri, parseRecordUri } from "../records/address.ts";

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

/** The DID could not be resolved because of an outage: its directory or did:web host failed, timed out, or was refused. */
export class DidResolutionError extends PdsLookupError {}

/**
 * The DID does not exist (its directory or did:web host says so), is of a
 * method atproto does not use, or its document names no PDS: the caller's
 * mistake, and asking again will not help.
 */
export class UnknownDidError extends PdsLookupError {}

/** The DID document names a PDS endpoint (or the PDS redirects to a place) the guard refuses. */
export class PdsRefusedError extends PdsLookupError {}

export interface PdsRecord {
  uri: string;
  cid: string;
  value: Record<string, unknown>;
}

/** Why a DID names no PDS, as an error a caller can tell from an outage. */
function lookupFailure(did: string, err: unknown): PdsLookupError {
  const detail = err instanceof Error ? err.message : String(err);
  const notADid = [PoorlyFormattedDidError, UnsupportedDidMethodError, UnsupportedDidWebPathError];
  if (notADid.some((kind) => err instanceof kind))
    return new UnknownDidError(`${did} is no DID atproto resolves: ${detail}`);
  if (err instanceof PoorlyFormattedDidDocumentError)
    return new UnknownDidError(`${did} has no valid DID document`);
  return new DidResolutionError(`could not resolve ${did}: ${detail}`);
}

export async function resolvePds(ctx: AppContext, did: string): Promise<URL> {
  let endpoint: string | undefined;
  try {
    const document = await ctx.idResolver.did.resolve(did);
    if (!document) throw new UnknownDidError(`${did} does not exist: its directory does not know it`);
    endpoint = getPds(document);
  } catch (err) {
    throw err instanceof PdsLookupError ? err : lookupFailure(did, err);
  }
  if (!endpoint) throw new UnknownDidError(`${did} names no PDS in its DID document`);
  const checked = checkPdsEndpoint(endpoint, ctx.config.allowPrivatePds);
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

/** The PDS answered, but not with anything that says what its repo holds (an upstream failure too). */
export class PdsAnswerError extends PdsUnreachableError {
  constructor(host: string, detail: string) {
    super(host, detail);
    this.message = `PDS ${host} gave no usable answer: ${detail}`;
  }
}

/** A record as listRecords and getRecord give it, from the repo and collection asked for; null for anything else. */
function asRecord(value: unknown, did: string, collection: string): PdsRecord | null {
  if (!isJsonObject(value) || typeof value.cid !== "string" || !isJsonObject(value.value)) return null;
  const address = typeof value.uri === "string" ? parseRecordUri(value.uri) : null;
  if (address?.did !== did || address.collection !== collection) return null;
  return { uri: value.uri as string, cid: value.cid, value: value.value };
}

/**
 * One record from its author's PDS, or null when the PDS says it does not
 * exist: the XRPC error RecordNotFound, and nothing else, is a delete. Any
 * other no (a bare 404 from a misconfigured or migrating server, RepoNotFound
 * while the DID document still names this PDS) or an answer that is no such
 * record is a PdsAnswerError, so that nobody can tombstone an author's
 * records through a PDS that answers nonsense.
 */
export async function getRecord(
  pds: URL,
  did: string,
  collection: string,
  rkey: string,
): Promise<PdsRecord | null> {
  const answer = await pdsGet(pds, "com.atproto.repo.getRecord", { repo: did, collection, rkey });
  if (!answer.ok) {
    if (answer.error === "RecordNotFound") return null;
    throw new PdsAnswerError(
      pds.host,
      `getRecord answered ${answer.status} ${answer.error ?? "without an XRPC error"}`,
    );
  }
  const record = asRecord(answer.body, did, collection);
  if (!record || record.uri.split("/").pop() !== rkey)
    throw new PdsAnswerError(
      pds.host,
      `getRecord answered 200 with something other than ${atUri(did, collection, rkey)}`,
    );
  return record;
}

/**
 * One page of a collection: its records and the cursor to the next page, or
 * null when the PDS says the repo is not there (RepoNotFound). Only that, or
 * a real listing, may mean "no records": resync removes what a reachable repo
 * no longer lists, so any other answer is a PdsAnswerError.
 */
export async function listRecordsPage(
  pds: URL,
  did: string,
  collection: string,
  cursor?: string,
): Promise<{ records: PdsRecord[]; cursor?: string } | null> {
  const answer = await pdsGet(pds, "com.atproto.repo.listRecords", {
    repo: did,
    collection,
    limit: "100",
    ...(cursor ? { cursor } : {}),
  });
  if (!answer.ok) {
    if (answer.error === "RepoNotFound") return null;
    throw new PdsAnswerError(
      pds.host,
      `listRecords answered ${answer.status} ${answer.error ?? "without an XRPC error"}`,
    );
  }
  const listed = answer.body.records;
  const records = Array.isArray(listed) ? listed.map((r) => asRecord(r, did, collection)) : null;
  if (!records || records.some((r) => r === null))
    throw new PdsAnswerError(
      pds.host,
      `listRecords answered 200 without a listing of ${did}'s ${collection}`,
    );
  const next = answer.body.cursor;
  return {
    records: records as PdsRecord[],
    // A page without records ends the listing, whatever cursor came with it.
    ...(typeof next === "string" && next !== "" && records.length > 0 ? { cursor: next } : {}),
  };
}

/**
 * One collection of a repo, a page (up to 100 records) at a time, so that the
 * caller keeps only what it needs (resync). A repo the PDS does not host has
 * no records; any other refusal is an error, never an empty listing.
 */
export async function* listRecordPages(
  pds: URL,
  did: string,
  collection: string,
): AsyncGenerator<PdsRecord[]> {
  let cursor: string | undefined;
  do {
    const page = await listRecordsPage(pds, did, collection, cursor);
    if (!page) return;
    if (page.records.length > 0) yield page.records;
    cursor = page.cursor;
  } while (cursor);
}
