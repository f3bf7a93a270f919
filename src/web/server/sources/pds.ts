// Posts from the authors' own PDSes (getRecord for each post), and handles
// verified both ways (src/net/verified-handles.ts): never the PDS's own word,
// since a self-hosted PDS can claim any handle.
import type { AppContext } from "../../../context.ts";
import { HandleVerifier } from "../../../net/verified-handles.ts";
import { xrpcGet } from "../../../net/xrpc-get.ts";
import { parseRecordUri } from "../../../records/address.ts";
import { resolvePds } from "../../../sync/pds.ts";
import { type ContentSource, type Lookup, PAGE_FETCH, type PostRecord, postFields } from "./source.ts";

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function pdsSource(ctx: AppContext): ContentSource {
  const allowPrivate = ctx.config.allowPrivatePds;
  const guard = { ...PAGE_FETCH, allowPrivate, what: "PDS endpoint" };
  const verifier = new HandleVerifier(ctx.idResolver.did, { allowPrivate });
  // The PDS of a DID is resolved once per call for all of its posts.
  const pdsOf = (did: string, found: Map<string, Promise<URL>>) => {
    let pds = found.get(did);
    if (!pds) {
      pds = resolvePds(ctx, did);
      found.set(did, pds);
    }
    return pds;
  };

  async function post(uri: string, pdses: Map<string, Promise<URL>>): Promise<Lookup<PostRecord>> {
    const address = parseRecordUri(uri);
    if (!address) return { missing: "not a record URI" };
    try {
      const pds = await pdsOf(address.did, pdses);
      const answer = await xrpcGet(
        pds,
        "com.atproto.repo.getRecord",
        [
          ["repo", address.did],
          ["collection", address.collection],
          ["rkey", address.rkey],
        ],
        guard,
      );
      if (answer.ok && typeof answer.body.cid === "string") {
        return { found: { uri, cid: answer.body.cid, ...postFields(answer.body.value) } };
      }
      if (!answer.ok && answer.error === "RecordNotFound") return { missing: "deleted by its author" };
      return {
        failed: `${pds.host} answered ${answer.status} ${answer.ok ? "" : (answer.error ?? "")}`.trim(),
      };
    } catch (err) {
      return { failed: message(err) };
    }
  }

  /** A DID without a verified handle is shown as the DID. */
  async function handle(did: string): Promise<Lookup<string>> {
    try {
      const verified = await verifier.verifiedHandle(did);
      return verified ? { found: verified } : { missing: "handle not verified" };
    } catch (err) {
      return { failed: message(err) };
    }
  }

  return {
    posts(uris) {
      const pdses = new Map<string, Promise<URL>>();
      return new Map(uris.map((uri) => [uri, post(uri, pdses)]));
    },
    handles(dids) {
      return new Map(dids.map((did) => [did, handle(did)]));
    },
  };
}
