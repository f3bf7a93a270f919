// Record addresses, written once for the Worker, the client and the CLI: the
// collection names Atrarium reads, AT-URIs of single records, and the mapping
// between a community (its config record) and its feed (the generator record
// with the same rkey in the owner's repo). Pure: no Worker or network code.
import { isValidDid, parseAtUriString } from "@atproto/syntax";

/** The collections Atrarium indexes or writes. */
export const COLLECTIONS = {
  config: "com.atrarium.community.config",
  membership: "com.atrarium.community.membership",
  action: "com.atrarium.moderation.action",
  post: "app.bsky.feed.post",
  feedGenerator: "app.bsky.feed.generator",
} as const;

/** One record: at://<did>/<collection>/<rkey>. */
export interface RecordAddress {
  did: string;
  collection: string;
  rkey: string;
}

/** A community, named by its config record; `owner` is the DID whose repo holds it. */
export interface CommunityAddress {
  uri: string;
  owner: string;
  rkey: string;
}

/**
 * The address of a single record named by DID, or null for anything else:
 * the AT-URI, its collection (an NSID) and record key as @atproto/syntax
 * judges them, and a DID for authority (handles are not stable names for records).
 */
export function parseRecordUri(uri: string): RecordAddress | null {
  const parsed = parseAtUriString(uri);
  if (!parsed.success) return null;
  const { authority, collection, rkey } = parsed.value;
  return collection && rkey && isValidDid(authority) ? { did: authority, collection, rkey } : null;
}

export function atUri(did: string, collection: string, rkey: string): string {
  return `at://${did}/${collection}/${rkey}`;
}

/** A community config URI, parsed; null when `uri` names anything else. */
export function parseCommunityUri(uri: string): CommunityAddress | null {
  const address = parseRecordUri(uri);
  if (address?.collection !== COLLECTIONS.config) return null;
  return { uri, owner: address.did, rkey: address.rkey };
}

function swapCollection(uri: string, from: string, to: string): string | null {
  const address = parseRecordUri(uri);
  return address?.collection === from ? atUri(address.did, to, address.rkey) : null;
}

/** at://OWNER/app.bsky.feed.generator/RKEY → at://OWNER/com.atrarium.community.config/RKEY */
export function communityForFeed(feedUri: string): string | null {
  return swapCollection(feedUri, COLLECTIONS.feedGenerator, COLLECTIONS.config);
}

/** at://OWNER/com.atrarium.community.config/RKEY → at://OWNER/app.bsky.feed.generator/RKEY */
export function feedForCommunity(communityUri: string): string | null {
  return swapCollection(communityUri, COLLECTIONS.config, COLLECTIONS.feedGenerator);
}
