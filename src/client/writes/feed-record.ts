// The app.bsky.feed.generator record that publishes a community's feed: same
// rkey as the config, `did` set to the Worker's service DID, and a name and
// description that follow the community's.
import { COLLECTIONS } from "../../records/address.ts";
import type { ClientContext } from "../context.ts";
import { toAtrariumError } from "../errors.ts";
import { serviceDid } from "../service.ts";
import { truncateGraphemes } from "../text.ts";
import type { CommunityConfig } from "../types.ts";

const FEED_NAME_MAX_GRAPHEMES = 24;
const FEED_DESCRIPTION_MAX_GRAPHEMES = 300;

/** The generator record for a community served by `serviceDid`. */
export function feedRecord(
  serviceDid: string,
  config: { name: string; description?: string; hashtag: string },
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
    createdAt: new Date().toISOString(),
  };
}

/**
 * Keeps the feed's displayName/description in step with the community's
 * name/description. A failure is a warning: the config itself was written.
 */
export async function syncFeedRecord(
  ctx: ClientContext,
  rkey: string,
  config: CommunityConfig,
  warnings: string[],
): Promise<void> {
  const { agent, did } = ctx.session("update the feed record");
  try {
    const existing = await agent.com.atproto.repo
      .getRecord({ repo: did, collection: COLLECTIONS.feedGenerator, rkey })
      .catch(() => undefined);
    const prior = existing?.data.value as { did?: string; createdAt?: string } | undefined;
    const value = {
      ...feedRecord(prior?.did ?? (await serviceDid(ctx)), config),
      createdAt: prior?.createdAt ?? config.createdAt,
    };
    await agent.com.atproto.repo.putRecord({
      repo: did,
      collection: COLLECTIONS.feedGenerator,
      rkey,
      record: value,
    });
  } catch (err) {
    const e = toAtrariumError(err, "updating the feed record", "your PDS");
    ctx.warn(warnings, `The community was updated but its feed record was not: ${e.message}`);
  }
}
