// The community's feed generator record (its shape: src/records/feed-generator.ts),
// and keeping it in step when the community's name or description change.
import { COLLECTIONS } from "../../records/address.ts";
import { feedGeneratorRecord } from "../../records/feed-generator.ts";
import type { ClientContext } from "../context.ts";
import { toAtrariumError } from "../errors.ts";
import { serviceDid } from "../service.ts";
import type { CommunityConfig } from "../types.ts";

/** The generator record for a community served by `serviceDid`. */
export const feedRecord = feedGeneratorRecord;

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
