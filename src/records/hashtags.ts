// Stage 2 of the filter: exact community hashtags. A tag counts only when it
// is a whole tag, "#atr_" + exactly 8 lowercase hex, so "#atr_123456789" and
// "#atr_1234567" are not matches. Text, facet tags and the tags array count.
// Also: making a community hashtag, and placing one in a post's text with its
// #tag facet, by the same whole-tag rule. Pure: shared by the Worker, the
// client, the command line and the web app's browser code.
import { utf8Length } from "../text/utf8.ts";

/** A community hashtag: `#atr_` followed by exactly 8 lowercase hex digits. */
export const HASHTAG_PATTERN = /^#atr_[0-9a-f]{8}$/;

/** A whole tag in a text: not glued to a word, a '#' or an underscore on either side. */
const TEXT_TAG = /(?:^|[^\p{L}\p{N}_#])#(atr_[0-9a-f]{8})(?![\p{L}\p{N}_])/gu;
const BARE_TAG = /^#?(atr_[0-9a-f]{8})$/;

interface PostLike {
  text?: unknown;
  tags?: unknown;
  facets?: unknown;
}

function facetTags(facets: unknown): string[] {
  if (!Array.isArray(facets)) return [];
  const tags: string[] = [];
  for (const facet of facets) {
    const features = (facet as { features?: unknown } | null)?.features;
    if (!Array.isArray(features)) continue;
    for (const feature of features) {
      const f = feature as { $type?: unknown; tag?: unknown } | null;
      if (f?.$type === "app.bsky.richtext.facet#tag" && typeof f.tag === "string") tags.push(f.tag);
    }
  }
  return tags;
}

/** Every community hashtag a post carries, as "#atr_xxxxxxxx", without duplicates. */
export function communityHashtags(post: PostLike): string[] {
  const found = new Set<string>();
  if (typeof post.text === "string") {
    for (const match of post.text.matchAll(TEXT_TAG)) found.add(`#${match[1]}`);
  }
  const tags = [...facetTags(post.facets), ...(Array.isArray(post.tags) ? post.tags : [])];
  for (const tag of tags) {
    const match = typeof tag === "string" ? BARE_TAG.exec(tag) : null;
    if (match) found.add(`#${match[1]}`);
  }
  return [...found];
}

/** A fresh community hashtag from the platform's cryptographic randomness. */
export function generateHashtag(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `#atr_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
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

/** Where `hashtag` first occurs in `text` as a whole tag, by stage 2's rule (TEXT_TAG), or -1. */
function wholeTagIndex(text: string, hashtag: string): number {
  for (const match of text.matchAll(TEXT_TAG)) {
    // The match may start with the character before the '#'.
    if (`#${match[1]}` === hashtag) return match.index + match[0].length - hashtag.length;
  }
  return -1;
}

/**
 * The post text with `hashtag` (appended unless the text already carries it
 * as a whole tag) and a #tag facet over it. Facet offsets count UTF-8 bytes,
 * as the lexicon requires, not UTF-16 units or graphemes. `hashtag` must
 * match HASHTAG_PATTERN (callers check, with the error their users read).
 */
export function placeHashtag(text: string, hashtag: string): HashtagText {
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
