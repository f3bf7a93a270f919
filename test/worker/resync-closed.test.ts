// The rules of communities that choose their members hold on resync as on the
// firehose and requestIndex (design.md, "Joining, pins and who sees the feed"):
// a community whose index is lost comes back from the repos with the same
// approved and pending members, the same pins in the same order, the same
// members-only answer and the same timed block.
import { beforeAll, describe, expect, it } from "vitest";
import { loseCommunityIndex } from "./helpers/lost-index.ts";
import { type Account, createAccount, serviceJwt, startPds, writeRecord } from "./helpers/network.ts";
import { ADMIN, requestIndex, xrpc } from "./helpers/xrpc.ts";

const ACTION = "com.atrarium.moderation.action";
const PIN = "app.bsky.feed.defs#skeletonReasonPin";
const now = () => new Date().toISOString();

async function indexed(account: Account, collection: string, record: Record<string, unknown>) {
  const written = await writeRecord(account, collection, record);
  expect((await requestIndex(written.uri)).body.status, collection).toBe("indexed");
  return written;
}

describe("resync of a community that chooses its members", () => {
  let owner: Account;
  let approved: Account;
  let pending: Account;
  let blocked: Account;
  let community: string;
  let feed: string;
  const posts: Record<string, string> = {};

  /** Everything a reader, a member and a moderator can see of the community. */
  async function snapshot() {
    const skeleton = async (viewer?: Account) => {
      const lxm = "app.bsky.feed.getFeedSkeleton";
      const res = await xrpc<{ feed: { post: string; reason?: { $type: string } }[] }>(lxm, {
        params: { feed },
        ...(viewer ? { headers: { authorization: `Bearer ${await serviceJwt(viewer, lxm)}` } } : {}),
      });
      expect(res.status).toBe(200);
      return res.body.feed.map((f) => `${f.post}${f.reason?.$type === PIN ? " (pinned)" : ""}`);
    };
    const members = await xrpc<{ members: { did: string }[] }>("com.atrarium.community.getMembers", {
      params: { community },
    });
    const view = await xrpc<Record<string, unknown>>("com.atrarium.community.getCommunity", {
      params: { community },
    });
    const lxm = "com.atrarium.community.getJoinRequests";
    const requests = await xrpc<{ requests: { did: string; heldPosts: number }[] }>(lxm, {
      params: { community },
      headers: { authorization: `Bearer ${await serviceJwt(owner, lxm)}` },
    });
    expect(requests.status).toBe(200);
    const { joinPolicy, feedVisibility, rules, pinnedPosts, memberCount } = view.body;
    return {
      signedOut: await skeleton(),
      asMember: await skeleton(approved),
      asPending: await skeleton(pending),
      members: members.body.members.map((m) => m.did).sort(),
      view: { joinPolicy, feedVisibility, rules, pinnedPosts, memberCount },
      requests: requests.body.requests.map((r) => `${r.did}: ${r.heldPosts} held`),
    };
  }

  beforeAll(async () => {
    const pds = await startPds();
    [owner, approved, pending, blocked] = (await Promise.all(
      ["own", "appr", "pend", "blkd"].map((n) => createAccount(pds, n)),
    )) as [Account, Account, Account, Account];
    const hashtag = `#atr_${Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
    const config = await indexed(owner, "com.atrarium.community.config", {
      name: "Closed Circle",
      stage: "theme",
      hashtag,
      joinPolicy: "approval",
      feedVisibility: "members",
      rules: ["Be kind", "Stay on topic"],
      createdAt: now(),
    });
    community = config.uri;
    feed = `at://${owner.did}/app.bsky.feed.generator/${config.rkey}`;
    const act = (action: string, target: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      indexed(owner, ACTION, { community, action, target, createdAt: now(), ...extra });
    const user = (a: Account) => ({ $type: `${ACTION}#userTarget`, did: a.did });
    const postTarget = (p: { uri: string; cid: string }) => ({ $type: `${ACTION}#postTarget`, ...p });

    // An invitation: the approval comes before the membership.
    await act("approve_member", user(approved));
    for (const a of [owner, approved, pending, blocked]) {
      await indexed(a, "com.atrarium.community.membership", { community, role: "member", joinedAt: now() });
    }
    await act("approve_member", user(blocked));
    const say = (a: Account, text: string) =>
      indexed(a, "app.bsky.feed.post", { text: `${text} ${hashtag}`, createdAt: now() });
    const welcome = await say(owner, "welcome");
    const schedule = await say(owner, "the schedule");
    posts.welcome = welcome.uri;
    posts.schedule = schedule.uri;
    posts.approved = (await say(approved, "hello from an approved member")).uri;
    await say(pending, "held until someone approves me");
    await say(blocked, "written before the block");
    await act("pin_post", postTarget(schedule));
    await act("pin_post", postTarget(welcome));
    await act("block_user", user(blocked), { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
  });

  it("gives back the same members, join requests, pins and members-only answers from the repos", async () => {
    const before = await snapshot();
    // What the rules make of the history, so that a resync that lost any of it shows.
    expect(before.view).toMatchObject({ joinPolicy: "approval", feedVisibility: "members" });
    // Most recently pinned first; the pending and the blocked member's posts stay out.
    expect(before.signedOut).toEqual([`${posts.welcome} (pinned)`, `${posts.schedule} (pinned)`]);
    expect(before.asPending).toEqual(before.signedOut);
    expect(before.asMember).toEqual([...before.signedOut, posts.approved]);
    expect(before.members).toEqual([owner.did, approved.did].sort());
    expect(before.requests).toEqual([`${pending.did}: 1 held`]);

    await loseCommunityIndex(community);
    const report = await xrpc<{ unreachable: number }>("com.atrarium.admin.resyncCommunity", {
      body: { community },
      headers: { authorization: ADMIN },
    });
    expect(report.status).toBe(200);
    expect(report.body.unreachable).toBe(0);
    expect(await snapshot()).toEqual(before);
  });
});
