// Text helpers: community hashtags, grapheme-aware lengths, the #tag facet
// with UTF-8 byte offsets, record keys (TIDs), and parsing the ways people
// name a community, a post or a feed.
import { AtUri, isValidDid, isValidHandle, isValidTid } from "@atproto/syntax";
import { COLLECTIONS } from "../records/address.ts";
import { HASHTAG_PATTERN } from "../records/validate.ts";
import { AtrariumError } from "./errors.ts";

export const CONFIG_COLLECTION = COLLECTIONS.config;
export const MEMBERSHIP_COLLECTION = COLLECTIONS.membership;
export const ACTION_COLLECTION = COLLECTIONS.action;
export const GENERATOR_COLLECTION = COLLECTIONS.feedGenerator;
export const POST_COLLECTION = COLLECTIONS.post;

/** `#atr_` followed by exactly 8 lowercase hex digits. */
export const HASHTAG_RE = HASHTAG_PATTERN;

/** A fresh community hashtag from the platform's cryptographic randomness. */
export function generateHashtag(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `#atr_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const encoder = new TextEncoder();
export const utf8Length = (text: string): number => encoder.encode(text).length;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
export const graphemeLength = (text: string): number => [...segmenter.segment(text)].length;

/** At most `max` graphemes; a cut text ends with "…" (counted in the limit). */
export function truncateGraphemes(text: string, max: number): string {
  const graphemes = [...segmenter.segment(text)].map((s) => s.segment);
  if (graphemes.length <= max) return text;
  return `${graphemes
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}

export interface TagFacet {
  $type: "app.bsky.richtext.facet";
  index: { byteStart: number; byteEnd: number };
  features: [{ $type: "app.bsky.richtext.facet#tag"; tag: string }];
}

export interface HashtagText {
  text: string;
  facet: TagFacet;
}

/** Where `hashtag` occurs in `text` as a whole tag (not inside a longer one), or -1. */
function wholeTagIndex(text: string, hashtag: string): number {
  for (let i = text.indexOf(hashtag); i >= 0; i = text.indexOf(hashtag, i + 1)) {
    const before = i === 0 ? "" : text[i - 1];
    const after = text.slice(i + hashtag.length, i + hashtag.length + 1);
    if ((before === "" || /[\s([{"'“‘]/u.test(before ?? "")) && !/[\p{L}\p{N}_]/u.test(after)) return i;
  }
  return -1;
}

/**
 * The post text with the community hashtag (appended unless the text already
 * carries it as a whole tag) and a #tag facet over it. Facet offsets count
 * UTF-8 bytes, as the lexicon requires, not UTF-16 units or graphemes.
 */
export function withHashtag(text: string, hashtag: string): HashtagText {
  if (!HASHTAG_RE.test(hashtag)) {
    throw new AtrariumError(
      "invalid",
      `Not a community hashtag: "${hashtag}" (expected "#atr_" and 8 hex digits)`,
    );
  }
  let full = text;
  let at = wholeTagIndex(text, hashtag);
  if (at < 0) {
    const trimmed = text.replace(/\s+$/u, "");
    full = trimmed === "" ? hashtag : `${trimmed} ${hashtag}`;
    at = full.length - hashtag.length;
  }
  const byteStart = utf8Length(full.slice(0, at));
  return {
    text: full,
    facet: {
      $type: "app.bsky.richtext.facet",
      index: { byteStart, byteEnd: byteStart + utf8Length(hashtag) },
      features: [{ $type: "app.bsky.richtext.facet#tag", tag: hashtag.slice(1) }],
    },
  };
}

const S32 = "234567abcdefghijklmnopqrstuvwxyz";
const clockId = (crypto.getRandomValues(new Uint16Array(1))[0] ?? 0) % 1024;
let lastMicros = 0;

/** A record key in TID form (time-ordered, 13 base32-sortable characters). */
export function nextTid(): string {
  let micros = Date.now() * 1000;
  if (micros <= lastMicros) micros = lastMicros + 1;
  lastMicros = micros;
  let n = (BigInt(micros) << 10n) | BigInt(clockId);
  let out = "";
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)] + out;
    n >>= 5n;
  }
  if (!isValidTid(out)) throw new Error(`generated an invalid TID: ${out}`);
  return out;
}

export interface RecordAddress {
  repo: string;
  collection: string;
  rkey: string;
  uri: string;
}

/** Parses an at:// URI of one record, optionally of an expected collection. */
export function parseRecordUri(uri: string, expected?: string, label = "record"): RecordAddress {
  let parsed: AtUri;
  try {
    parsed = new AtUri(uri);
  } catch {
    throw new AtrariumError("invalid", `Not an AT-URI: "${uri}" (expected at://DID/COLLECTION/RKEY)`);
  }
  if (!parsed.collection || !parsed.rkey) {
    throw new AtrariumError(
      "invalid",
      `"${uri}" does not name a single ${label} (expected at://DID/COLLECTION/RKEY)`,
    );
  }
  if (expected && parsed.collection !== expected) {
    throw new AtrariumError(
      "invalid",
      `"${uri}" is not a ${label}: expected collection ${expected}, got ${parsed.collection}`,
    );
  }
  return { repo: parsed.host, collection: parsed.collection, rkey: parsed.rkey, uri: parsed.toString() };
}

/** A community URI whose owner is a DID (the index keys communities by DID). */
export function parseCommunityUri(uri: string): RecordAddress {
  const address = parseRecordUri(uri, CONFIG_COLLECTION, "community (com.atrarium.community.config record)");
  if (!isValidDid(address.repo)) {
    throw new AtrariumError("invalid", `Community URIs name the owner by DID, not handle: "${uri}"`);
  }
  return address;
}

/** The feed generator record of a community: same owner, same rkey. */
export function feedUriFor(communityUri: string): string {
  const { repo, rkey } = parseCommunityUri(communityUri);
  return `at://${repo}/${GENERATOR_COLLECTION}/${rkey}`;
}

/** The community of a feed generator URI: same owner, same rkey. */
export function communityUriForFeed(feedUri: string): string {
  const { repo, rkey } = parseRecordUri(feedUri, GENERATOR_COLLECTION, "feed generator");
  return `at://${repo}/${CONFIG_COLLECTION}/${rkey}`;
}

export type ActorRef = { did: string } | { handle: string };

/** A DID or a handle (with or without a leading "@"). */
export function parseActor(input: string): ActorRef {
  const value = input.trim().replace(/^@/, "");
  if (value.startsWith("did:")) {
    if (!isValidDid(value)) throw new AtrariumError("invalid", `Not a valid DID: "${input}"`);
    return { did: value };
  }
  const handle = value.toLowerCase();
  if (!isValidHandle(handle)) {
    throw new AtrariumError(
      "invalid",
      `Not a DID or handle: "${input}" (expected e.g. alice.bsky.social or did:plc:…)`,
    );
  }
  return { handle };
}

export interface PostRef {
  /** DID or handle of the author, as written. */
  actor: string;
  rkey: string;
}

/** A post as an at:// URI or a https://bsky.app/profile/HANDLE_OR_DID/post/RKEY link. */
export function parsePostRef(input: string): PostRef {
  const text = input.trim();
  if (text.startsWith("at://")) {
    const { repo, rkey } = parseRecordUri(text, POST_COLLECTION, "post");
    return { actor: repo, rkey };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AtrariumError(
      "invalid",
      `Not a post: "${input}" (expected at://…/app.bsky.feed.post/RKEY or a bsky.app post link)`,
    );
  }
  const match = /^\/profile\/([^/]+)\/post\/([^/]+)\/?$/.exec(url.pathname);
  if (!match || !["http:", "https:"].includes(url.protocol)) {
    throw new AtrariumError(
      "invalid",
      `Not a post link: "${input}" (expected https://bsky.app/profile/HANDLE/post/RKEY)`,
    );
  }
  return { actor: decodeURIComponent(match[1] ?? ""), rkey: decodeURIComponent(match[2] ?? "") };
}
