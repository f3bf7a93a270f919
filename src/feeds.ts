import { COLLECTIONS } from "./firehose/events.ts";

// A community's feed is the generator record with the same rkey in the owner's
// repo, so the two URIs map onto each other without a lookup table.
const URI = /^at:\/\/(did:[a-z]+:[a-zA-Z0-9._:%-]+)\/([a-zA-Z0-9.-]+)\/([a-zA-Z0-9._:~-]{1,512})$/;

function swapCollection(uri: string, from: string, to: string): string | null {
  const match = URI.exec(uri);
  return match && match[2] === from ? `at://${match[1]}/${to}/${match[3]}` : null;
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
  const match = URI.exec(uri);
  return match && match[2] === COLLECTIONS.config ? uri : null;
}
