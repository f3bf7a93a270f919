import type { ApplyOutcome } from "../community/CommunityFeed.ts";
import type { AppContext } from "../context.ts";
import type { JetstreamCommitEvent } from "../firehose/events.ts";
import { applyRouted, routeEvents } from "../firehose/routing.ts";
import { COLLECTIONS, type RecordAddress } from "../records/address.ts";
import { communityHashtags } from "../records/hashtags.ts";
import {
  validateCommunityConfig,
  validateMembership,
  validateModerationAction,
  validatePost,
} from "../records/validate.ts";
import { getRecord, type PdsRecord, resolvePds } from "./pds.ts";

export const INDEXABLE_COLLECTIONS: ReadonlySet<string> = new Set([
  COLLECTIONS.config,
  COLLECTIONS.membership,
  COLLECTIONS.action,
  COLLECTIONS.post,
]);

export interface IndexResult {
  uri: string;
  status: "indexed" | "deleted" | "rejected";
  reason?: string;
}

function validationProblems(collection: string, value: unknown): string[] {
  const checked =
    collection === COLLECTIONS.config
      ? validateCommunityConfig(value)
      : collection === COLLECTIONS.membership
        ? validateMembership(value)
        : collection === COLLECTIONS.action
          ? validateModerationAction(value)
          : validatePost(value);
  return checked.ok ? [] : checked.reasons;
}

/** Folds the outcomes from every community the record went to into one answer. */
function summarize(uri: string, outcomes: ApplyOutcome[], deleted: boolean): IndexResult {
  if (deleted) return { uri, status: "deleted" };
  if (outcomes.some((o) => o.status === "applied")) return { uri, status: "indexed" };
  if (outcomes.some((o) => o.status === "misrouted"))
    return { uri, status: "rejected", reason: "the community lost its hashtag while indexing; try again" };
  const refusal =
    outcomes.find((o) => o.status === "rejected") ?? outcomes.find((o) => o.status === "ignored");
  if (refusal?.status === "ignored" && /duplicate|unchanged|older/.test(refusal.reason ?? "")) {
    return { uri, status: "indexed", reason: "already indexed" };
  }
  if (!refusal)
    return { uri, status: "rejected", reason: "no indexed community is concerned by this record" };
  return { uri, status: "rejected", ...(refusal.reason ? { reason: refusal.reason } : {}) };
}

/**
 * Applies one record exactly as the firehose would, but fetched now from its
 * author's PDS. A record the PDS no longer has is applied as a delete.
 */
export async function applyRecordFromPds(
  ctx: AppContext,
  address: RecordAddress,
  pds?: URL,
  fetched?: PdsRecord | null,
): Promise<{ result: IndexResult; outcomes: ApplyOutcome[] }> {
  const uri = `at://${address.did}/${address.collection}/${address.rkey}`;
  const record =
    fetched !== undefined
      ? fetched
      : await getRecord(
          pds ?? (await resolvePds(ctx, address.did)),
          address.did,
          address.collection,
          address.rkey,
        );
  if (record) {
    const problems = validationProblems(address.collection, record.value);
    if (problems.length > 0)
      return { result: { uri, status: "rejected", reason: problems.join("; ") }, outcomes: [] };
  }
  // A post without a community hashtag may be the edit that removed it: it
  // then goes wherever the post is held, like an edit on the firehose.
  const untaggedPost =
    record !== null &&
    address.collection === COLLECTIONS.post &&
    communityHashtags(record.value).length === 0;
  // A membership or action may have been edited to name another community:
  // like an edit on the firehose, it also goes where its author's records are kept.
  const movable = address.collection === COLLECTIONS.membership || address.collection === COLLECTIONS.action;
  // Observed now: the moment of reading is when this version was seen.
  const event: JetstreamCommitEvent = {
    did: address.did,
    time_us: Date.now() * 1000,
    kind: "commit",
    commit: {
      rev: "",
      operation: record ? (untaggedPost || movable ? "update" : "create") : "delete",
      collection: address.collection,
      rkey: address.rkey,
      ...(record ? { record: record.value, cid: record.cid } : {}),
    },
  };
  const { configs, rest, stats } = await routeEvents(ctx, [event]);
  const outcomes: ApplyOutcome[] = [...(await applyRouted(ctx, configs)), ...(await applyRouted(ctx, rest))];
  if (outcomes.length === 0 && untaggedPost)
    return { result: { uri, status: "rejected", reason: "post carries no community hashtag" }, outcomes };
  // A record that moved is dropped where it was before: that alone says nothing of where it went.
  const whereItGoes = record ? outcomes.filter((o) => o.status !== "deleted") : outcomes;
  if (whereItGoes.length === 0 && stats.parked > 0) {
    const reason = "its community is not indexed yet; the record is kept and counts once the config arrives";
    return { result: { uri, status: "rejected", reason }, outcomes };
  }
  return { result: summarize(uri, outcomes, !record), outcomes };
}
