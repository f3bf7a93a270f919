// The whole story end to end, on real parts: a real PDS and PLC, the Jetstream
// bridge re-emitting the PDS's firehose, and the Worker under wrangler dev with
// local Durable Objects and Queues. Records go only into people's own repos and
// reach the index through the firehose (the client's requestIndex is off).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local-stack.ts";
import {
  createDemoAccount,
  type DemoAccount,
  eventually,
  type QuickstartResult,
  runQuickstart,
} from "../../scripts/quickstart.ts";

let stack: LocalStack;
let persistDir: string;
let demo: QuickstartResult;
const ADMIN_PASSWORD = "e2e-admin-password";
const admin = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}` };

/** The demo feed's posts; any answer but 200 fails the test (an empty feed must mean an empty feed). */
async function feed(headers: Record<string, string> = {}): Promise<string[]> {
  const res = await fetch(
    `${stack.workerUrl}/xrpc/app.bsky.feed.getFeedSkeleton?feed=${encodeURIComponent(demo.feed)}&limit=100`,
    { headers },
  );
  if (res.status !== 200) throw new Error(`getFeedSkeleton answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { feed: { post: string }[] }).feed.map((f) => f.post);
}

const feedUntil = (what: string, check: (posts: string[]) => boolean) =>
  eventually(what, () => feed(), check, 20_000);

async function startFirehose() {
  const res = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.startFirehose`, {
    method: "POST",
    headers: admin,
  });
  expect(res.status).toBe(200);
  await eventually(
    "the firehose receiver connected",
    () =>
      fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.getFirehoseStatus`, { headers: admin }).then(
        (r) => r.json() as Promise<{ connected?: boolean }>,
      ),
    (s) => s.connected === true,
  );
}

async function member(name: string): Promise<DemoAccount> {
  const account = await createDemoAccount(stack, name);
  await account.client.join(demo.community);
  await eventually(
    `${name}'s membership`,
    () => demo.alice.client.getMembership(demo.community, account.did),
    (m) => m.status === "member",
    20_000,
  );
  return account;
}

beforeAll(async () => {
  persistDir = mkdtempSync(join(tmpdir(), "atrarium-e2e-"));
  stack = await startLocalStack({ persistDir, adminPassword: ADMIN_PASSWORD });
  await startFirehose();
  demo = await runQuickstart(stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
  rmSync(persistDir, { recursive: true, force: true });
});

describe("end to end through the firehose", () => {
  it("runs the quickstart: only members' hashtagged posts, minus what Alice hid", async () => {
    const posts = await feed();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain(demo.alice.did);
    expect(posts).not.toContain(demo.bobPost);
    const view = await demo.alice.client.getCommunity(demo.community);
    expect(view).toMatchObject({
      name: "Design Community",
      hashtag: demo.hashtag,
      memberCount: 2,
      hiddenCount: 1,
    });
  });

  it("keeps a non-member's hashtagged post out", async () => {
    expect(await feed()).not.toContain(demo.carolPost);
    expect((await demo.alice.client.getMembership(demo.community, demo.carol.did)).status).toBe("none");
  });

  it("drops a blocked member's posts", async () => {
    const dave = await member("dave");
    const post = await dave.client.post(demo.community, "Dave's take");
    await feedUntil("the post in the feed", (f) => f.includes(post.uri));
    await demo.alice.client.createModerationAction({
      community: demo.community,
      action: "block_user",
      target: { did: dave.did },
    });
    expect(await feedUntil("the post gone", (f) => !f.includes(post.uri))).not.toContain(post.uri);
    expect((await demo.alice.client.getMembership(demo.community, dave.did)).status).toBe("blocked");
  });

  it("ignores a moderation action written by a non-moderator", async () => {
    const [target] = await feed();
    const action = await demo.bob.client.createModerationAction({
      community: demo.community,
      action: "hide_post",
      target: { uri: target as string },
      force: true,
    });
    // A later member post proves the firehose carried Bob's action past the index.
    const marker = await demo.bob.client.post(demo.community, "after my forged hide");
    const posts = await feedUntil("the marker post in the feed", (f) => f.includes(marker.uri));
    expect(posts).toContain(target);
    const view = await demo.alice.client.getCommunity(demo.community);
    expect(view.rejectedActions).toBeGreaterThanOrEqual(1);
    expect(action.uri).toContain(demo.bob.did);
  });

  it("grants nothing to a membership that claims role moderator", async () => {
    const eve = await createDemoAccount(stack, "eve");
    const agent = eve.client.agent;
    if (!agent) throw new Error("eve has no session");
    await agent.com.atproto.repo.createRecord({
      repo: eve.did,
      collection: "com.atrarium.community.membership",
      record: {
        $type: "com.atrarium.community.membership",
        community: demo.community,
        role: "moderator",
        joinedAt: new Date().toISOString(),
      },
    });
    const members = await eventually(
      "Eve among the members",
      () => demo.alice.client.getMembers(demo.community),
      (m) => m.members.some((x) => x.did === eve.did),
      20_000,
    );
    expect(members.members.find((x) => x.did === eve.did)?.role).toBe("member");
    const [target] = await feed();
    await eve.client.createModerationAction({
      community: demo.community,
      action: "hide_post",
      target: { uri: target as string },
      force: true,
    });
    const marker = await eve.client.post(demo.community, "eve was here");
    const posts = await feedUntil("the marker post in the feed", (f) => f.includes(marker.uri));
    expect(posts).toContain(target);
  });

  it("removes the posts of a member who leaves", async () => {
    const frank = await member("frank");
    const post = await frank.client.post(demo.community, "Frank, briefly");
    await feedUntil("the post in the feed", (f) => f.includes(post.uri));
    await frank.client.leave(demo.community);
    expect(await feedUntil("the post gone", (f) => !f.includes(post.uri))).not.toContain(post.uri);
    expect((await demo.alice.client.getMembership(demo.community, frank.did)).status).toBe("left");
  });

  it("removes a deleted post", async () => {
    const post = await demo.alice.client.post(demo.community, "to be deleted");
    await feedUntil("the post in the feed", (f) => f.includes(post.uri));
    const agent = demo.alice.client.agent;
    if (!agent) throw new Error("alice has no session");
    await agent.com.atproto.repo.deleteRecord({
      repo: demo.alice.did,
      collection: "app.bsky.feed.post",
      rkey: post.uri.split("/").pop() as string,
    });
    expect(await feedUntil("the post gone", (f) => !f.includes(post.uri))).not.toContain(post.uri);
  });

  it("serves getFeedSkeleton to a real service-auth JWT minted by the PDS for the feed's service DID", async () => {
    const agent = demo.carol.client.agent;
    if (!agent) throw new Error("carol has no session");
    const { data } = await agent.com.atproto.server.getServiceAuth({
      aud: stack.serviceDid,
      lxm: "app.bsky.feed.getFeedSkeleton",
    });
    const withJwt = await feed({ authorization: `Bearer ${data.token}` });
    expect(withJwt).toEqual(await feed());
    expect(withJwt.length).toBeGreaterThan(0);
    const wrongAud = await agent.com.atproto.server.getServiceAuth({
      aud: "did:web:elsewhere.example",
      lxm: "app.bsky.feed.getFeedSkeleton",
    });
    // A bad token never fails the request: a public feed does not read it.
    expect(await feed({ authorization: `Bearer ${wrongAud.data.token}` })).toEqual(withJwt);
  });

  it("keeps everything when the Worker restarts on the same local state", async () => {
    const before = await feed();
    const members = (await demo.alice.client.getMembers(demo.community)).members.map((m) => m.did).sort();
    await stack.stopWorker();
    await stack.startWorker();
    expect(await feed()).toEqual(before);
    expect((await demo.alice.client.getMembers(demo.community)).members.map((m) => m.did).sort()).toEqual(
      members,
    );
    // The receiver comes back on its own (its alarm), and new posts still flow.
    const post = await demo.alice.client.post(demo.community, "after the restart");
    expect(await feedUntil("the post in the feed", (f) => f.includes(post.uri))).toContain(post.uri);
  });

  it("gives back the same feed after the index is wiped and resynced", async () => {
    const before = await feed();
    expect(before.length).toBeGreaterThan(1);
    await stack.stopWorker();
    // Lose every community index (the CommunityFeed objects' SQLite files).
    const doDir = join(persistDir, "v3", "do");
    const wiped = readdirSync(doDir).filter((d) => d.includes("CommunityFeed"));
    expect(wiped.length).toBeGreaterThan(0);
    for (const d of wiped) rmSync(join(doDir, d), { recursive: true, force: true });
    await stack.startWorker();
    // The index has lost the community: its feed is unknown until the resync.
    await expect(feed()).rejects.toThrow(/answered 400: .*UnknownFeed/);
    const res = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.resyncCommunity`, {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ community: demo.community }),
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { added: number; unreachable: number };
    expect(report.unreachable).toBe(0);
    expect(report.added).toBeGreaterThan(0);
    expect(await feed()).toEqual(before);
  });
});
