// The lexicon documents this repository owns, read from lexicons/, and the
// facts about their names that publishing needs: the DNS authority of each
// NSID, and which NSIDs a permission set is allowed to grant.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { NSID } from "@atproto/syntax";
import type { LexiconJson } from "./compat.ts";

/** The namespace Atrarium publishes; lexicons/ also holds copies of others' (app.bsky, com.atproto). */
export const OWN_NAMESPACE = "com.atrarium.";

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith(".json") ? [path] : [];
    })
    .sort();
}

/** Every com.atrarium.* document under `dir`, by NSID; a file whose id is not an NSID is an error. */
export function loadOwnLexicons(dir: string): Map<string, LexiconJson> {
  const docs = new Map<string, LexiconJson>();
  for (const file of jsonFiles(dir)) {
    const doc = JSON.parse(readFileSync(file, "utf8")) as LexiconJson;
    if (typeof doc.id !== "string" || !NSID.isValid(doc.id)) {
      throw new Error(`${file} has no valid NSID in "id"`);
    }
    if (doc.id.startsWith(OWN_NAMESPACE)) docs.set(doc.id, doc);
  }
  return docs;
}

/** The domain whose `_lexicon` TXT record names the repo that publishes `nsid` (all but the name, reversed). */
export function authorityOf(nsid: string): string {
  return NSID.parse(nsid).authority;
}

/** The DNS TXT records for a set of NSIDs published by `did`: one per authority, sorted. */
export function txtRecords(nsids: Iterable<string>, did: string): { name: string; value: string }[] {
  const authorities = [...new Set([...nsids].map(authorityOf))].sort();
  return authorities.map((authority) => ({ name: `_lexicon.${authority}`, value: `did=${did}` }));
}

/**
 * What a permission set lists but may not grant. The PDS only honours repo
 * and rpc permissions, and only for NSIDs under the set's own group, the set's
 * NSID up to its last dot (@atproto/oauth-scopes IncludeScope). A permission
 * naming anything else is silently dropped from the granted scope, whole, so
 * we refuse to publish it.
 */
export function ungrantable(doc: LexiconJson): string[] {
  const main = doc.defs.main;
  if (main?.type !== "permission-set") return [];
  const group = doc.id.slice(0, doc.id.lastIndexOf(".") + 1);
  const permissions = Array.isArray(main.permissions) ? (main.permissions as Record<string, unknown>[]) : [];
  return permissions.flatMap((p) => {
    if (p.resource !== "repo" && p.resource !== "rpc") return [`${String(p.resource)} permissions`];
    const field = p.resource === "repo" ? p.collection : p.lxm;
    const nsids = Array.isArray(field) ? field.map(String) : [String(field)];
    return nsids.filter((nsid) => !(nsid.startsWith(group) && nsid.length > group.length));
  });
}
