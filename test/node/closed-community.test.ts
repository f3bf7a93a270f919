// Running a closed community with the command line and the typed client,
// against the real Worker (workerd, local Durable Objects) and a real PDS and
// PLC: the switch to approval keeps the current members, a newcomer waits and
// is approved from the join requests, an invitation lets someone in at once,
// a pin comes first, and a timed block holds. Every write goes to the PDS and
// is indexed through requestIndex, as for a real user.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.ts";
import { AtrariumClient, AtrariumError } from "../../src/client/index.ts";
import {
  type Account,
  createAccount,
  eventually,
  type RunningWorker,
  startNetwork,
  startWorker,
} from "./client-env.ts";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  /** The questions the command asked. */
  asked: string[];
}

const PIN = "app.bsky.feed.defs#skeletonReasonPin";

describe("a closed community, run from the command line", () => {
  let network: TestNetworkNoAppView;
  let worker: RunningWorker;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let dave: Account;
  let erin: Account;
  let home: string;
  let community: string;
  let bobPost: string;

  const client = (account?: Account) =>
    new AtrariumClient({
      service: worker.url,
      plcUrl: network.plc.url,
      ...(account ? { agent: account.agent } : {}),
    });
  /** `atrarium …` as alice, in-process; `terminal` answers questions as a person at a terminal would. */
  const atrarium = async (args: string[], terminal?: { answer: string }): Promise<Ran> => {
    const ran: Ran = { code: 0, stdout: "", stderr: "", asked: [] };
    ran.code = await run(args, {
      stdout: (t) => {
        ran.stdout += t;
      },
      stderr: (t) => {
        ran.stderr += t;
      },
      env: {
        ATRARIUM_HOME: home,
        ATRARIUM_SERVICE: worker.url,
        ATRARIUM_PLC_URL: network.plc.url,
        ATRARIUM_PASSWORD: alice.password,
      },
      readStdin: async () => "",
      prompt: async () => "",
      ask: async (question) => {
        ran.asked.push(question);
        return terminal?.answer ?? "";
      },
      isTTY: terminal !== undefined,
    });
    return ran;
  };
  const status = async (account: Account) => (await client().getMembership(community, account.did)).status;
  const feed = async () => (await client().getFeedSkeleton(community)).feed;
  const actionCount = async () =>
    (
      await alice.agent.com.atproto.repo.listRecords({
        repo: alice.did,
        collection: "com.atrarium.moderation.action",
      })
    ).data.records.length;

  beforeAll(async () => {
    network = await startNetwork("closed_community_test");
    [alice, bob, carol, dave, erin] = await Promise.all([
      createAccount(network, "alice"),
      createAccount(network, "bob"),
      createAccount(network, "carol"),
      createAccount(network, "dave"),
      createAccount(network, "erin"),
    ]);
    worker = await startWorker(network.plc.url);
    home = mkdtempSync(join(tmpdir(), "atrarium-closed-"));
    const login = await atrarium(["login", alice.handle, "--pds", network.pds.url]);
    expect(login.code).toBe(0);

    community = (await client(alice).createCommunity({ name: "Night Sky" })).uri;
    await client(bob).join(community);
    await client(carol).join(community);
    bobPost = (await client(bob).post(community, "Saturn tonight")).uri;
  }, 120_000);

  afterAll(async () => {
    await worker?.dispose();
    await network?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("switching to approval says how many members it approves first, asks, and keeps them all", async () => {
    const update = ["community", "update", community, "--join-policy", "approval"];
    const before = await actionCount();

    const noTerminal = await atrarium(update);
    expect(noTerminal.code).toBe(1);
    expect(noTerminal.stderr).toContain("first approves the 2 current members");
    expect(noTerminal.stderr).toContain("Add --yes to confirm");
    const declined = await atrarium(update, { answer: "n" });
    expect(declined.asked).toEqual(["Switch to approval? [y/N] "]);
    expect(declined.stderr).toContain("first approves the 2 current members");
    expect(declined.stderr).toContain("Cancelled; nothing was changed");
    expect(await actionCount()).toBe(before);
    expect((await client().getCommunity(community)).joinPolicy ?? "open").toBe("open");

    const accepted = await atrarium(update, { answer: "y" });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("Approved 2 current members first");
    expect(accepted.stdout).toContain("joining:    approval");
    expect(await actionCount()).toBe(before + 2);
    expect((await client().getCommunity(community)).joinPolicy).toBe("approval");
    expect([await status(bob), await status(carol)]).toEqual(["member", "member"]);
    expect((await feed()).map((f) => f.post)).toContain(bobPost);
  });

  it("a newcomer waits: join says so, requests lists them with their held post, approve lets it in", async () => {
    const joined = await client(dave).join(community);
    expect(joined.needsApproval).toBe(true);
    const held = await client(dave).post(community, "Hello from a newcomer");
    expect(await status(dave)).toBe("pending");
    expect((await feed()).map((f) => f.post)).not.toContain(held.uri);

    const requests = await atrarium(["requests", community]);
    expect(requests.code).toBe(0);
    expect(requests.stdout).toMatch(
      new RegExp(`^@dave\\.test \\(${dave.did}\\)  joined \\S+  1 held post\\n`),
    );
    expect(requests.stdout).toContain(`Approve with: atrarium approve ${community} <account>`);
    const asJson = JSON.parse((await atrarium(["requests", community, "--json"])).stdout) as {
      requests: { did: string; heldPosts: number }[];
    };
    expect(asJson.requests).toMatchObject([{ did: dave.did, heldPosts: 1 }]);

    const approved = await atrarium(["approve", community, dave.handle]);
    expect(approved.code).toBe(0);
    expect(await status(dave)).toBe("member");
    expect((await feed()).map((f) => f.post)).toContain(held.uri);
    expect((await client(alice).getJoinRequests(community)).requests).toEqual([]);
  });

  it("an invitation by handle lets the invited person in as soon as they join", async () => {
    const invited = await atrarium(["invite", community, erin.handle]);
    expect(invited.code).toBe(0);
    expect(invited.stdout).toContain(`They join with: atrarium join ${community}`);
    expect(await status(erin)).toBe("invited");
    await client(erin).join(community);
    expect(await status(erin)).toBe("member");
  });

  it("a pinned post comes first; unpinned, it is back in its place", async () => {
    const pinned = await atrarium(["pin", community, bobPost]);
    expect(pinned.code).toBe(0);
    const first = (await feed())[0];
    expect(first).toMatchObject({ post: bobPost, reason: { $type: PIN } });
    expect((await feed()).filter((f) => f.post === bobPost)).toHaveLength(1);
    expect((await client().getCommunity(community)).pinnedPosts?.map((p) => p.uri)).toEqual([bobPost]);

    expect((await atrarium(["unpin", community, bobPost])).code).toBe(0);
    expect((await feed()).find((f) => f.post === bobPost)?.reason).toBeUndefined();
  });

  it("block --for blocks until the time given", async () => {
    const blocked = await atrarium(["block", community, carol.handle, "--for", "1d", "--json"]);
    expect(blocked.code).toBe(0);
    const ends = Date.parse(
      (JSON.parse(blocked.stdout) as { record: { expiresAt: string } }).record.expiresAt,
    );
    expect(ends - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
    expect(await status(carol)).toBe("blocked");
  });

  it("a members-only feed is read as the signed-in user: members get it all, others the pin alone", async () => {
    expect((await atrarium(["pin", community, bobPost])).code).toBe(0);
    const visibility = await atrarium(["community", "update", community, "--visibility", "members"]);
    expect(visibility.stdout).toContain("feed: members");

    const posts = async (account?: Account) =>
      (await client(account).getFeedSkeleton(community)).feed.map((f) => f.post);
    await eventually("the Worker serving the feed as members-only", async () => (await posts()).length === 1);
    expect(await posts()).toEqual([bobPost]);
    expect(await posts(carol)).toEqual([bobPost]); // blocked (above)
    const whole = await posts(bob);
    expect(whole[0]).toBe(bobPost);
    expect(whole.length).toBeGreaterThan(1);

    const cliFeed = await atrarium(["feed", community]);
    expect(cliFeed.code).toBe(0);
    expect(cliFeed.stdout).toMatch(/^@bob\.test {2}\S+ {2}\(pinned\)\n {2}Saturn tonight/);
    expect(cliFeed.stdout).toContain("Hello from a newcomer");
  });

  it("the join requests are for the owner and moderators only", async () => {
    const refused = await client(bob)
      .getJoinRequests(community)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AtrariumError);
    expect((refused as AtrariumError).kind).toBe("forbidden");
  });
});
