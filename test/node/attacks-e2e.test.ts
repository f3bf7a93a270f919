// Three of the attacks on the community index, end to end on real parts: a
// PDS and PLC, the Jetstream bridge re-emitting the PDS's firehose, and the
// Worker under wrangler dev (receiver, queue, Durable Objects). Records go
// into people's own repos and reach the index through the firehose; only the
// squatter uses requestIndex, as the attack does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { AtpAgent } from "@atproto/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local-stack.ts";
import { eventually } from "../../scripts/quickstart.ts";

const ADMIN_PASSWORD = "attacks-e2e-admin-password";
const CONFIG = "com.atrarium.community.config";
const MEMBERSHIP = "com.atrarium.community.membership";
const ACTION = "com.atrarium.moderation.action";
const POST = "app.bsky.feed.post";

let stack: LocalStack;
let persistDir: string;
let accounts = 0;

interface Person {
  agent: AtpAgent;
  did: string;
}

async function person(name: string): Promise<Person> {
  const agent = new AtpAgent({ service: stack.pds.url });
  const handle = `${name}${++accounts}.test`;
  await agent.createAccount({ handle, email: `${handle}@example.test`, password: "attack-password" });
  return { agent, did: agent.assertDid };
}

async function write(p: Person, collection: string, record: Record<string, unknown>) {
  const res = await p.agent.com.atproto.repo.createRecord({
    repo: p.did,
    collection,
    record: { $type: collection, ...record },
  });
  return { uri: res.data.uri, cid: res.data.cid, rkey: res.data.uri.split("/").pop() as string };
}

async function put(p: Person, uri: string, record: Record<string, unknown>) {
  const [, , , collection, rkey] = uri.split("/") as [string, string, string, string, string];
  await p.agent.com.atproto.repo.putRecord({
    repo: p.did,
    collection,
    rkey,
    record: { $type: collection, ...record },
  });
}

async function remove(p: Person, uri: string) {
  const [, , , collection, rkey] = uri.split("/") as [string, string, string, string, string];
  await p.agent.com.atproto.repo.deleteRecord({ repo: p.did, collection, rkey });
}

async function xrpc(method: string, init: { params?: Record<string, string>; body?: unknown } = {}) {
  const url = new URL(`/xrpc/${method}`, stack.workerUrl);
  for (const [k, v] of Object.entries(init.params ?? {})) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: init.body ? "POST" : "GET",
    headers: init.body ? { "content-type": "application/json" } : {},
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The feed's posts; any answer but 200 fails the test. */
async function feed(uri: string): Promise<string[]> {
  const res = await xrpc("app.bsky.feed.getFeedSkeleton", { params: { feed: uri, limit: "100" } });
  if (res.status !== 200) throw new Error(`getFeedSkeleton ${res.status}: ${JSON.stringify(res.body)}`);
  return (res.body.feed as { post: string }[]).map((f) => f.post);
}

/** A feed's posts, or null while the index does not know it yet (any other failure fails). */
const feedOnceKnown = (uri: string) =>
  feed(uri).catch((err: unknown) => (/UnknownFeed/.test(String(err)) ? null : Promise.reject(err)));

const hashtag = () =>
  `#atr_${Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
const now = () => new Date().toISOString();
const feedOf = (config: { uri: string }) => config.uri.replace(CONFIG, "app.bsky.feed.generator");

async function community(owner: Person, extra: Record<string, unknown> = {}) {
  const record = { name: "E2E", hashtag: hashtag(), stage: "community", createdAt: now(), ...extra };
  const config = await write(owner, CONFIG, record);
  await eventually(
    "the config is indexed",
    () => xrpc("com.atrarium.community.getCommunity", { params: { community: config.uri } }),
    (r) => r.status === 200,
  );
  return { ...config, record, hashtag: record.hashtag as string, feed: feedOf(config) };
}

async function join(p: Person, c: { uri: string; feed: string }) {
  const m = await write(p, MEMBERSHIP, { community: c.uri, role: "member", joinedAt: now() });
  await eventually(
    "the membership is indexed",
    () => xrpc("com.atrarium.community.getMembership", { params: { community: c.uri, actor: p.did } }),
    (r) => r.body.status === "member",
  );
  return m;
}

beforeAll(async () => {
  persistDir = mkdtempSync(joinPath(tmpdir(), "atrarium-attacks-"));
  stack = await startLocalStack({
    persistDir,
    adminPassword: ADMIN_PASSWORD,
    ...(process.env.ATRARIUM_DEBUG ? { workerOutput: (chunk: string) => process.stderr.write(chunk) } : {}),
  });
  const admin = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}` };
  const started = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.startFirehose`, {
    method: "POST",
    headers: admin,
  });
  expect(started.status).toBe(200);
  await eventually(
    "the firehose connects",
    async () =>
      (await (
        await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.getFirehoseStatus`, { headers: admin })
      ).json()) as { connected?: boolean },
    (s) => s.connected === true,
  );
}, 120_000);

afterAll(async () => {
  await stack?.close();
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe("attacks through the firehose, end to end", () => {
  it("1: a hide dated 2099 loses to a later unhide, and goes with its author's moderator rights", async () => {
    const [alice, mod, bob] = [await person("alice"), await person("mod"), await person("bob")];
    const c = await community(alice, { moderators: [mod.did] });
    await join(bob, c);
    const p1 = await write(bob, POST, { text: `one ${c.hashtag}`, createdAt: now() });
    const p2 = await write(bob, POST, { text: `two ${c.hashtag}`, createdAt: now() });
    await eventually(
      "both posts are in the feed",
      () => feed(c.feed),
      (f) => f.includes(p1.uri) && f.includes(p2.uri),
    );
    const target = (p: { uri: string; cid: string }) => ({
      $type: `${ACTION}#postTarget`,
      uri: p.uri,
      cid: p.cid,
    });
    await write(mod, ACTION, {
      community: c.uri,
      action: "hide_post",
      target: target(p1),
      createdAt: "2099-01-01T00:00:00.000Z",
    });
    await eventually(
      "the forged hide applies",
      () => feed(c.feed),
      (f) => !f.includes(p1.uri),
    );
    await write(alice, ACTION, {
      community: c.uri,
      action: "unhide_post",
      target: target(p1),
      createdAt: now(),
    });
    await eventually(
      "the owner's later unhide wins",
      () => feed(c.feed),
      (f) => f.includes(p1.uri),
    );
    await write(mod, ACTION, {
      community: c.uri,
      action: "hide_post",
      target: target(p2),
      createdAt: "2099-01-01T00:00:00.000Z",
    });
    await eventually(
      "the second forged hide applies",
      () => feed(c.feed),
      (f) => !f.includes(p2.uri),
    );
    await put(alice, c.uri, { ...c.record, moderators: [], updatedAt: now() });
    await eventually(
      "removing the moderator withdraws their hides",
      () => feed(c.feed),
      (f) => f.includes(p1.uri) && f.includes(p2.uri),
    );
  });

  it("2: a copied hashtag indexed through requestIndex loses to the config the relay saw first", async () => {
    const [alice, bob, mallory] = [await person("alice"), await person("bob"), await person("mallory")];
    // Jetstream is behind: Alice's config is seen by the relay now, delivered to us later.
    stack.bridge.hold();
    const tag = hashtag();
    try {
      const before = stack.bridge.emitted();
      const real = await write(alice, CONFIG, {
        name: "Real",
        hashtag: tag,
        stage: "community",
        createdAt: now(),
      });
      // Mallory copies the hashtag as soon as the firehose shows Alice's config.
      await eventually(
        "the relay sees Alice's config",
        async () => stack.bridge.emitted(),
        (n) => n > before,
        5_000,
      );
      const copy = await write(mallory, CONFIG, {
        name: "Copy",
        hashtag: tag,
        stage: "community",
        createdAt: "2020-01-01T00:00:00.000Z",
      });
      const squat = await xrpc("com.atrarium.sync.requestIndex", { body: { uri: copy.uri } });
      expect(squat.body.status).toBe("indexed");
      expect(await feed(feedOf(copy))).toEqual([]);
      await write(bob, MEMBERSHIP, { community: real.uri, role: "member", joinedAt: now() });
      const hello = await write(bob, POST, { text: `hello ${tag}`, createdAt: now() });
      stack.bridge.release();
      await eventually(
        "the real community serves the post",
        () => feedOnceKnown(feedOf(real)),
        (f) => f?.includes(hello.uri) === true,
      );
      const lost = await xrpc("app.bsky.feed.getFeedSkeleton", { params: { feed: feedOf(copy) } });
      expect(lost).toMatchObject({ status: 400, body: { error: "UnknownFeed" } });
      const why = await xrpc("com.atrarium.community.getCommunity", { params: { community: copy.uri } });
      expect(why).toMatchObject({ status: 400, body: { error: "HashtagTaken" } });
      expect(String(why.body.message)).toContain(real.uri);
    } finally {
      stack.bridge.release();
    }
  });

  it("4: a post deleted while its author had left stays deleted when they rejoin", async () => {
    const [alice, bob] = [await person("alice"), await person("bob")];
    const c = await community(alice);
    const membership = await join(bob, c);
    const kept = await write(bob, POST, { text: `kept ${c.hashtag}`, createdAt: now() });
    const gone = await write(bob, POST, { text: `gone ${c.hashtag}`, createdAt: now() });
    await eventually(
      "both posts are in the feed",
      () => feed(c.feed),
      (f) => f.includes(kept.uri) && f.includes(gone.uri),
    );
    await remove(bob, membership.uri);
    await eventually(
      "leaving takes Bob's posts out",
      () => feed(c.feed),
      (f) => f.length === 0,
    );
    await remove(bob, gone.uri);
    await join(bob, c);
    await eventually(
      "rejoining brings back only the post that still exists",
      () => feed(c.feed),
      (f) => f.includes(kept.uri) && !f.includes(gone.uri),
    );
    const again = await xrpc("com.atrarium.sync.requestIndex", { body: { uri: gone.uri } });
    expect(again.body.status).toBe("deleted");
    expect(await feed(c.feed)).toEqual([kept.uri]);
  });
});
