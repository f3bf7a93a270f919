import type { AppContext } from "../context.ts";
import type { RecordEvent } from "../firehose/events.ts";
import { COLLECTIONS, parseCommunityUri, parseRecordUri } from "../records/address.ts";
import { communityHashtags } from "../records/hashtags.ts";
import {
  getRecord,
  listRecords,
  PdsLookupError,
  type PdsRecord,
  PdsUnreachableError,
  resolvePds,
} from "./pds.ts";
import { applyRecordFromPds } from "./requestIndex.ts";

export interface ResyncReport {
  community: string;
  added: number;
  removed: number;
  unchanged: number;
  unreachable: number;
}

const PARALLEL_REPOS = 4;

/**
 * Rebuilds one community from the repos that hold its truth: the owner's
 * config, then the membership, moderation and post records of every DID the
 * index knows for it (members, moderation authors, posters), every page of
 * every list; each record is observed at the moment it is read. What the index holds
 * but a reachable repo no longer has is removed; an unreachable repo is
 * counted and left as it is.
 */
export async function resyncCommunity(ctx: AppContext, community: string): Promise<ResyncReport | null> {
  const address = parseCommunityUri(community);
  if (!address) return null;
  const uri = address.uri;
  const report: ResyncReport = { community: uri, added: 0, removed: 0, unchanged: 0, unreachable: 0 };

  const ownerPds = await resolvePds(ctx, address.owner);
  const config = await getRecord(ownerPds, address.owner, COLLECTIONS.config, address.rkey);
  await applyAndCount(ctx, report, address.owner, COLLECTIONS.config, address.rkey, ownerPds, config);
  if (!config) return report;

  const feed = ctx.communityFeed(uri);
  const moderators = Array.isArray(config.value.moderators) ? (config.value.moderators as string[]) : [];
  const hashtag = String(config.value.hashtag);
  const dids = new Set([
    address.owner,
    ...moderators,
    ...(await ctx.directory().didsOf(uri)),
    ...(await feed.knownDids()),
  ]);
  const queue = [...dids];
  const worker = async () => {
    for (let did = queue.shift(); did !== undefined; did = queue.shift()) {
      await resyncRepo(ctx, report, uri, hashtag, did);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_REPOS }, worker));
  return report;
}

async function resyncRepo(
  ctx: AppContext,
  report: ResyncReport,
  community: string,
  hashtag: string,
  did: string,
) {
  let pds: URL;
  let records: { collection: string; record: PdsRecord }[];
  try {
    pds = await resolvePds(ctx, did);
    const pointsHere = (r: PdsRecord) => r.value.community === community;
    const [memberships, actions, posts] = await Promise.all([
      listRecords(pds, did, COLLECTIONS.membership),
      listRecords(pds, did, COLLECTIONS.action),
      // Every page: a record's key and its createdAt are both the author's to choose, so
      // no order of listing tells where the posts of the feed window end.
      listRecords(pds, did, COLLECTIONS.post),
    ]);
    records = [
      ...memberships.filter(pointsHere).map((record) => ({ collection: COLLECTIONS.membership, record })),
      ...actions.filter(pointsHere).map((record) => ({ collection: COLLECTIONS.action, record })),
      ...posts
        .filter((r) => communityHashtags(r.value).includes(hashtag))
        .map((record) => ({ collection: COLLECTIONS.post, record })),
    ];
  } catch (err) {
    if (err instanceof PdsUnreachableError || err instanceof PdsLookupError) {
      console.warn(JSON.stringify({ event: "resync_unreachable", did, error: err.message }));
      report.unreachable++;
      return;
    }
    throw err;
  }
  // Memberships first, so that posts are judged against the restored periods.
  for (const { collection, record } of records) {
    const rkey = record.uri.split("/").pop() as string;
    await applyAndCount(ctx, report, did, collection, rkey, pds, record);
  }
  await removeVanished(ctx, report, community, did, new Set(records.map((r) => r.record.uri)));
}

async function applyAndCount(
  ctx: AppContext,
  report: ResyncReport,
  did: string,
  collection: string,
  rkey: string,
  pds: URL,
  record: PdsRecord | null,
): Promise<void> {
  const { result, outcomes } = await applyRecordFromPds(ctx, { did, collection, rkey }, pds, record);
  if (result.status === "deleted") report.removed += outcomes.some((o) => o.status === "deleted") ? 1 : 0;
  else if (outcomes.some((o) => o.status === "applied")) report.added++;
  else report.unchanged++;
}

/** Deletes what the index holds for `did` but the repo no longer has. */
async function removeVanished(
  ctx: AppContext,
  report: ResyncReport,
  community: string,
  did: string,
  present: Set<string>,
) {
  const feed = ctx.communityFeed(community);
  const held = await feed.indexedRecordsOf(did);
  const gone = [...held.memberships, ...held.actions, ...held.posts].filter((uri) => !present.has(uri));
  if (gone.length === 0) return;
  const time = Date.now() * 1000;
  const deletes: RecordEvent[] = gone.flatMap((uri) => {
    const address = parseRecordUri(uri);
    return address ? [{ kind: "record" as const, ...address, operation: "delete" as const, time }] : [];
  });
  const outcomes = await feed.applyEvents(community, deletes);
  report.removed += outcomes.filter((o) => o.status === "deleted").length;
}
