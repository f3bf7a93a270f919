// Communities that choose their members (design.md, "Joining, pins and who
// sees the feed"): approval and invitations, pinned posts, timed blocks, and
// the standing a post needs at its observed time too, against real Durable
// Object storage.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { CommunityFeed } from "../../src/community/CommunityFeed.ts";
import { rederive } from "../../src/community/rederive.ts";
import { MIGRATIONS } from "../../src/community/schema.ts";
import type { CommunityState } from "../../src/community/state.ts";
import { migrate } from "../../src/storage.ts";
import {
  action,
  at,
  type Community,
  community,
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

  it("counts as held only what approval would show: not a hidden post, one that lost the hashtag, or one refused", async () => {
    const { c, m } = await started(["alice"], { joinPolicy: "approval" });
    const alice = m.alice as string;
    for (const [key, t] of [
      ["a1", 10],
      ["a2", 11],
      ["a3", 12],
    ] as const)
      await postBy(c, alice, key, t);
    expect(await joinRequests(c)).toEqual([{ did: alice, heldPosts: 3 }]);
    await c.apply(action(c, c.owner, "hide_post", postUri(alice, "a2"), { time: at(13) }));
    expect(await joinRequests(c)).toEqual([{ did: alice, heldPosts: 2 }]);
    await c.apply(post(c, alice, { rkey: "a3", time: at(14), operation: "update", text: "no tag now" }));
    expect(await joinRequests(c)).toEqual([{ did: alice, heldPosts: 1 }]);
    // Written while blocked: refused for good, so not waiting for anyone.
    await c.apply(action(c, c.owner, "block_user", alice, { time: at(15) }));
    await postBy(c, alice, "a4", 16);
    await c.apply(action(c, c.owner, "unblock_user", alice, { time: at(17) }));
    expect(await joinRequests(c)).toEqual([{ did: alice, heldPosts: 1 }]);
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

  it("never unhides by pinning, nor unpins by hiding: each decides its own question", async () => {
    const { c, p } = await withPosts(3);
    await c.apply(
      action(c, c.owner, "hide_post", p(0), { time: at(100) }),
      action(c, c.owner, "pin_post", p(0), { time: at(101) }),
    );
    expect(await c.posts()).toEqual([p(2), p(1)]);
    await c.apply(action(c, c.owner, "unhide_post", p(0), { time: at(102) }));
    expect(await c.posts()).toEqual([p(0), p(2), p(1)]);
    expect((await page(c, 1)).feed).toEqual([{ post: p(0), reason: PIN }]);
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
    // The object wakes itself when the block ends (other alarms, such as the
    // summary's, ring later and would end it only by chance).
    const alarm = await runInDurableObject(c.stub, (_feed, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm as number).toBeLessThanOrEqual(endsAt);
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
    const [outcome] = await c.apply(post(c, alice, { rkey: "backdated", time: at(30), createdAt: iso(5) }));
    expect(outcome?.status).toBe("rejected");
    await c.apply(action(c, c.owner, "unblock_user", alice, { time: at(40) }));
    await postBy(c, alice, "after", 45);
    expect(await c.posts()).toEqual([postUri(alice, "after")]);
  });

  it("keeps out a post written while away and dated to before leaving, also after rejoining", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    await c.apply(membership(c, alice, { time: at(10), operation: "delete" }));
    await c.apply(post(c, alice, { rkey: "backdated", time: at(30), createdAt: iso(5) }));
    await c.apply(membership(c, alice, { time: at(40), rkey: "again" }));
    await postBy(c, alice, "after", 45);
    expect(await c.posts()).toEqual([postUri(alice, "after")]);
  });

  it("judges an honest post relayed a few seconds after its date by its date alone, as a rebuild does", async () => {
    const alice = did("alice");
    // Made just before the block, relayed just after it began: in, once the block is lifted.
    const history = (c: Community) => [
      config(c, { time: at(1) }),
      membership(c, alice, { time: at(2) }),
      action(c, c.owner, "block_user", alice, { time: at(10), rkey: "3kblock" }),
      post(c, alice, { rkey: "just-before", time: at(13), createdAt: iso(9) }),
      action(c, c.owner, "unblock_user", alice, { time: at(20), rkey: "3kunblock" }),
    ];
    const live = community();
    await live.apply(...history(live));
    expect(await live.posts()).toEqual([postUri(alice, "just-before")]);
    // A rebuild reads every record now, long after the block was lifted: the post is in there too.
    const rebuilt = community({ owner: live.owner });
    const now = Date.now() * 1000;
    await rebuilt.apply(...history(rebuilt).map((e) => ({ ...e, time: now })));
    expect(await rebuilt.posts()).toEqual(await live.posts());
  });

  it("admits an honest post first read long after its date, once it is seen at its real time", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    const honest = post(c, alice, { rkey: "honest", time: at(5) });
    await c.apply(action(c, c.owner, "block_user", alice, { time: at(10) }));
    await c.apply(action(c, c.owner, "unblock_user", alice, { time: at(30) }));
    // requestIndex reads it first, at t=20, while its author was blocked: refused for now.
    await c.apply({ ...honest, time: at(20) });
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

describe("schema 4 on an object that schema 3 wrote", () => {
  it("migrates and re-derives: the new columns take their values, and admission follows the new rule", async () => {
    const c = community();
    const bob = did("bob");
    const block = `at://${c.owner}/com.atrarium.moderation.action/3kblock`;
    const [early, late] = [postUri(bob, "early"), postUri(bob, "late")];
    await runInDurableObject(c.stub, async (instance: CommunityFeed, state) => {
      await state.storage.deleteAll();
      migrate(
        state.storage,
        MIGRATIONS.filter((m) => m.version <= 3),
      );
      // A schema-3 object has re-derived what schema 2 asked for when it last loaded.
      state.storage.sql.exec("DELETE FROM meta WHERE key = 'rederive'");
      const sql = (query: string, ...params: (string | number | null)[]) =>
        state.storage.sql.exec(query, ...params);
      const record = JSON.stringify({
        name: "Old",
        hashtag: c.hashtag,
        stage: "community",
        createdAt: iso(0),
      });
      sql("INSERT INTO meta (key, value) VALUES ('uri', ?)", c.uri);
      sql("INSERT INTO config_versions VALUES ('cfg', ?, ?, ?, ?, 0)", at(1), at(1), c.hashtag, record);
      sql(
        "INSERT INTO membership_versions VALUES (?, 'm1', ?, ?, ?, 1, ?)",
        `at://${bob}/m/1`,
        bob,
        at(2),
        at(2),
        iso(2),
      );
      sql("INSERT INTO members VALUES (?, ?, ?, 1, 1, 1, 1, 0)", bob, `at://${bob}/m/1`, iso(2));
      sql(
        `INSERT INTO actions VALUES (?, ?, '3kblock', 'c', ?, ?, 'block_user', 'user', ?, NULL, NULL, ?, 0, 'applied', 0)`,
        block,
        c.owner,
        at(10),
        at(10),
        bob,
        iso(10),
      );
      // Both admitted by schema 3's rule (the date alone); "late" was seen, 20 s after its date, while blocked.
      for (const [uri, date, seen] of [
        [early, 5, 5],
        [late, 6, 26],
      ] as const)
        sql(
          "INSERT INTO posts (uri, author, cid, observed, created_at, sort_at, hidden, admitted, tags, tagged, effective) VALUES (?, ?, 'x', ?, ?, ?, 0, 1, ?, 1, ?)",
          uri,
          bob,
          at(seen),
          iso(date),
          Math.floor(at(date) / 1000),
          c.hashtag,
          at(date),
        );
      migrate(state.storage, MIGRATIONS);
      (instance as unknown as { load(): void }).load();
    });
    expect(await c.stub.operatorCounts()).toMatchObject({ postsAdmitted: 1, postsRefused: 1 });
    await c.apply(action(c, c.owner, "unblock_user", bob, { time: at(30) }));
    expect(await c.posts()).toEqual([early]);
    expect(await statusOf(c, bob)).toBe("member");
    expect((await c.stub.getCommunityView())?.pinnedPosts).toEqual([]);
  });
});
