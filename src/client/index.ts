// The typed Atrarium client: writes the user's records into their own repo and
// reads the Atrarium Worker's index. See client.ts.
export * from "./client.ts";
export { AtrariumError, type AtrariumErrorKind, isNetworkFailure, toAtrariumError } from "./errors.ts";
export * from "./lexicon/index.ts";
export {
  ACTION_COLLECTION,
  CONFIG_COLLECTION,
  communityUriForFeed,
  feedUriFor,
  GENERATOR_COLLECTION,
  generateHashtag,
  graphemeLength,
  HASHTAG_RE,
  MEMBERSHIP_COLLECTION,
  nextTid,
  POST_COLLECTION,
  parseActor,
  parseCommunityUri,
  parsePostRef,
  parseRecordUri,
  truncateGraphemes,
  utf8Length,
  withHashtag,
} from "./text.ts";
