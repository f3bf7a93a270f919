// Communities that choose their members (design.md, "Joining, pins and who
// sees the feed"): approval and invitations, pinned posts, timed blocks, and
// the standing a post needs at its observed time too, against real Durable
// Object storage.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { CommunityFeed } from "../../src/community/CommunityFeed.ts";
import { rederive } from "../../src/community/rederive.ts";
import type { CommunityState } from "../../src/community/state.ts";
import {
  action,
  at,
  type Community,
  config,
  did,
  iso,
  membership,
  post,
  postBy,
  postUri,
  started,
} from "./community-fixtures.ts";

const PIN = { $type: "app.bsky.feed.defs#skeletonReasonPin" };

async function statusOf(c: Community, who: string) {
  return (await c.stub.getMembership(who)).status;
}

async function joinRequests(c: Community) {
  const page = await c.stub.getJoinRequests(50);
  if ("error" in page) throw new Error(page.error);
  return page.requests.map((r) => ({ did: r.did, heldPosts: r.heldPosts }));
}

describe("join approval", () => {
  it("holds a pending member's posts, shows them on approval, takes them away on unapproval", async () => {
    const { c, m } = await started(["alice"], { joinPolicy: "approval" });
    const alice = m.alice as string;
    await postBy(c, alice, "a1", 10);
    await postBy(c, alice, "a2", 11);
    expect(await c.posts()).toEqual([]);
    expect(await statusOf(c, alice)).toBe("pending");
    expect((await c.counters()).memberCount).toBe(0);
    expect(await joinRequests(c)).toEqual([{ did: alice, heldPosts: 2 }]);

    await c.apply(action(c, c.owner, "approve_member", alice, { time: at(20) }));
    expect(await c.posts()).toEqual([postUri(alice, "a2"), postUri(alice, "a1")]);
    expect(await statusOf(c, alice)).toBe("member");
    expect((await c.counters()).memberCount).toBe(1);
    expect(await joinRequests(c)).toEqual([]);

    await c.apply(action(c, c.owner, "unapprove_member", alice, { time: at(30) }));
    expect(await c.posts()).toEqual([]);
    expect(await statusOf(c, alice)).toBe("pending");
    expect((await c.counters()).memberCount).toBe(0);
  });

  it("needs no approval from the owner and moderators, who still need a membership", async () => {
    const mod = did("mod");
    const { c, m } = await started(["bob"], { joinPolicy: "approval", moderators: [mod] });
    await postBy(c, c.owner, "o1", 10);
    await postBy(c, mod, "m1", 11);
    expect(await c.posts()).toEqual([]);
    await c.apply(membership(c, c.owner, { time: at(3) }), membership(c, mod, { time: at(4) }));
    expect(await c.posts()).toEqual([postUri(mod, "m1"), postUri(c.owner, "o1")]);
    expect(await statusOf(c, m.bob as string)).toBe("pending");
    // A moderator who loses the role waits for approval like anyone else.
    await c.apply(config(c, { time: at(40), joinPolicy: "approval" }));
    expect(await c.posts()).toEqual([postUri(c.owner, "o1")]);
    expect(await statusOf(c, mod)).toBe("pending");
  });

  it("is judged against the config now: switching to open shows held posts, back to approval holds them", async () => {
    const { c, m } = await started(["alice", "bob"], { joinPolicy: "approval" });
    const [alice, bob] = [m.alice as string, m.bob as string];
    await c.apply(action(c, c.owner, "approve_member", alice, { time: at(5) }));
    await postBy(c, alice, "a1", 10);
    await postBy(c, bob, "b1", 11);
    expect(await c.posts()).toEqual([postUri(alice, "a1")]);
    await c.apply(config(c, { time: at(20) }));
    expect(await c.posts()).toEqual([postUri(bob, "b1"), postUri(alice, "a1")]);
    expect(await joinRequests(c)).toEqual([]);
    await c.apply(config(c, { time: at(30), joinPolicy: "approval" }));
    expect(await c.posts()).toEqual([postUri(alice, "a1")]);
    expect(await joinRequests(c)).toEqual([{ did: bob, heldPosts: 1 }]);
  });

  it("reads a join policy it does not know as approval, so no one is let in by surprise", async () => {
    const { c, m } = await started(["alice"], { joinPolicy: "invite-only" });
    await postBy(c, m.alice as string, "a1", 10);
    expect(await c.posts()).toEqual([]);
    expect((await c.stub.getCommunityView())?.joinPolicy).toBe("approval");
  });

  it("takes an approval written before the person joins as an invitation", async () => {
    const { c } = await started([], { joinPolicy: "approval" });
    const carol = did("carol");
    await c.apply(action(c, c.owner, "approve_member", carol, { time: at(5) }));
    expect(await statusOf(c, carol)).toBe("invited");
    expect(await c.posts()).toEqual([]);
    await c.apply(membership(c, carol, { time: at(6) }));
    await postBy(c, carol, "c1", 7);
    expect(await statusOf(c, carol)).toBe("member");
    expect(await c.posts()).toEqual([postUri(carol, "c1")]);
    expect(await joinRequests(c)).toEqual([]);
  });

  it("rejects a forged approval by a non-moderator, and withdraws a removed moderator's", async () => {
    const mod = did("mod");
    const { c, m } = await started(["mallory", "dave"], { joinPolicy: "approval", moderators: [mod] });
    const [mallory, dave] = [m.mallory as string, m.dave as string];
    await postBy(c, mallory, "x1", 10);
    const [forged] = await c.apply(action(c, mallory, "approve_member", mallory, { time: at(11) }));
    expect(forged?.status).toBe("rejected");
    expect(await statusOf(c, mallory)).toBe("pending");
    expect(await c.posts()).toEqual([]);
    expect((await c.counters()).rejectedActions).toBe(1);

    await c.apply(action(c, mod, "approve_member", dave, { time: at(12) }));
    await postBy(c, dave, "d1", 13);
    expect(await c.posts()).toEqual([postUri(dave, "d1")]);
    await c.apply(config(c, { time: at(20), joinPolicy: "approval" }));
    expect(await statusOf(c, dave)).toBe("pending");
    expect(await c.posts()).toEqual([]);
  });

  it("keeps approval and blocking apart: an approval does not lift a block, an unblock does not approve", async () => {
    const { c, m } = await started(["alice"], { joinPolicy: "approval" });
    const alice = m.alice as string;
    await c.apply(action(c, c.owner, "block_user", alice, { time: at(5) }));
    await c.apply(action(c, c.owner, "approve_member", alice, { time: at(6) }));
    await postBy(c, alice, "a1", 7);
    expect(await statusOf(c, alice)).toBe("blocked");
    expect(await joinRequests(c)).toEqual([]);
    await c.apply(action(c, c.owner, "unblock_user", alice, { time: at(8) }));
    await postBy(c, alice, "a2", 9);
    // Still approved (the unblock did not undo it); a1 was made while blocked.
    expect(await c.posts()).toEqual([postUri(alice, "a2")]);
    await c.apply(action(c, c.owner, "unapprove_member", alice, { time: at(10) }));
    await c.apply(action(c, c.owner, "unblock_user", alice, { time: at(11) }));
    expect(await statusOf(c, alice)).toBe("pending");
  });
});

/** A started community with `n` posts by alice at t=10.. (p0 oldest). */
async function withPosts(n: number) {
  const mod = did("mod");
  const { c, m } = await started(["alice", "bob"], { moderators: [mod] });
  const alice = m.alice as string;
  await c.apply(...Array.from({ length: n }, (_, i) => post(c, alice, { rkey: `p${i}`, time: at(10 + i) })));
  const p = (i: number) => postUri(alice, `p${i}`);
  return { c, mod, alice, bob: m.bob as string, p };
}

async function page(c: Community, limit: number, cursor?: string) {
  const result = await c.page(limit, cursor);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe("pinned posts", () => {
  it("head the first page, most recently pinned first, with a pin reason, counting toward the limit", async () => {
    const { c, mod, p } = await withPosts(6);
    await c.apply(
      action(c, c.owner, "pin_post", p(1), { time: at(100) }),
      action(c, mod, "pin_post", p(3), { time: at(102) }),
    );
    const first = await page(c, 4);
    expect(first.feed).toEqual([
      { post: p(3), reason: PIN },
      { post: p(1), reason: PIN },
      { post: p(5) },
      { post: p(4) },
    ]);
    // Only on the first page: the chronological pages leave the shown pins out.
    const second = await page(c, 4, first.cursor);
    expect(second.feed).toEqual([{ post: p(2) }, { post: p(0) }]);
    expect(second.cursor).toBeUndefined();
    expect(await c.posts(1)).toEqual([p(3), p(1), p(5), p(4), p(2), p(0)]);
    const view = await c.stub.getCommunityView();
    expect(view?.pinnedPosts?.map((x) => [x.uri, x.pinnedBy, x.pinnedAt])).toEqual([
      [p(3), mod, iso(102)],
      [p(1), c.owner, iso(100)],
    ]);
  });

  it("shows at most 3: a fourth, older pin is an ordinary post again; pinning again moves a post to the front", async () => {
    const { c, p } = await withPosts(6);
    await c.apply(...[0, 1, 2, 3].map((i) => action(c, c.owner, "pin_post", p(i), { time: at(100 + i) })));
    expect(await c.posts(2)).toEqual([p(3), p(2), p(1), p(5), p(4), p(0)]);
    const first = await page(c, 10);
    expect(first.feed.filter((f) => f.reason)).toHaveLength(3);
    await c.apply(action(c, c.owner, "pin_post", p(0), { time: at(110) }));
    expect(await c.posts(3)).toEqual([p(0), p(3), p(2), p(5), p(4), p(1)]);
  });

  it("leaves out a pin of a hidden post or of an author not shown, and drops an unpinned post back in place", async () => {
    const { c, p, bob } = await withPosts(4);
    await postBy(c, bob, "b0", 20);
    const b0 = postUri(bob, "b0");
    await c.apply(
      action(c, c.owner, "pin_post", p(0), { time: at(100) }),
      action(c, c.owner, "pin_post", p(1), { time: at(101) }),
      action(c, c.owner, "pin_post", b0, { time: at(102) }),
      action(c, c.owner, "hide_post", p(1), { time: at(103) }),
    );
    expect((await page(c, 10)).feed.filter((f) => f.reason)).toEqual([
      { post: b0, reason: PIN },
      { post: p(0), reason: PIN },
    ]);
    await c.apply(action(c, c.owner, "block_user", bob, { time: at(104) }));
    expect(await c.posts()).toEqual([p(0), p(3), p(2)]);
    await c.apply(action(c, c.owner, "unpin_post", p(0), { time: at(105) }));
    expect(await c.posts()).toEqual([p(3), p(2), p(0)]);
    expect((await c.stub.getCommunityView())?.pinnedPosts).toEqual([]);
    // The hide lifted: the pin, still in force, shows again.
    await c.apply(action(c, c.owner, "unhide_post", p(1), { time: at(106) }));
    expect(await c.posts()).toEqual([p(1), p(3), p(2), p(0)]);
  });

  it("takes pins only from current moderators, last write wins per post", async () => {
    const { c, mod, p, bob } = await withPosts(3);
    const [forged] = await c.apply(action(c, bob, "pin_post", p(0), { time: at(100) }));
    expect(forged?.status).toBe("rejected");
    expect(await c.posts()).toEqual([p(2), p(1), p(0)]);
    // The pin is dated after the unpin: it wins, though it arrives first.
    await c.apply(
      action(c, c.owner, "pin_post", p(0), { time: at(103), createdAt: iso(101) }),
      action(c, mod, "unpin_post", p(0), { time: at(102), createdAt: iso(100.5) }),
    );
    expect(await c.posts()).toEqual([p(0), p(2), p(1)]);
    await c.apply(action(c, mod, "pin_post", p(1), { time: at(104) }));
    expect(await c.posts()).toEqual([p(1), p(0), p(2)]);
    // The moderator is removed: their pin no longer counts.
    await c.apply(config(c, { time: at(110) }));
    expect(await c.posts()).toEqual([p(0), p(2), p(1)]);
  });

  it("walks the pins with a limit smaller than their number, each post once", async () => {
    const { c, p } = await withPosts(5);
    await c.apply(...[0, 1, 2].map((i) => action(c, c.owner, "pin_post", p(i), { time: at(100 + i) })));
    const first = await page(c, 2);
    expect(first.feed).toEqual([
      { post: p(2), reason: PIN },
      { post: p(1), reason: PIN },
    ]);
    const second = await page(c, 2, first.cursor);
    expect(second.feed).toEqual([{ post: p(0), reason: PIN }, { post: p(4) }]);
    expect(await c.posts(1)).toEqual([p(2), p(1), p(0), p(4), p(3)]);
    // A page of pins alone with nothing after it ends there.
    const { c: small, p: q } = await withPosts(1);
    await small.apply(action(small, small.owner, "pin_post", q(0), { time: at(100) }));
    expect(await page(small, 1)).toEqual({ ok: true, feed: [{ post: q(0), reason: PIN }] });
  });

  it("gives the pinned posts alone, with no cursor, to an audience of pins only", async () => {
    const { c, p } = await withPosts(4);
    await c.apply(action(c, c.owner, "pin_post", p(1), { time: at(100) }));
    expect(await c.page(50, undefined, "pins-only")).toEqual({
      ok: true,
      feed: [{ post: p(1), reason: PIN }],
    });
    const full = await page(c, 2);
    expect(await c.page(2, full.cursor, "pins-only")).toEqual({ ok: true, feed: [] });
  });
});

describe("timed blocks", () => {
  it("count from their effective time until just before expiresAt; posts made inside never enter", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    await c.apply(action(c, c.owner, "block_user", alice, { time: at(10), expiresAt: iso(20) }));
    await postBy(c, alice, "before", 9);
    await postBy(c, alice, "during", 15);
    await postBy(c, alice, "last-moment", 19.999);
    await postBy(c, alice, "at-expiry", 20);
    expect(await c.posts()).toEqual([postUri(alice, "at-expiry"), postUri(alice, "before")]);
    expect(await statusOf(c, alice)).toBe("member");
    expect((await c.stub.getActions(1)) as { actions: { expiresAt?: string }[] }).toMatchObject({
      actions: [{ expiresAt: iso(20) }],
    });
  });

  it("a later block or unblock replaces a timed block, as the last write", async () => {
    const { c, m } = await started(["alice", "bob"]);
    const [alice, bob] = [m.alice as string, m.bob as string];
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    await c.apply(
      action(c, c.owner, "block_user", alice, { time: at(10), expiresAt: iso(20) }),
      action(c, c.owner, "block_user", alice, { time: at(12) }),
      action(c, c.owner, "block_user", bob, { time: at(10), expiresAt: inAnHour }),
      action(c, c.owner, "unblock_user", bob, { time: at(12) }),
    );
    await postBy(c, alice, "a", 25);
    await postBy(c, bob, "b", 25);
    expect(await statusOf(c, alice)).toBe("blocked");
    expect(await c.posts()).toEqual([postUri(bob, "b")]);
  });

  it("ends by itself while the stack runs: the member's posts come back at expiresAt", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    await postBy(c, alice, "a1", 10);
    const endsAt = Date.now() + 2_000;
    await c.apply(
      action(c, c.owner, "block_user", alice, {
        time: Date.now() * 1000,
        expiresAt: new Date(endsAt).toISOString(),
      }),
    );
    expect(await c.posts()).toEqual([]);
    expect(await statusOf(c, alice)).toBe("blocked");
    // The object's own alarm ends the block: no event arrives after this point.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, endsAt - Date.now())));
    await vi.waitFor(async () => expect(await c.posts()).toEqual([postUri(alice, "a1")]), {
      timeout: 20_000,
      interval: 100,
    });
    expect(await statusOf(c, alice)).toBe("member");
    expect((await c.counters()).memberCount).toBe(1);
  });
});

describe("standing at the observed time too (back-dating)", () => {
  it("keeps out a post written while blocked and dated to before the block, also after the unblock", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    await c.apply(action(c, c.owner, "block_user", alice, { time: at(10) }));
    const [outcome] = await c.apply(post(c, alice, { rkey: "backdated", time: at(15), createdAt: iso(5) }));
    expect(outcome?.status).toBe("rejected");
    await c.apply(action(c, c.owner, "unblock_user", alice, { time: at(20) }));
    await postBy(c, alice, "after", 25);
    expect(await c.posts()).toEqual([postUri(alice, "after")]);
  });

  it("keeps out a post written while away and dated to before leaving, also after rejoining", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    await c.apply(membership(c, alice, { time: at(10), operation: "delete" }));
    await c.apply(post(c, alice, { rkey: "backdated", time: at(15), createdAt: iso(5) }));
    await c.apply(membership(c, alice, { time: at(20), rkey: "again" }));
    await postBy(c, alice, "after", 25);
    expect(await c.posts()).toEqual([postUri(alice, "after")]);
  });

  it("admits an honest post that is first read late, once it is seen at its real time", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    const honest = post(c, alice, { rkey: "honest", time: at(5) });
    await c.apply(action(c, c.owner, "block_user", alice, { time: at(10) }));
    await c.apply(action(c, c.owner, "unblock_user", alice, { time: at(20) }));
    // requestIndex reads it first, at t=12, while its author is blocked: refused for now.
    await c.apply({ ...honest, time: at(12) });
    expect(await c.posts()).toEqual([]);
    // The firehose shows the relay saw it at t=5, before the block.
    await c.apply(honest);
    expect(await c.posts()).toEqual([postUri(alice, "honest")]);
  });
});

describe("rederive", () => {
  it("un-hides a post whose only hide no longer counts", async () => {
    const { c, m } = await started(["alice"], { moderators: [did("mod")] });
    const alice = m.alice as string;
    await postBy(c, alice, "a1", 10);
    const mallory = did("mallory");
    await c.apply(action(c, mallory, "hide_post", postUri(alice, "a1"), { time: at(11) }));
    expect(await c.posts()).toEqual([postUri(alice, "a1")]);
    // Storage as an older schema left it: the post hidden by an action that does not count.
    await runInDurableObject(c.stub, (instance: CommunityFeed, state) => {
      state.storage.sql.exec("UPDATE posts SET hidden = 1");
      const community = (instance as unknown as { state: CommunityState }).state;
      state.storage.transactionSync(() => rederive(community));
    });
    expect(await c.posts()).toEqual([postUri(alice, "a1")]);
  });
});
