// Stage 1 of the pipeline, run by the FirehoseReceiver on every Jetstream
// frame: decide as cheaply as possible whether a frame can matter to any
// community. Almost every frame is dropped by a few substring checks on the
// raw JSON text; only frames that may be kept are parsed, then judged exactly.
//
// Kept:
//   - every commit of a com.atrarium.* collection;
//   - post creates/updates whose text contains "#atr_", or whose facet tags or
//     tags array carry a tag starting "atr_" (or "#atr_");
//   - post deletes, post updates and account events of DIDs in `members` (the
//     DIDs some community knows: an update may remove the hashtag, a delete
//     must reach every community that holds the post).
// Everything else is dropped. Stage 2 (the processor) applies the exact rules,
// so stage 1 may keep a little too much but must never drop what matters.
//
// The fast path relies only on how JSON is written, not on key order: a key
// inside a record could only be mistaken for the commit's own key when it
// comes before it, and then the frame is parsed instead.

import type { JetstreamEvent } from "./events.ts";
import type { DidFilter } from "./member-set.ts";

export { utf8Length } from "../text/utf8.ts";

export const WANTED_COLLECTIONS = ["app.bsky.feed.post", "com.atrarium.*"] as const;

const ATRARIUM_PREFIX = "com.atrarium.";
const POST_COLLECTION = "app.bsky.feed.post";
const COLLECTION_KEY = '"collection":"';
const RECORD_KEY = '"record":';
const DELETE_OP = '"operation":"delete"';
const UPDATE_OP = '"operation":"update"';
const DID_PREFIX = '{"did":"';
// JSON writers may escape characters as \u00XX (Go escapes <, > and &): an
// escaped '#', 'a', 't', 'r' or '_' could hide "atr_" from a substring check.
const ESCAPED_TAG_CHAR = /\\u00(?:23|5[fF]|6[1]|7[24])/;

/** Marks a frame that is not a JSON object (counted by the receiver, never queued). */
export const MALFORMED = "malformed" as const;
export type Stage1Result = JetstreamEvent | null | typeof MALFORMED;

function isTagLike(value: unknown): boolean {
  return typeof value === "string" && (value.startsWith("atr_") || value.startsWith("#atr_"));
}

/** The exact stage-1 rule for a parsed post record. */
export function postMayCarryCommunityTag(record: unknown): boolean {
  if (typeof record !== "object" || record === null) return false;
  const post = record as { text?: unknown; tags?: unknown; facets?: unknown };
  if (typeof post.text === "string" && post.text.includes("#atr_")) return true;
  if (Array.isArray(post.tags) && post.tags.some(isTagLike)) return true;
  if (Array.isArray(post.facets)) {
    for (const facet of post.facets) {
      const features = (facet as { features?: unknown } | null)?.features;
      if (Array.isArray(features) && features.some((f) => isTagLike((f as { tag?: unknown } | null)?.tag)))
        return true;
    }
  }
  return false;
}

/** The exact stage-1 rule on a parsed event. */
export function keepParsed(event: unknown, members: DidFilter): boolean {
  if (typeof event !== "object" || event === null) return false;
  const e = event as Partial<JetstreamEvent> & { commit?: unknown; account?: unknown };
  if (typeof e.did !== "string" || typeof e.time_us !== "number") return false;
  if (e.kind === "account") return typeof e.account === "object" && e.account !== null && members.has(e.did);
  if (e.kind !== "commit" || typeof e.commit !== "object" || e.commit === null) return false;
  const commit = e.commit as { collection?: unknown; operation?: unknown; record?: unknown; rkey?: unknown };
  if (typeof commit.collection !== "string" || typeof commit.rkey !== "string") return false;
  if (commit.collection.startsWith(ATRARIUM_PREFIX)) return true;
  if (commit.collection !== POST_COLLECTION) return false;
  if (commit.operation === "delete") return members.has(e.did);
  if (commit.operation === "update" && members.has(e.did)) return true;
  return (
    (commit.operation === "create" || commit.operation === "update") &&
    postMayCarryCommunityTag(commit.record)
  );
}

function parseAndJudge(raw: string, members: DidFilter): Stage1Result {
  let event: unknown;
  try {
    event = JSON.parse(raw);
  } catch {
    return MALFORMED;
  }
  if (typeof event !== "object" || event === null || Array.isArray(event)) return MALFORMED;
  return keepParsed(event, members) ? (event as JetstreamEvent) : null;
}

/** The author DID when the frame starts the way Jetstream writes it, else undefined. */
function leadingDid(raw: string): string | undefined {
  if (!raw.startsWith(DID_PREFIX)) return undefined;
  const end = raw.indexOf('"', DID_PREFIX.length);
  return end > 0 ? raw.slice(DID_PREFIX.length, end) : undefined;
}

/**
 * Stage 1 on one raw Jetstream frame: the parsed event when it is kept, null
 * when it is dropped, MALFORMED when it had to be parsed and is not JSON.
 */
export function stage1(raw: string, members: DidFilter): Stage1Result {
  const at = raw.indexOf(COLLECTION_KEY);
  if (at === -1) {
    // Not a commit: identity and account events, or something unexpected (parsed, so junk is counted).
    if (raw.includes('"kind":"identity"')) return null;
    if (raw.includes('"kind":"account"')) {
      const did = leadingDid(raw);
      if (did !== undefined && !members.has(did)) return null;
    }
    return parseAndJudge(raw, members);
  }
  // A "collection" key inside a record that precedes the commit's own: read it properly.
  if (raw.lastIndexOf(RECORD_KEY, at) !== -1) return parseAndJudge(raw, members);
  const start = at + COLLECTION_KEY.length;
  if (raw.startsWith(ATRARIUM_PREFIX, start)) return parseAndJudge(raw, members);
  if (
    !raw.startsWith(POST_COLLECTION, start) ||
    raw.charCodeAt(start + POST_COLLECTION.length) !== 34 /* " */
  )
    return null;
  // A post.
  if (raw.includes("atr_", start)) return parseAndJudge(raw, members);
  if (raw.includes("\\u00", start) && ESCAPED_TAG_CHAR.test(raw)) return parseAndJudge(raw, members);
  if (raw.includes(DELETE_OP) || raw.includes(UPDATE_OP)) {
    const did = leadingDid(raw);
    if (did !== undefined && !members.has(did)) return null;
    return parseAndJudge(raw, members);
  }
  return null;
}

/** The time_us of a raw frame, or undefined. */
export function timeOf(raw: string): number | undefined {
  try {
    const t = (JSON.parse(raw) as { time_us?: unknown }).time_us;
    return typeof t === "number" && Number.isSafeInteger(t) ? t : undefined;
  } catch {
    return undefined;
  }
}
