// Text helpers of the client: community hashtags, grapheme-aware lengths, the
// #tag facet with UTF-8 byte offsets, and record keys (TIDs). The rules live
// in the shared pure modules; this adds the client's own error for a bad hashtag.
import {
  generateHashtag,
  HASHTAG_PATTERN,
  type HashtagText,
  placeHashtag,
  type TagFacet,
} from "../records/hashtags.ts";
import { graphemeLength, truncateGraphemes } from "../text/graphemes.ts";
import { nextTid } from "../text/tid.ts";
import { AtrariumError } from "./errors.ts";

export { generateHashtag, graphemeLength, type HashtagText, nextTid, type TagFacet, truncateGraphemes };

/**
 * The post text with the community hashtag (appended unless the text already
 * carries it as a whole tag) and a #tag facet over it, in UTF-8 byte offsets.
 */
export function withHashtag(text: string, hashtag: string): HashtagText {
  if (!HASHTAG_PATTERN.test(hashtag)) {
    throw new AtrariumError(
      "invalid",
      `Not a community hashtag: "${hashtag}" (expected "#atr_" and 8 hex digits)`,
    );
  }
  return placeHashtag(text, hashtag);
}
