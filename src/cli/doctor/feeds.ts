// Each feed describeFeedGenerator lists, as the AppView serves it: the
// generator record in the owner's repo must name this service's DID (the
// AppView asks whichever service it names), and getFeedSkeleton must answer
// within the AppView's budget.
import type { IdResolver } from "@atproto/identity";
import { COLLECTIONS, parseRecordUri } from "../../records/address.ts";
import { counted } from "../command.ts";
import { type Check, fail, ok } from "./checklist.ts";
import { type Answer, errorOf, request, Unreachable } from "./http.ts";

/** How long the AppView waits for getFeedSkeleton before it shows the feed as unavailable. */
export const APPVIEW_BUDGET_MS = 10_000;
const CONCURRENT_FEEDS = 4;

async function checkRecord(feed: string, serviceDid: string, idResolver: IdResolver): Promise<Check> {
  const address = parseRecordUri(feed);
  if (!address || address.collection !== COLLECTIONS.feedGenerator)
    return fail("feed-record", `${feed} is not a feed generator URI`, "see the Worker's log", { feed });
  const { did: owner, rkey } = address;
  let pds: string;
  try {
    pds = (await idResolver.did.resolveAtprotoData(owner)).pds;
  } catch (err) {
    return fail(
      "feed-record",
      `${feed}: the owner ${owner} does not resolve (${err instanceof Error ? err.message : String(err)})`,
      "the AppView cannot read this feed's record either; check the owner's DID (and --plc)",
      { feed },
    );
  }
  const where = `${pds}/xrpc/com.atproto.repo.getRecord?repo=${encodeURIComponent(owner)}&collection=${COLLECTIONS.feedGenerator}&rkey=${encodeURIComponent(rkey)}`;
  let answer: Answer;
  try {
    answer = await request(where);
  } catch (err) {
    if (!(err instanceof Unreachable)) throw err;
    return fail(
      "feed-record",
      `${feed}: the owner's PDS ${pds} gives no answer (${err.message})`,
      "retry later",
      {
        feed,
      },
    );
  }
  const named = (answer.json as { value?: { did?: unknown } } | undefined)?.value?.did;
  if (answer.status !== 200) {
    return fail(
      "feed-record",
      `${feed}: the generator record cannot be read from ${pds} (${errorOf(answer)})`,
      "the AppView answers that the feed does not exist: the owner publishes it again (atrarium community create writes it)",
      { feed },
    );
  }
  if (named !== serviceDid) {
    return fail(
      "feed-record",
      `${feed}: the generator record names ${String(named)}, not ${serviceDid}, so the AppView asks that service for the feed`,
      `the owner writes the record again with "did": "${serviceDid}" (com.atproto.repo.putRecord, collection ${COLLECTIONS.feedGenerator}, rkey ${rkey})`,
      { feed },
    );
  }
  return ok("feed-record", `${feed}: the generator record names this service`, { feed });
}

async function checkSkeleton(feed: string, service: string): Promise<Check> {
  const url = `${service}/xrpc/app.bsky.feed.getFeedSkeleton?feed=${encodeURIComponent(feed)}&limit=30`;
  let answer: Answer;
  try {
    answer = await request(url, { timeoutMs: APPVIEW_BUDGET_MS });
  } catch (err) {
    if (!(err instanceof Unreachable)) throw err;
    return fail(
      "feed-skeleton",
      `${feed}: getFeedSkeleton gave no answer (${err.message}); the AppView gives up after ${APPVIEW_BUDGET_MS / 1000} s`,
      "see the feed's latency with atrarium metrics and the Worker's log (npx wrangler tail)",
      { feed },
    );
  }
  if (answer.status !== 200) {
    const unknownFeed = (answer.json as { error?: unknown } | undefined)?.error === "UnknownFeed";
    return fail(
      "feed-skeleton",
      `${feed}: getFeedSkeleton answered ${answer.status} (${errorOf(answer)}), which the AppView shows as an unavailable feed`,
      unknownFeed
        ? "the index does not hold this community: rebuild it with com.atrarium.admin.resyncCommunity, or check getCommunity for HashtagTaken"
        : "see the Worker's log (npx wrangler tail)",
      { feed, ms: answer.ms },
    );
  }
  const posts = (answer.json as { feed?: unknown[] } | undefined)?.feed?.length ?? 0;
  return ok(
    "feed-skeleton",
    `${feed}: getFeedSkeleton answered in ${answer.ms} ms with ${counted(posts, "post")} (the AppView waits ${APPVIEW_BUDGET_MS / 1000} s)`,
    { feed, ms: answer.ms },
  );
}

/** Both checks for every feed, a few feeds at a time, in the order given. */
export async function checkFeeds(
  feeds: string[],
  serviceDid: string,
  service: string,
  idResolver: IdResolver,
): Promise<Check[]> {
  const results: Check[][] = new Array(feeds.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < feeds.length; i = next++) {
      const feed = feeds[i] as string;
      results[i] = [await checkRecord(feed, serviceDid, idResolver), await checkSkeleton(feed, service)];
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_FEEDS, feeds.length) }, worker));
  return results.flat();
}
