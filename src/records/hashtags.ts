// Stage 2 of the filter: exact community hashtags. A tag counts only when it
// is a whole tag, "#atr_" + exactly 8 lowercase hex, so "#atr_123456789" and
// "#atr_1234567" are not matches. Text, facet tags and the tags array count.
// Pure: shared by the Worker, the client and the command line.

/** A community hashtag: `#atr_` followed by exactly 8 lowercase hex digits. */
export const HASHTAG_PATTERN = /^#atr_[0-9a-f]{8}$/;

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
