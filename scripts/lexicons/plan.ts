// What publishing would do: each of our lexicons against the copy published
// in the authority's repo (missing, same or different), published ones we no
// longer have (extra), and every reason to refuse (a change that breaks
// existing records, a permission set granting outside its namespace). Pure.
import { breakingChanges, type LexiconJson } from "./compat.ts";
import { ungrantable } from "./documents.ts";

/** A lexicon against its published copy. */
export type Status = "missing" | "same" | "different" | "extra";

/** One lexicon in the plan. */
export interface PlanEntry {
  nsid: string;
  status: Status;
  /** Why this document may not be published as it is; empty when it may. */
  problems: string[];
}

/** What publishing would do, and why it may not. */
export interface Plan {
  entries: PlanEntry[];
  /** Every problem of every entry: publishing is refused while there is one. */
  problems: string[];
}

/** JSON with object keys sorted, so two documents compare by content, not key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The lexicon document inside a com.atproto.lexicon.schema record (the record minus its $type). */
export function documentOf(record: Record<string, unknown>): LexiconJson {
  const { $type: _type, ...doc } = record;
  return doc as unknown as LexiconJson;
}

/** The record that publishes a document. */
export function recordOf(doc: LexiconJson): Record<string, unknown> {
  return { $type: "com.atproto.lexicon.schema", ...doc };
}

/** True when two documents have the same content, whatever their key order. */
export function sameDocument(a: LexiconJson, b: LexiconJson): boolean {
  return canonical(a) === canonical(b);
}

function entryFor(nsid: string, local: LexiconJson, published: LexiconJson | undefined): PlanEntry {
  const problems = ungrantable(local).map(
    (what) =>
      `${nsid}: a permission set may only grant NSIDs under ${nsid.slice(0, nsid.lastIndexOf("."))}.*; ${what} would be dropped by every PDS`,
  );
  if (!published) return { nsid, status: "missing", problems };
  if (sameDocument(local, published)) return { nsid, status: "same", problems };
  return { nsid, status: "different", problems: [...problems, ...breakingChanges(published, local)] };
}

/** Our documents against the published ones (both by NSID). */
export function planPublish(local: Map<string, LexiconJson>, published: Map<string, LexiconJson>): Plan {
  const entries: PlanEntry[] = [...local].map(([nsid, doc]) => entryFor(nsid, doc, published.get(nsid)));
  for (const nsid of published.keys()) {
    if (!local.has(nsid)) entries.push({ nsid, status: "extra", problems: [] });
  }
  entries.sort((a, b) => (a.nsid < b.nsid ? -1 : a.nsid > b.nsid ? 1 : 0));
  return { entries, problems: entries.flatMap((e) => e.problems) };
}
