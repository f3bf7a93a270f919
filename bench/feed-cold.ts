// bench:feed's cold page with an AppView: the community page of a second
// Worker whose APPVIEW_URL is the fake network, so the 20 posts and their
// authors' handles come in two requests (app.bsky.feed.getPosts,
// app.bsky.actor.getProfiles) instead of some sixty (a DID document, a record
// and a handle check per author, six requests at a time within one Worker
// request). Cold once, then warm next to /xrpc/_health.
import { fileURLToPath } from "node:url";
import { createTestHarness } from "wrangler";
import type { IndexEvent } from "../src/firehose/events.ts";
import type { FakeNetwork } from "./fake-network.ts";
import { benchVars, type TimedFeed, timedWorkerConfig } from "./timed-worker.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
export const COLD_HASHTAG = "#atr_c01dc01d";
const POSTS = 20;

const p50 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] as number;

/** The events of a community of 20 members with one post each. */
function communityEvents(uri: string, owner: string): IndexEvent[] {
  const now = Date.now();
  const members = Array.from({ length: POSTS }, (_, i) => `did:plc:coldmember${i}`);
  const record = (
    collection: string,
    did: string,
    rkey: string,
    time: number,
    value: object,
  ): IndexEvent => ({
    kind: "record",
    did,
    collection,
    rkey,
    operation: "create",
    cid: CID,
    time: time * 1000,
    record: { $type: collection, ...value },
  });
  return [
    record("com.atrarium.community.config", owner, uri.split("/").pop() as string, now - 10_000, {
      name: "Cold page",
      hashtag: COLD_HASHTAG,
      stage: "community",
      createdAt: new Date(now - 10_000).toISOString(),
    }),
    ...members.map((did, i) =>
      record("com.atrarium.community.membership", did, "3lmember", now - 9_000 + i, {
        community: uri,
        role: "member",
        joinedAt: new Date(now - 9_000).toISOString(),
      }),
    ),
    ...members.map((did, i) =>
      record("app.bsky.feed.post", did, `3lpost${i}`, now - 5_000 + i, {
        text: `cold post ${i} ${COLD_HASHTAG}`,
        createdAt: new Date(now - 5_000 + i).toISOString(),
      }),
    ),
  ];
}

export async function coldPageWithAppView(
  network: FakeNetwork,
): Promise<{ coldMs: number; warmMs: number; healthMs: number; upstream: number }> {
  const config = timedWorkerConfig({
    consumers: false,
    vars: benchVars(network.url, { APPVIEW_URL: network.url }),
  });
  const harness = createTestHarness({ root: ROOT, workers: [{ config }] as never });
  try {
    const { url } = await harness.listen();
    const env = (await harness.getWorker().getEnv()) as {
      COMMUNITY_FEED: { getByName(name: string): unknown };
    };
    const owner = "did:plc:coldowner";
    const uri = `at://${owner}/com.atrarium.community.config/3lcoldpage`;
    await (env.COMMUNITY_FEED.getByName(uri) as TimedFeed).applyEvents(uri, communityEvents(uri, owner));
    const get = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(new URL(path, url));
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return { ms: performance.now() - t0, body };
    };
    await get("/xrpc/_health");
    const page = `/c/${COLD_HASHTAG.slice(1)}`;
    const before = network.requests();
    const cold = await get(page);
    const upstream = network.requests() - before;
    const shown = (cold.body.match(/<p class="post-text">/g) ?? []).length;
    if (shown !== POSTS) throw new Error(`the AppView page showed ${shown} of ${POSTS} posts`);
    const warm: number[] = [];
    const health: number[] = [];
    for (let i = 0; i < 100; i++) {
      health.push((await get("/xrpc/_health")).ms);
      warm.push((await get(page)).ms);
    }
    return { coldMs: cold.ms, warmMs: p50(warm), healthMs: p50(health), upstream };
  } finally {
    await harness.close();
  }
}
