// The app.bsky.feed.generator record that publishes a community's feed: same
// rkey as the config, `did` set to the Worker's service DID, and a name and
// description that follow the community's. Pure: shared by the client, the
// CLI and the web app's browser code.
import { truncateGraphemes } from "../text/graphemes.ts";
import { COLLECTIONS } from "./address.ts";

const FEED_NAME_MAX_GRAPHEMES = 24;
const FEED_DESCRIPTION_MAX_GRAPHEMES = 300;

/** The generator record for a community served by `serviceDid`. */
export function feedGeneratorRecord(
  serviceDid: string,
  config: { name: string; description?: string; hashtag: string },
  createdAt = new Date().toISOString(),
) {
  const about = config.description ? `${config.description}\n\n` : "";
  return {
    $type: COLLECTIONS.feedGenerator,
    did: serviceDid,
    displayName: truncateGraphemes(config.name, FEED_NAME_MAX_GRAPHEMES),
    description: truncateGraphemes(
      `${about}Members post with ${config.hashtag} (an Atrarium community).`,
      FEED_DESCRIPTION_MAX_GRAPHEMES,
    ),
    createdAt,
  };
}
