// Text helpers: community hashtags, grapheme-aware lengths, the #tag facet
// with UTF-8 byte offsets, and record keys (TIDs).
import { isValidTid } from "@atproto/syntax";
import { HASHTAG_PATTERN } from "../records/hashtags.ts";
import { utf8Length } from "../text/utf8.ts";
import { AtrariumError } from "./errors.ts";

/** A fresh community hashtag from the platform's cryptographic randomness. */
export function generateHashtag(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `#atr_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The number of user-perceived characters (grapheme clusters), as the lexicons count them. */
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

/** An app.bsky.richtext.facet that marks a #tag. */
export interface TagFacet {
  $type: "app.bsky.richtext.facet";
  index: { byteStart: number; byteEnd: number };
  features: [{ $type: "app.bsky.richtext.facet#tag"; tag: string }];
}

/** A post text carrying a community hashtag, and the facet over it. */
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
  if (!HASHTAG_PATTERN.test(hashtag)) {
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
