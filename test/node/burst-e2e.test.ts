// A regression test for posts lost in a burst (issue 13), on the local stack
// `npm start` runs: a real PDS and PLC, the Jetstream bridge and the Worker
// under `wrangler dev` with its local queue. Locally one consumer invocation
// runs at a time, so messages are only processed together within one batch;
// the queue's batch timeout is raised to 1 s here so that batches fill, as
// they do (and as concurrent invocations run) in production. A community is created, fresh
// members join, and at once they write a burst of hashtagged posts (as fast
// as the PDS takes them, round robin), then nobody writes anything. Every post
// must reach the feed, and without the receiver reconnecting: a reconnect
// would replay the burst from the cursor and hide a loss. The wait stays well
// below the receiver's 30 s silence timeout, the only thing that would bring a
// lost post back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local-stack.ts";
import { createDemoAccount, type DemoAccount, eventually } from "../../scripts/quickstart.ts";
import { tagFacet } from "../firehose/synthetic.ts";

const ADMIN_PASSWORD = "burst-admin-password";
const MEMBERS = 6;
const POSTS = 120;
/** Below the receiver's silence timeout (30 s): no reconnect can have replayed the burst by then. */
const WAIT_MS = 20_000;

let stack: LocalStack;
let persistDir: string;
const admin = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}` };

interface Status {
  connected: boolean;
  reconnects: number;
}

async function status(): Promise<Status> {
  const res = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.getFirehoseStatus`, { headers: admin });
  if (res.status !== 200) throw new Error(`getFirehoseStatus answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Status;
}

/** Every post of a feed, page by page; any answer but 200 fails the test. */
async function feed(feedUri: string): Promise<string[]> {
  const posts: string[] = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams({ feed: feedUri, limit: "100", ...(cursor ? { cursor } : {}) });
    const res = await fetch(`${stack.workerUrl}/xrpc/app.bsky.feed.getFeedSkeleton?${params}`);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`getFeedSkeleton answered ${res.status}: ${body}`);
    const page = JSON.parse(body) as { feed: { post: string }[]; cursor?: string };
    posts.push(...page.feed.map((f) => f.post));
    cursor = page.cursor;
  } while (cursor);
  return posts;
}

/** A post as the Bluesky app writes one: the hashtag in the text and as a tag facet. */
async function tagged(author: DemoAccount, hashtag: string, n: number): Promise<string> {
  const agent = author.client.agent;
  if (!agent) throw new Error(`${author.name} has no session`);
  const text = `burst post ${n} from ${author.name} ${hashtag}`;
  const res = await agent.com.atproto.repo.createRecord({
    repo: author.did,
    collection: "app.bsky.feed.post",
    record: {
      $type: "app.bsky.feed.post",
      text,
      facets: [tagFacet(hashtag.slice(1), text)],
      createdAt: new Date().toISOString(),
    },
  });
  return res.data.uri;
}

beforeAll(async () => {
  persistDir = mkdtempSync(join(tmpdir(), "atrarium-burst-"));
  stack = await startLocalStack({ persistDir, adminPassword: ADMIN_PASSWORD, queueBatchTimeoutS: 1 });
  const res = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.startFirehose`, {
    method: "POST",
    headers: admin,
  });
  expect(res.status).toBe(200);
  await eventually("the firehose receiver connected", status, (s) => s.connected);
}, 120_000);

afterAll(async () => {
  await stack?.close();
  rmSync(persistDir, { recursive: true, force: true });
});

describe("a burst of posts from members who have just joined a new community", () => {
  it("puts every post in the feed, without a reconnect", async () => {
    const owner = await createDemoAccount(stack, "gardener");
    const members = await Promise.all(
      Array.from({ length: MEMBERS }, (_, i) => createDemoAccount(stack, `planter${i}`)),
    );
    const before = await status();

    // Nothing waits for the index from here on: create, join, burst.
    const community = await owner.client.createCommunity({ name: "Burst garden" });
    await Promise.all(members.map((m) => m.client.join(community.uri)));
    const started = Date.now();
    const written: string[] = new Array(POSTS); // in write order: post n by member n % MEMBERS
    await Promise.all(
      members.map(async (member, m) => {
        for (let n = m; n < POSTS; n += MEMBERS) written[n] = await tagged(member, community.hashtag, n);
      }),
    );
    const lastWrite = Date.now();
    console.log(`burst: ${written.length} posts written in ${lastWrite - started} ms`);

    // Ask for the feed once the community is listed: the Worker remembers a feed it was asked about
    // too early as unknown for a few seconds, and the wait would time that cache, not the burst.
    await eventually(
      "the community listed",
      async () => {
        const res = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.community.listCommunities?limit=100`);
        if (res.status !== 200) throw new Error(`listCommunities answered ${res.status}`);
        return ((await res.json()) as { communities: { uri: string }[] }).communities.map((c) => c.uri);
      },
      (listed) => listed.includes(community.uri),
      WAIT_MS,
    );
    const shown = await eventually(
      `all ${written.length} burst posts in the feed`,
      () => feed(community.feedUri),
      (f) => written.every((uri) => f.includes(uri)),
      WAIT_MS,
    ).catch(async (err: Error) => {
      const f = await feed(community.feedUri);
      const missing = written.filter((uri) => !f.includes(uri));
      throw new Error(
        `${missing.length} of ${written.length} posts missing ${WAIT_MS / 1000} s after the burst ` +
          `(in write order: ${written.map((u) => (f.includes(u) ? "." : "x")).join("")}): ${err.message.slice(0, 200)}`,
      );
    });
    console.log(`burst: every post in the feed ${Date.now() - lastWrite} ms after the last write`);
    expect(written.filter((uri) => !shown.includes(uri))).toEqual([]);
    expect((await status()).reconnects).toBe(before.reconnects);
  }, 120_000);
});
