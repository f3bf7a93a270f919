// bench:feed's hot feed phase: CLIENTS concurrent clients on one community's
// getFeedSkeleton (first page) for SECONDS through the Worker, with a new
// post indexed every second, next to the same load on /xrpc/_health (the two
// take turns in four slices, so the machine's other load weighs on both).
//
// When a new post shows: every answer the clients get is searched for the
// posts indexed so far, and a post's time is from its applyEvents call
// returning to the first answer that holds it. An answer is sent once the
// Worker has handled the request (the seconds a request waits behind the
// others are before that), and with hundreds of answers a second the first
// one is found within milliseconds. The posts are indexed over RPC from Node,
// not through the Worker's queue consumer, so no invalidation reaches the
// Worker's cache: what is timed is the cache's time to live, the bound every
// isolate but the one that applied the post works with.
import { closedLoop, type LoadResult } from "./load.ts";

export const CLIENTS = Number(process.env.BENCH_HOT_CLIENTS ?? 200);
export const SECONDS = Number(process.env.BENCH_HOT_SECONDS ?? 20);
/** Health and feed take turns, SECONDS / SLICES at a time. */
const SLICES = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface HotFeedResult {
  feed: LoadResult;
  health: LoadResult;
  /** Per new post, ms from indexed to first served (sorted); Infinity when it never showed. */
  newPostMs: number[];
}

/** Requests per second and latencies over several runs of closedLoop, as one. */
function combined(runs: LoadResult[], seconds: number): LoadResult {
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const weighted = (pick: (r: LoadResult) => number) =>
    runs.reduce((n, r) => n + pick(r) * r.requests, 0) / Math.max(1, requests);
  return {
    requests,
    perSecond: requests / seconds,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    p50Ms: weighted((r) => r.p50Ms),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    clientCores: weighted((r) => r.clientCores),
  };
}

export async function hotFeedPhase(
  base: URL,
  feedUri: string,
  /** Indexes one new post (newest in the feed) and returns its URI once applied. */
  addPost: (i: number) => Promise<string>,
): Promise<HotFeedResult> {
  const feedUrl = new URL(
    `/xrpc/app.bsky.feed.getFeedSkeleton?${new URLSearchParams({ feed: feedUri, limit: "50" })}`,
    base,
  ).toString();
  const healthUrl = new URL("/xrpc/_health", base).toString();
  const appliedAt = new Map<string, number>();
  const waiting = new Set<string>();
  const firstSeen = new Map<string, number>();
  const inspect = (body: string, receivedAt: number) => {
    for (const uri of waiting) {
      if (!body.includes(uri)) continue;
      firstSeen.set(uri, receivedAt);
      waiting.delete(uri);
    }
  };
  // In slices, health and feed in turn, so that the machine's other load weighs on both alike.
  const sliceS = SECONDS / SLICES;
  const health: LoadResult[] = [];
  const feed: LoadResult[] = [];
  let posted = 0;
  for (let slice = 0; slice < SLICES; slice++) {
    health.push(await closedLoop(healthUrl, CLIENTS, sliceS));
    // A post every second, from half a second in; the last one still has a second of load to show in.
    const poster = (async () => {
      await sleep(500);
      for (let i = 0; i < sliceS - 1; i++) {
        const next = performance.now() + 1_000;
        const uri = await addPost(posted++);
        appliedAt.set(uri, performance.now());
        waiting.add(uri);
        await sleep(next - performance.now());
      }
    })();
    feed.push(await closedLoop(feedUrl, CLIENTS, sliceS, inspect));
    await poster;
  }
  const newPostMs = [...appliedAt]
    .map(([uri, at]) => Math.max(0, (firstSeen.get(uri) ?? Number.POSITIVE_INFINITY) - at))
    .sort((a, b) => a - b);
  return { feed: combined(feed, SECONDS), health: combined(health, SECONDS), newPostMs };
}
