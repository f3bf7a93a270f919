import type { AppContext } from "../context.ts";
import type { RecordEvent } from "../firehose/events.ts";
import { COLLECTIONS, parseCommunityUri, parseRecordUri } from "../records/address.ts";
import { communityHashtags } from "../records/hashtags.ts";
import {
  getRecord,
  listRecordPages,
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
  /** Repos listed only up to the page cap: what lies beyond was not read, and nothing was removed on its account. */
  reposCut?: number;
  /** Those repos' DIDs (the first CUT_DIDS_SHOWN). */
  cutDids?: string[];
}

const PARALLEL_REPOS = 4;
/**
 * Pages of 100 records read per repo at most, over its memberships, actions
 * and posts. A PDS lists newest record keys first, and honest clients write
 * keys in time order, so a week of posts fits well within the cap but for a
 * few accounts; a record key is the author's to choose, so nothing read
 * after the cap can be trusted to be absent.
 */
export const MAX_PAGES_PER_REPO = 50;
const CUT_DIDS_SHOWN = 20;

/** What a rebuild keeps of each collection: the records that point at the community. */
type Matcher = (record: PdsRecord) => boolean;

/**
 * Rebuilds one community from the repos that hold its truth: the owner's
 * config, then the membership, moderation and post records of every DID the
 * index knows for it (members, moderation authors, posters). Each repo is
 * read a page at a time, keeping only the records that point at the
 * community, up to `maxPagesPerRepo` pages; each record is observed at the
 * moment it is read. What the index holds but a repo no longer lists is
 * removed, for collections listed to their end; an unreachable repo is
 * counted and left as it is, a repo cut at the cap is reported.
 */
export async function resyncCommunity(
  ctx: AppContext,
  community: string,
  opts: { maxPagesPerRepo?: number } = {},
): Promise<ResyncReport | null> {
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
  const pointsHere: Matcher = (r) => r.value.community === uri;
  // Memberships first, so that posts are judged against the restored periods.
  const wanted: [string, Matcher][] = [
    [COLLECTIONS.membership, pointsHere],
    [COLLECTIONS.action, pointsHere],
    [COLLECTIONS.post, (r) => communityHashtags(r.value).includes(hashtag)],
  ];
  const dids = new Set([
    address.owner,
    ...moderators,
    ...(await ctx.directory().didsOf(uri)),
    ...(await feed.knownDids()),
  ]);
  const maxPages = opts.maxPagesPerRepo ?? MAX_PAGES_PER_REPO;
  const cut: string[] = [];
  const queue = [...dids];
  const worker = async () => {
    for (let did = queue.shift(); did !== undefined; did = queue.shift()) {
      if (!(await resyncRepo(ctx, report, uri, wanted, did, maxPages))) cut.push(did);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_REPOS }, worker));
  if (cut.length > 0) {
    report.reposCut = cut.length;
    report.cutDids = cut.sort().slice(0, CUT_DIDS_SHOWN);
    console.warn(JSON.stringify({ event: "resync_cut", community: uri, repos: cut.length, maxPages }));
  }
  return report;
}

/**
 * Applies what one repo holds for the community, a page at a time, and
 * removes what it no longer lists. Returns false when the page cap cut the
 * listing short.
 */
async function resyncRepo(
  ctx: AppContext,
  report: ResyncReport,
  community: string,
  wanted: [string, Matcher][],
  did: string,
  maxPages: number,
): Promise<boolean> {
  const present = new Set<string>();
  const listedToTheEnd = new Set<string>();
  let pagesLeft = maxPages;
  try {
    const pds = await resolvePds(ctx, did);
    for (const [collection, matches] of wanted) {
      const pages = listRecordPages(pds, did, collection);
      for (;;) {
        if (pagesLeft === 0) {
          await pages.return(undefined);
          break;
        }
        const page = await pages.next();
        if (page.done) {
          listedToTheEnd.add(collection);
          break;
        }
        pagesLeft--;
        for (const record of page.value.filter(matches)) {
          present.add(record.uri);
          const rkey = record.uri.split("/").pop() as string;
          await applyAndCount(ctx, report, did, collection, rkey, pds, record);
        }
      }
    }
  } catch (err) {
    if (err instanceof PdsUnreachableError || err instanceof PdsLookupError) {
      console.warn(JSON.stringify({ event: "resync_unreachable", did, error: err.message }));
      report.unreachable++;
      return true;
    }
    throw err;
  }
  await removeVanished(ctx, report, community, did, present, listedToTheEnd);
  return listedToTheEnd.size === wanted.length;
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

/** Deletes what the index holds for `did` but the repo no longer lists (in collections listed to their end). */
async function removeVanished(
  ctx: AppContext,
  report: ResyncReport,
  community: string,
  did: string,
  present: Set<string>,
  listed: Set<string>,
) {
  const feed = ctx.communityFeed(community);
  const held = await feed.indexedRecordsOf(did);
  const gone = [
    ...(listed.has(COLLECTIONS.membership) ? held.memberships : []),
    ...(listed.has(COLLECTIONS.action) ? held.actions : []),
    ...(listed.has(COLLECTIONS.post) ? held.posts : []),
  ].filter((uri) => !present.has(uri));
  if (gone.length === 0) return;
  const time = Date.now() * 1000;
  const deletes: RecordEvent[] = gone.flatMap((uri) => {
    const address = parseRecordUri(uri);
    return address ? [{ kind: "record" as const, ...address, operation: "delete" as const, time }] : [];
  });
  const outcomes = await feed.applyEvents(community, deletes);
  report.removed += outcomes.filter((o) => o.status === "deleted").length;
}
