// End to end, self-contained: a real PDS and PLC (@atproto/dev-env), the
// Jetstream bridge in front of the PDS, and the Worker (workerd via wrangler,
// local Durable Objects and Queues) reading the bridge through its
// FirehoseReceiver. Records are written to the PDS; the feed is read from the Worker.
import { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JetstreamBridge, startJetstreamBridge } from "../../scripts/jetstream-bridge.ts";
import { type RunningWorker, startWorker } from "../firehose/start-worker.ts";

type AtpAgent = ReturnType<TestNetworkNoAppView["pds"]["getAgent"]>;

const ADMIN_PASSWORD = "e2e-admin-password";
const HASHTAG = "#atr_e2e0c0de";

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("ingestion end to end: PDS -> bridge -> FirehoseReceiver -> queue -> processor -> feed", () => {
  let network: TestNetworkNoAppView;
  let bridge: JetstreamBridge;
  let worker: RunningWorker;
  let alice: AtpAgent;
  let bob: AtpAgent;
  let feedUri: string;

  /** The feed's posts; any answer but 200 fails the test (so "gone from the feed" cannot pass on an error). */
  const skeleton = async (): Promise<string[]> => {
    const res = await fetch(
      `${worker.url}/xrpc/app.bsky.feed.getFeedSkeleton?feed=${encodeURIComponent(feedUri)}&limit=100`,
    );
    if (res.status !== 200) throw new Error(`getFeedSkeleton answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { feed: { post: string }[] }).feed.map((f) => f.post);
  };
  const createRecord = (agent: AtpAgent, collection: string, record: Record<string, unknown>) =>
    agent.com.atproto.repo.createRecord({
      repo: agent.assertDid,
      collection,
      validate: false,
      record: { $type: collection, ...record },
    });
  const post = (agent: AtpAgent, text: string) =>
    agent.com.atproto.repo.createRecord({
      repo: agent.assertDid,
      collection: "app.bsky.feed.post",
      record: { $type: "app.bsky.feed.post", text, createdAt: new Date().toISOString() },
    });

  beforeAll(async () => {
    network = await TestNetworkNoAppView.create({ dbPostgresSchema: "ingest_e2e" });
    alice = network.pds.getAgent();
    bob = network.pds.getAgent();
    await alice.createAccount({ handle: "alice.test", email: "alice@test.com", password: "alice-pass" });
    await bob.createAccount({ handle: "bob.test", email: "bob@test.com", password: "bob-pass" });
    bridge = await startJetstreamBridge({ pdsUrl: network.pds.url, port: 0 });
    worker = await startWorker({
      JETSTREAM_URL: `${bridge.url}/subscribe`,
      PLC_URL: network.plc.url,
      ADMIN_PASSWORD,
      ALLOW_PRIVATE_PDS: "true",
    });
    const started = await fetch(`${worker.url}/xrpc/com.atrarium.admin.startFirehose`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`admin:${ADMIN_PASSWORD}`)}` },
    });
    expect(started.status).toBe(200);
    await waitFor("the receiver to connect", async () => {
      const res = await fetch(`${worker.url}/xrpc/com.atrarium.admin.getFirehoseStatus`, {
        headers: { authorization: `Basic ${btoa(`admin:${ADMIN_PASSWORD}`)}` },
      });
      return ((await res.json()) as { connected: boolean }).connected;
    });
  }, 60_000);

  afterAll(async () => {
    await worker?.dispose();
    await bridge?.close();
    await network?.close();
  });

  it("indexes a community from its records, shows a member's post, not a stranger's, and drops a deleted one", async () => {
    const config = await createRecord(alice, "com.atrarium.community.config", {
      name: "E2E garden",
      hashtag: HASHTAG,
      stage: "community",
      createdAt: new Date().toISOString(),
    });
    const rkey = config.data.uri.split("/").pop() as string;
    feedUri = `at://${alice.assertDid}/app.bsky.feed.generator/${rkey}`;
    await createRecord(alice, "com.atrarium.community.membership", {
      community: config.data.uri,
      role: "owner",
      joinedAt: new Date().toISOString(),
    });
    // Asked of the Directory's listing: a feed asked about too early is cached as unknown for a few seconds.
    await waitFor("the community to be indexed", async () => {
      const res = await fetch(`${worker.url}/xrpc/com.atrarium.community.listCommunities?limit=100`);
      const body = (await res.json()) as { communities?: { uri: string }[] };
      return (body.communities ?? []).some((c) => c.uri === config.data.uri);
    });
    await skeleton();

    const stranger = await post(bob, `not a member ${HASHTAG}`);
    const untagged = await post(alice, "no hashtag here");
    const member = await post(alice, `hello garden ${HASHTAG}`);
    const shown = await waitFor("the member's post in the feed", async () => {
      const posts = await skeleton();
      return posts.includes(member.data.uri) && posts;
    });
    expect(shown).not.toContain(stranger.data.uri);
    expect(shown).not.toContain(untagged.data.uri);

    await alice.com.atproto.repo.deleteRecord({
      repo: alice.assertDid,
      collection: "app.bsky.feed.post",
      rkey: member.data.uri.split("/").pop() as string,
    });
    await waitFor(
      "the deleted post to leave the feed",
      async () => !(await skeleton()).includes(member.data.uri),
    );
  }, 60_000);
});
