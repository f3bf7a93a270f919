// The authority account's repo: where its com.atproto.lexicon.schema records
// are read from (anonymously, from its PDS) and written to (with its own
// session, in one applyWrites commit that fails if the repo moved meanwhile).
import { type Agent, AtpAgent, type ComAtprotoRepoApplyWrites } from "@atproto/api";
import { toAtrariumError } from "../../src/client/index.ts";
import type { LexiconJson } from "./compat.ts";
import { OWN_NAMESPACE } from "./documents.ts";
import { documentOf, type Plan, recordOf } from "./plan.ts";

/** The collection lexicons are published in. */
export const SCHEMA_COLLECTION = "com.atproto.lexicon.schema";

/** The authority repo's published lexicons, as read. */
export interface Published {
  /** The repo's head commit when it was read; the write is made against it. */
  head: string;
  /** com.atrarium.* documents by NSID (the record key). */
  documents: Map<string, LexiconJson>;
}

/** Our published documents in the repo of `did` on `pds`. */
export async function readPublished(pds: string, did: string): Promise<Published> {
  const agent = new AtpAgent({ service: pds });
  const where = `the PDS at ${pds}`;
  try {
    const head = (await agent.com.atproto.sync.getLatestCommit({ did })).data.cid;
    const documents = new Map<string, LexiconJson>();
    let cursor: string | undefined;
    do {
      const page = await agent.com.atproto.repo.listRecords({
        repo: did,
        collection: SCHEMA_COLLECTION,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const r of page.data.records) {
        const rkey = r.uri.split("/").pop() ?? "";
        if (rkey.startsWith(OWN_NAMESPACE)) documents.set(rkey, documentOf(r.value));
      }
      cursor = page.data.records.length > 0 ? page.data.cursor : undefined;
    } while (cursor);
    return { head, documents };
  } catch (err) {
    throw toAtrariumError(err, `reading the published lexicons of ${did}`, where);
  }
}

/** The NSIDs an --apply created, updated and deleted. */
export interface Written {
  created: string[];
  updated: string[];
  deleted: string[];
}

/** Writes the missing and different documents (and deletes the extra ones when `prune`), in one commit. */
export async function applyPlan(
  agent: Agent,
  did: string,
  plan: Plan,
  local: Map<string, LexiconJson>,
  options: { head: string; prune: boolean },
): Promise<Written> {
  const written: Written = { created: [], updated: [], deleted: [] };
  const writes: ComAtprotoRepoApplyWrites.InputSchema["writes"] = [];
  for (const e of plan.entries) {
    const target = { collection: SCHEMA_COLLECTION, rkey: e.nsid };
    const doc = local.get(e.nsid);
    if (e.status === "missing" && doc) {
      writes.push({ $type: "com.atproto.repo.applyWrites#create", ...target, value: recordOf(doc) });
      written.created.push(e.nsid);
    } else if (e.status === "different" && doc) {
      writes.push({ $type: "com.atproto.repo.applyWrites#update", ...target, value: recordOf(doc) });
      written.updated.push(e.nsid);
    } else if (e.status === "extra" && options.prune) {
      writes.push({ $type: "com.atproto.repo.applyWrites#delete", ...target });
      written.deleted.push(e.nsid);
    }
  }
  if (writes.length === 0) return written;
  try {
    await agent.com.atproto.repo.applyWrites({ repo: did, writes, swapCommit: options.head });
  } catch (err) {
    throw toAtrariumError(err, "publishing the lexicons", "the authority's PDS");
  }
  return written;
}
