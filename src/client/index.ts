// atrarium/client: the typed client of Atrarium. AtrariumClient writes the
// user's records into their own repo (with their own session: app password or
// OAuth) and reads the Atrarium Worker's index. Everything here is free of
// the Worker's code; it runs in Node, browsers and workers alike.

// Pure helpers shared with the Worker: collection names, record AT-URIs, hashtags, UTF-8.
export {
  atUri,
  COLLECTIONS,
  type CommunityAddress,
  communityForFeed,
  feedForCommunity,
  parseCommunityUri,
  parseRecordUri,
  type RecordAddress,
} from "../records/address.ts";
export { communityHashtags, HASHTAG_PATTERN } from "../records/hashtags.ts";
export { utf8Length } from "../text/utf8.ts";
export {
  type ActorRef,
  parseActor,
  parseRecordRef,
  type RecordRef,
  requireCommunityUri,
  requireRecordUri,
} from "./addresses.ts";
export { AtrariumClient, type AtrariumClientOptions, type Paging } from "./client.ts";
export { AtrariumError, type AtrariumErrorKind, isNetworkFailure, toAtrariumError } from "./errors.ts";
export { createIdResolver, DEFAULT_PLC_URL, isLoopback } from "./identity.ts";
// The generated XRPC client (AtpBaseClient) and a type namespace per lexicon.
export * from "./lexicon/index.ts";
export {
  generateHashtag,
  graphemeLength,
  type HashtagText,
  nextTid,
  type TagFacet,
  truncateGraphemes,
  withHashtag,
} from "./text.ts";
export * from "./types.ts";
