import { COLLECTIONS } from "./firehose/events.ts";
import { parseRecordUri } from "./records/uri.ts";

// A community's feed is the generator record with the same rkey in the owner's
// repo, so the two URIs map onto each other without a lookup table.

function swapCollection(uri: string, from: string, to: string): string | null {
  const address = parseRecordUri(uri);
  return address?.collection === from ? `at://${address.did}/${to}/${address.rkey}` : null;
}

/** at://OWNER/app.bsky.feed.generator/RKEY -> at://OWNER/com.atrarium.community.config/RKEY */
export function communityForFeed(feedUri: string): string | null {
  return swapCollection(feedUri, COLLECTIONS.feedGenerator, COLLECTIONS.config);
}

/** at://OWNER/com.atrarium.community.config/RKEY -> at://OWNER/app.bsky.feed.generator/RKEY */
export function feedForCommunity(communityUri: string): string | null {
  return swapCollection(communityUri, COLLECTIONS.config, COLLECTIONS.feedGenerator);
}

/** A well-formed community config URI, or null. */
export function asCommunityUri(uri: string): string | null {
  return parseRecordUri(uri)?.collection === COLLECTIONS.config ? uri : null;
}
