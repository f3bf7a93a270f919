// The client and the command line against the real Worker (workerd via
// wrangler's unstable_startWorker, local Durable Objects) and a real PDS and
// PLC: writes are made visible at once through requestIndex, and the Worker's
// queries come back typed. Service auth is real: JWTs minted by the PDS.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtrariumClient, AtrariumError } from "../../src/client/index.ts";
import {
  type Account,
  ADMIN_PASSWORD,
  createAccount,
  type RunningWorker,
  startNetwork,
  startWorker,
  WORKER_SERVICE_DID,
} from "./client-env.ts";

const BIN = fileURLToPath(new URL("../../bin/atrarium.js", import.meta.url));

describe("AtrariumClient and CLI with the Worker running", () => {
  let network: TestNetworkNoAppView;
  let worker: RunningWorker;
  let alice: Account;
  let bob: Account;
  let home: string;
  const client = (account?: Account) =>
    new AtrariumClient({
      service: worker.url,
      plcUrl: network.plc.url,
      ...(account ? { agent: account.agent } : {}),
    });

  beforeAll(async () => {
    network = await startNetwork("client_worker_test");
    [alice, bob] = [await createAccount(network, "alice"), await createAccount(network, "bob")];
    worker = await startWorker(network.plc.url);
    home = mkdtempSync(join(tmpdir(), "atrarium-cli-worker-"));
  }, 90_000);

  afterAll(async () => {
    await worker?.dispose();
    await network?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  let community: string;
  let feedUri: string;
  let post: { uri: string; cid: string };

  it("createCommunity learns the service DID from the Worker and is indexed at once", async () => {
    const created = await client(alice).createCommunity({ name: "Design Community" });
    community = created.uri;
    feedUri = created.feedUri;
    expect(created.warnings).toEqual([]);
    expect(created.indexed.map((r) => r.status)).toEqual(["indexed", "indexed"]);
    const feed = await alice.agent.com.atproto.repo.getRecord({
      repo: alice.did,
      collection: "app.bsky.feed.generator",
      rkey: created.uri.split("/").pop() as string,
    });
    expect(feed.data.value).toMatchObject({ did: WORKER_SERVICE_DID });

    const view = await client().getCommunity(community);
    expect(view).toMatchObject({
      uri: community,
      owner: alice.did,
      name: "Design Community",
      hashtag: created.hashtag,
      feed: created.feedUri,
    });
    expect(typeof view.indexedAt).toBe("string");
  });

  it("join and post become visible through the queries and the feed", async () => {
    const joined = await client(bob).join(community);
    expect(joined.indexed.map((r) => r.status)).toEqual(["indexed"]);
    const status = await client().getMembership(community, bob.did);
    expect(status).toMatchObject({ status: "member", uri: joined.uri });
    const members = await client().getMembers(community);
    expect(members.members.map((m) => m.did)).toContain(bob.did);

    post = await client(bob).post(community, "First mockups 🎨");
    const skeleton = await client().getFeedSkeleton(community);
    expect(skeleton.feed.map((f) => f.post)).toContain(post.uri);
    expect((await client().getFeedSkeleton(feedUri)).feed.map((f) => f.post)).toContain(post.uri);

    const page = await client().getFeed(community);
    const item = page.items.find((i) => i.uri === post.uri);
    expect(item).toMatchObject({ author: { did: bob.did, handle: bob.handle } });
    expect(item?.text).toMatch(/^First mockups 🎨 #atr_[0-9a-f]{8}$/);
  });

  it("getActions answers the owner (service auth) and refuses a plain member", async () => {
    const hidden = await client(alice).createModerationAction({
      community,
      action: "hide_post",
      target: { uri: post.uri },
      reason: "test",
    });
    expect(hidden.warnings).toEqual([]);
    const actions = await client(alice).getActions(community);
    expect(actions.actions.map((a) => a.uri)).toContain(hidden.uri);
    expect((await client().getFeedSkeleton(community)).feed.map((f) => f.post)).not.toContain(post.uri);

    const refused = await client(bob)
      .getActions(community)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AtrariumError);
    expect(["auth", "forbidden"]).toContain((refused as AtrariumError).kind);
  });

  it("getFirehoseStatus needs the admin password", async () => {
    const status = await client().getFirehoseStatus(ADMIN_PASSWORD);
    expect(typeof status.connected).toBe("boolean");
    const wrong = await client()
      .getFirehoseStatus("wrong")
      .catch((e: unknown) => e);
    expect((wrong as AtrariumError).kind).toBe("auth");
  });

  it("leave is indexed as a deletion", async () => {
    const left = await client(bob).leave(community);
    expect(left.indexed.map((r) => r.status)).toEqual(["deleted"]);
    expect((await client().getMembership(community, bob.did)).status).not.toBe("member");
  });

  it("the CLI shows the community, the feed with handles, and the firehose status", async () => {
    const cli = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [BIN, ...args],
          {
            env: {
              PATH: process.env.PATH,
              HOME: home,
              ATRARIUM_HOME: home,
              ATRARIUM_SERVICE: worker.url,
              ATRARIUM_PLC_URL: network.plc.url,
              ATRARIUM_ADMIN_PASSWORD: ADMIN_PASSWORD,
            },
            timeout: 30_000,
          },
          (error, stdout, stderr) =>
            resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
        );
      });
    // bob left above, and a member who leaves drops out of the feed: he comes back, and alice unhides his post.
    await client(bob).join(community);
    await client(alice).createModerationAction({
      community,
      action: "unhide_post",
      target: { uri: post.uri },
    });

    const [shown, feed, firehose, listed] = await Promise.all([
      cli(["community", "show", community]),
      cli(["feed", community]),
      cli(["firehose", "status", "--json"]),
      cli(["community", "list", "--json"]),
    ]);
    expect(shown.stderr).toBe("");
    expect(shown.stdout).toContain("Design Community");
    expect(shown.stdout).toMatch(/indexed at: \d{4}-/);
    expect(feed.code).toBe(0);
    expect(feed.stdout).toContain(`@${bob.handle}`);
    expect(feed.stdout).toContain("First mockups 🎨");
    expect(firehose.code).toBe(0);
    expect(JSON.parse(firehose.stdout)).toHaveProperty("connected");
    expect(
      (JSON.parse(listed.stdout) as { communities: { uri: string }[] }).communities.map((c) => c.uri),
    ).toContain(community);
  });
});
