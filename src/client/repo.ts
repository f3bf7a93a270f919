// Reading records from repos: the user's own through their session, anyone
// else's from their own PDS (found through DID resolution).
import { requireRecordUri } from "./addresses.ts";
import type { ClientContext } from "./context.ts";
import { AtrariumError, toAtrariumError } from "./errors.ts";
import { AtpBaseClient } from "./lexicon/index.ts";
import type { RecordEntry } from "./types.ts";

interface Reader {
  client: AtpBaseClient;
  /** How errors name the server. */
  where: string;
  /** Why the DID could not be resolved, when the user's own PDS is only a guess. */
  resolutionError?: AtrariumError;
}

/**
 * A client for reading the repo of `did`: the session for the user's own repo,
 * otherwise their PDS. When the DID cannot be resolved but a session exists,
 * the user's own PDS is tried (it may host that repo too, as in a local setup).
 */
async function readerFor(ctx: ClientContext, did: string): Promise<Reader> {
  if (ctx.own && did === ctx.agent?.did) return { client: ctx.own, where: "your PDS" };
  try {
    const pds = await ctx.identity.resolvePds(did);
    return {
      client: new AtpBaseClient({ service: pds, fetch: ctx.fetch }),
      where: `the PDS at ${pds}`,
    };
  } catch (err) {
    if (ctx.own && err instanceof AtrariumError) {
      return { client: ctx.own, where: "your PDS", resolutionError: err };
    }
    throw err;
  }
}

/** One record by AT-URI; `check` validates and types its value. */
export async function getRecord<T>(
  ctx: ClientContext,
  uri: string,
  label: string,
  check?: (value: unknown) => T,
): Promise<RecordEntry<T>> {
  const { did, collection, rkey } = requireRecordUri(uri);
  const { client, where, resolutionError } = await readerFor(ctx, did);
  let data: { uri: string; cid?: string; value: unknown };
  try {
    data = (await client.com.atproto.repo.getRecord({ repo: did, collection, rkey })).data;
  } catch (err) {
    const e = toAtrariumError(err, `reading the ${label} ${uri}`, where);
    if (e.kind === "not_found" || (e.kind === "invalid" && /repo|record/i.test(e.message))) {
      // Your own PDS was only a guess when the DID could not be resolved: report why.
      if (resolutionError) throw resolutionError;
      throw new AtrariumError("not_found", `No ${label} at ${uri}`, { cause: err });
    }
    throw e;
  }
  if (!data.cid) throw new AtrariumError("server", `${where} returned ${uri} without a cid`);
  const value = check ? check(data.value) : (data.value as T);
  return { uri: data.uri, cid: data.cid, value };
}

/** Every record of one collection in a repo, all pages. */
export async function listRecords<T>(
  ctx: ClientContext,
  did: string,
  collection: string,
): Promise<RecordEntry<T>[]> {
  const { client, where } = await readerFor(ctx, did);
  const out: RecordEntry<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.com.atproto.repo
      .listRecords({ repo: did, collection, limit: 100, ...(cursor ? { cursor } : {}) })
      .catch((err: unknown) => {
        throw toAtrariumError(err, `listing ${collection} records of ${did}`, where);
      });
    for (const r of page.data.records) out.push({ uri: r.uri, cid: r.cid, value: r.value as T });
    cursor = page.data.records.length > 0 ? page.data.cursor : undefined;
  } while (cursor);
  return out;
}
