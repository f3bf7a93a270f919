// The dead-letter round trip end to end: a real PDS, the Jetstream bridge and
// the Worker under wrangler's local dev server, with its real queue, retries
// (max_retries = 3) and dead-letter queue. A member's post reaches the
// community while the community's object fails every call (a test switch in
// test/node/fixtures/failing-community-worker.ts stands for an object that is
// overloaded or broken by a bad deploy): every attempt fails, the message
// lands in firehose-dlq, is kept with the error that killed it, is listed,
// and is redriven once the object works again.
import { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JetstreamBridge, startJetstreamBridge } from "../../scripts/jetstream-bridge.ts";
import { eventually } from "../../scripts/quickstart.ts";
import { type RunningWorker, startWorker } from "../firehose/start-worker.ts";

type AtpAgent = ReturnType<TestNetworkNoAppView["pds"]["getAgent"]>;

const ADMIN_PASSWORD = "dlq-admin-password";
const HASHTAG = "#atr_dead1e77";

interface Listed {
  deadLetters: {
    id: string;
    error: string;
    attempts: number;
    eventCount: number;
    events: { uri?: string }[];
  }[];
  total: number;
}

describe("dead letters end to end: a poison message through retries, the DLQ, listing and redrive", () => {
  let network: TestNetworkNoAppView;
  let bridge: JetstreamBridge;
  let worker: RunningWorker;
  let alice: AtpAgent;

  const call = async <T>(method: string, init: { post?: boolean; body?: unknown; query?: string } = {}) => {
    const res = await fetch(`${worker.url}/xrpc/${method}${init.query ?? ""}`, {
      method: init.post || init.body !== undefined ? "POST" : "GET",
      headers: {
        authorization: `Basic ${btoa(`admin:${ADMIN_PASSWORD}`)}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (res.status !== 200) throw new Error(`${method} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  /** The feed's posts; any answer but 200 fails the test. */
  const feed = async (feedUri: string) => {
    const res = await fetch(
      `${worker.url}/xrpc/app.bsky.feed.getFeedSkeleton?feed=${encodeURIComponent(feedUri)}&limit=100`,
    );
    if (res.status !== 200) throw new Error(`getFeedSkeleton answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { feed: { post: string }[] }).feed.map((f) => f.post);
  };
  const setFailing = async (community: string, on: boolean) => {
    const res = await fetch(
      `${worker.url}/test/failing?community=${encodeURIComponent(community)}&on=${on ? 1 : 0}`,
      { method: "POST" },
    );
    expect(res.status).toBe(204);
  };
  const createRecord = (collection: string, record: Record<string, unknown>) =>
    alice.com.atproto.repo.createRecord({
      repo: alice.assertDid,
      collection,
      validate: false,
      record: { $type: collection, ...record },
    });

  beforeAll(async () => {
    network = await TestNetworkNoAppView.create({ dbPostgresSchema: "dead_letters_e2e" });
    alice = network.pds.getAgent();
    await alice.createAccount({ handle: "alice.test", email: "alice@test.com", password: "alice-pass" });
    bridge = await startJetstreamBridge({ pdsUrl: network.pds.url, port: 0 });
    worker = await startWorker(
      {
        JETSTREAM_URL: `${bridge.url}/subscribe`,
        PLC_URL: network.plc.url,
        ADMIN_PASSWORD,
        ALLOW_PRIVATE_PDS: "true",
      },
      { entrypoint: "test/node/fixtures/failing-community-worker.ts" },
    );
    await call("com.atrarium.admin.startFirehose", { post: true });
    await eventually(
      "the receiver connected",
      () => call<{ connected: boolean }>("com.atrarium.admin.getFirehoseStatus"),
      (s) => s.connected,
      30_000,
    );
  }, 90_000);

  afterAll(async () => {
    await worker?.dispose();
    await bridge?.close();
    await network?.close();
  });

  it("keeps the message that failed every attempt, lists it with its error, and redrives it once fixed", async () => {
    const config = await createRecord("com.atrarium.community.config", {
      name: "DLQ garden",
      hashtag: HASHTAG,
      stage: "community",
      createdAt: new Date().toISOString(),
    });
    const community = config.data.uri;
    const feedUri = community.replace("com.atrarium.community.config", "app.bsky.feed.generator");
    await createRecord("com.atrarium.community.membership", {
      community,
      role: "owner",
      joinedAt: new Date().toISOString(),
    });
    const before = await alice.com.atproto.repo.createRecord({
      repo: alice.assertDid,
      collection: "app.bsky.feed.post",
      record: { $type: "app.bsky.feed.post", text: `before ${HASHTAG}`, createdAt: new Date().toISOString() },
    });
    // getCommunity answers once the community's own object holds the config (its feed is then known).
    const indexed = `${worker.url}/xrpc/com.atrarium.community.getCommunity?community=${encodeURIComponent(community)}`;
    await eventually(
      "the community indexed",
      async () => (await fetch(indexed)).status,
      (s) => s === 200,
      30_000,
    );
    await eventually(
      "a first post",
      () => feed(feedUri),
      (f) => f.includes(before.data.uri),
      30_000,
    );

    await setFailing(community, true);
    const poison = await alice.com.atproto.repo.createRecord({
      repo: alice.assertDid,
      collection: "app.bsky.feed.post",
      record: {
        $type: "app.bsky.feed.post",
        text: `while down ${HASHTAG}`,
        createdAt: new Date().toISOString(),
      },
    });
    // Four attempts (max_retries = 3), each after the queue's batch timeout, then the dead-letter queue.
    const listed = await eventually(
      "the message in the dead letters",
      () => call<Listed>("com.atrarium.admin.listDeadLetters"),
      (page) => page.total > 0,
      60_000,
    );
    expect(listed.total).toBe(1);
    const [letter] = listed.deadLetters;
    expect(letter?.error).toContain("community object unavailable (test switch)");
    expect(letter?.attempts).toBe(4);
    expect(letter?.events.map((e) => e.uri)).toContain(poison.data.uri);
    const status = await call<{ deadLetters: number; deadLetterEvents: number }>(
      "com.atrarium.admin.getFirehoseStatus",
    );
    expect(status.deadLetters).toBe(1);
    expect(status.deadLetterEvents).toBe(letter?.eventCount);
    expect(await feed(feedUri)).not.toContain(poison.data.uri);

    // Fixed: the object works again. Redrive applies the letter through the consumer's own path.
    await setFailing(community, false);
    const redriven = await call<{ redriven: number; failed: number; remaining: number }>(
      "com.atrarium.admin.redriveDeadLetters",
      { body: {} },
    );
    expect(redriven).toMatchObject({ redriven: 1, failed: 0, remaining: 0 });
    expect(await feed(feedUri)).toContain(poison.data.uri);
    expect((await call<Listed>("com.atrarium.admin.listDeadLetters")).total).toBe(0);
    expect((await call<{ deadLetters: number }>("com.atrarium.admin.getFirehoseStatus")).deadLetters).toBe(0);
  }, 120_000);
});
