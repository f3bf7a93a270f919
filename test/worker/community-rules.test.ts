import { describe, expect, it } from "vitest";
import {
  action,
  at,
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

describe("who gets into the feed", () => {
  it("admits a member's hashtagged post and nothing else", async () => {
    const { c, m } = await started(["alice"]);
    const stranger = did("stranger");
    expect(await postBy(c, m.alice as string, "a1", 10)).toMatchObject({ status: "applied" });
    // Negative cases: a non-member's hashtagged post, a member's post without the hashtag,
    // a member's post with another community's hashtag, a longer tag that merely starts like ours.
    expect(await postBy(c, stranger, "s1", 11)).toMatchObject({ status: "rejected" });
    await postBy(c, m.alice as string, "a2", 12, "no tag here");
    await postBy(c, m.alice as string, "a3", 13, "hello #atr_00000000");
    await postBy(c, m.alice as string, "a4", 14, `hello ${c.hashtag}0`);
    expect(await c.posts()).toEqual([postUri(m.alice as string, "a1")]);
    expect((await c.counters()).postCount).toBe(1);
  });

  it("does not admit a post made before its author joined, even once they join", async () => {
    const c = community();
    const bob = did("bob");
    await c.apply(config(c, { time: at(1) }), post(c, bob, { rkey: "early", time: at(5) }));
    await c.apply(membership(c, bob, { time: at(6) }), post(c, bob, { rkey: "late", time: at(7) }));
    expect(await c.posts()).toEqual([postUri(bob, "late")]);
  });

  it("keeps memberships (and posts) that arrive before the config, and counts them once it does", async () => {
    const c = community();
    const alice = did("alice");
    await c.apply(membership(c, alice, { time: at(2) }), post(c, alice, { rkey: "p", time: at(3) }));
    expect(await c.page()).toMatchObject({ ok: false, error: "UnknownFeed" });
    await c.apply(config(c, { time: at(1) }));
    expect(await c.posts()).toEqual([postUri(alice, "p")]);
    expect((await c.counters()).memberCount).toBe(1);
  });

  it("ignores a membership that points at another community", async () => {
    const c = community();
    const other = community();
    const eve = did("eve");
    await c.apply(config(c, { time: at(1) }));
    const [outcome] = await c.apply(membership(c, eve, { time: at(2), community: other.uri }));
    expect(outcome?.status).toBe("rejected");
    await postBy(c, eve, "e1", 3);
    expect(await c.posts()).toEqual([]);
    expect((await c.counters()).memberCount).toBe(0);
  });

  it("only the owner's config defines the community", async () => {
    const c = community();
    const mallory = did("mallory");
    const [forged] = await c.apply(config(c, { time: at(1), did: mallory }));
    expect(forged?.status).toBe("rejected");
    expect(await c.page()).toMatchObject({ ok: false, error: "UnknownFeed" });
    // A config of another owner with the same rkey is another community, and cannot
    // promote anyone here either.
    await c.apply(config(c, { time: at(2) }));
    expect(await c.page()).toMatchObject({ ok: true, feed: [] });
  });
});

describe("moderation rights", () => {
  it("applies the owner's and a listed moderator's hide; rejects and counts a forged one", async () => {
    const mod = did("mod");
    const { c, m } = await started(["alice", "mallory"], { moderators: [mod] });
    const alice = m.alice as string;
    for (const [i, key] of ["p1", "p2", "p3"].entries()) await postBy(c, alice, key, 10 + i);
    const [byOwner] = await c.apply(action(c, c.owner, "hide_post", postUri(alice, "p1"), { time: at(20) }));
    const [byMod] = await c.apply(action(c, mod, "hide_post", postUri(alice, "p2"), { time: at(21) }));
    const [forged] = await c.apply(
      action(c, m.mallory as string, "hide_post", postUri(alice, "p3"), { time: at(22) }),
    );
    expect([byOwner?.status, byMod?.status, forged?.status]).toEqual(["applied", "applied", "rejected"]);
    expect(await c.posts()).toEqual([postUri(alice, "p3")]);
    expect(await c.counters()).toMatchObject({ rejectedActions: 1, hiddenCount: 2, postCount: 1 });
  });

  it("a moderator role claimed in a membership record grants nothing", async () => {
    const { c, m } = await started(["alice"]);
    const claimer = did("claimer");
    await c.apply(membership(c, claimer, { time: at(3), role: "moderator" }));
    await postBy(c, m.alice as string, "p", 10);
    const [outcome] = await c.apply(
      action(c, claimer, "hide_post", postUri(m.alice as string, "p"), { time: at(11) }),
    );
    expect(outcome?.status).toBe("rejected");
    expect(await c.posts()).toHaveLength(1);
    expect(await c.stub.getMembership(claimer)).toMatchObject({ status: "member", role: "member" });
    expect(await c.stub.isModerator(claimer)).toBe(false);
  });

  it("judges moderators against the config now: removing one withdraws their hides, adding back restores", async () => {
    const mod = did("mod");
    const { c, m } = await started(["alice"], { moderators: [mod] });
    const alice = m.alice as string;
    await postBy(c, alice, "p1", 10);
    await postBy(c, alice, "p2", 11);
    const [hide] = await c.apply(action(c, mod, "hide_post", postUri(alice, "p1"), { time: at(20) }));
    expect(hide?.status).toBe("applied");
    expect(await c.posts()).toEqual([postUri(alice, "p2")]);
    // The owner removes the moderator: the hide stops counting at once.
    await c.apply(config(c, { time: at(30), operation: "update" }));
    expect(await c.posts()).toEqual([postUri(alice, "p2"), postUri(alice, "p1")]);
    const [late] = await c.apply(action(c, mod, "hide_post", postUri(alice, "p2"), { time: at(40) }));
    expect(late?.status).toBe("rejected");
    expect((await c.counters()).rejectedActions).toBe(2);
    // Adding them back restores both of their hides: every action was kept.
    await c.apply(config(c, { time: at(50), operation: "update", moderators: [mod] }));
    expect(await c.posts()).toEqual([]);
    expect((await c.counters()).rejectedActions).toBe(0);
  });

  it("keeps an action that arrives before the config pending, then judges it", async () => {
    const c = community();
    const alice = did("alice");
    const mallory = did("mallory");
    await c.apply(
      membership(c, alice, { time: at(2) }),
      post(c, alice, { rkey: "p1", time: at(3) }),
      post(c, alice, { rkey: "p2", time: at(4) }),
      action(c, c.owner, "hide_post", postUri(alice, "p1"), { time: at(5) }),
      action(c, mallory, "hide_post", postUri(alice, "p2"), { time: at(6) }),
    );
    await c.apply(config(c, { time: at(1) }));
    expect(await c.posts()).toEqual([postUri(alice, "p2")]);
    expect((await c.counters()).rejectedActions).toBe(1);
  });

  it("applies a hide that arrives before the post it hides", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    await c.apply(action(c, c.owner, "hide_post", postUri(alice, "p"), { time: at(20) }));
    await postBy(c, alice, "p", 10);
    await postBy(c, alice, "q", 11);
    expect(await c.posts()).toEqual([postUri(alice, "q")]);
  });
});

describe("last write wins per target", () => {
  it("orders by effective time (createdAt when honestly dated), not by arrival", async () => {
    const { c, m } = await started(["alice"]);
    const target = postUri(m.alice as string, "p");
    await postBy(c, m.alice as string, "p", 10);
    await c.apply(action(c, c.owner, "hide_post", target, { time: at(20), createdAt: iso(17) }));
    // An older unhide arriving later does not undo the newer hide.
    await c.apply(action(c, c.owner, "unhide_post", target, { time: at(21), createdAt: iso(16) }));
    expect(await c.posts()).toEqual([]);
    // A newer unhide does.
    await c.apply(action(c, c.owner, "unhide_post", target, { time: at(22), createdAt: iso(18) }));
    expect(await c.posts()).toEqual([target]);
  });

  it("breaks a createdAt tie by record key", async () => {
    for (const [hideKey, unhideKey, hidden] of [
      ["3kzzz", "3kaaa", true],
      ["3kaaa", "3kzzz", false],
    ] as const) {
      const { c, m } = await started(["alice"]);
      const target = postUri(m.alice as string, "p");
      await postBy(c, m.alice as string, "p", 10);
      const createdAt = iso(15);
      // Both arrival orders give the same answer.
      const hide = action(c, c.owner, "hide_post", target, { time: at(20), rkey: hideKey, createdAt });
      const unhide = action(c, c.owner, "unhide_post", target, { time: at(21), rkey: unhideKey, createdAt });
      await c.apply(unhide, hide);
      expect(await c.posts()).toEqual(hidden ? [] : [target]);
      const c2 = await started(["alice"]);
      const target2 = postUri(c2.m.alice as string, "p");
      await postBy(c2.c, c2.m.alice as string, "p", 10);
      await c2.c.apply(
        action(c2.c, c2.c.owner, "hide_post", target2, { time: at(20), rkey: hideKey, createdAt }),
        action(c2.c, c2.c.owner, "unhide_post", target2, { time: at(21), rkey: unhideKey, createdAt }),
      );
      expect(await c2.c.posts()).toEqual(hidden ? [] : [target2]);
    }
  });

  it("a replayed old event never undoes a newer decision", async () => {
    const { c, m } = await started(["alice"]);
    const target = postUri(m.alice as string, "p");
    await postBy(c, m.alice as string, "p", 10);
    const hide = action(c, c.owner, "hide_post", target, { time: at(20) });
    const unhide = action(c, c.owner, "unhide_post", target, { time: at(30) });
    await c.apply(hide, unhide);
    expect(await c.posts()).toEqual([target]);
    const replay = await c.apply(hide);
    expect(replay[0]?.status).toBe("ignored");
    expect(await c.posts()).toEqual([target]);
    // An older version of the unhide record itself (say it was a hide first) is ignored too.
    await c.apply({ ...action(c, c.owner, "hide_post", target, { time: at(25), rkey: unhide.rkey }) });
    expect(await c.posts()).toEqual([target]);
  });

  it("deleting the winning action falls back to the previous one", async () => {
    const { c, m } = await started(["alice"]);
    const target = postUri(m.alice as string, "p");
    await postBy(c, m.alice as string, "p", 10);
    const hide = action(c, c.owner, "hide_post", target, { time: at(20) });
    const unhide = action(c, c.owner, "unhide_post", target, { time: at(30) });
    await c.apply(hide, unhide);
    await c.apply(
      action(c, c.owner, "unhide_post", target, { time: at(40), rkey: unhide.rkey, operation: "delete" }),
    );
    expect(await c.posts()).toEqual([]);
  });
});

describe("blocks", () => {
  it("the config blocklist drops a member's posts; unblocking restores those made before, never those made while blocked", async () => {
    const { c, m } = await started(["alice", "bob"]);
    await postBy(c, m.alice as string, "a", 10);
    await postBy(c, m.bob as string, "b", 11);
    await c.apply(config(c, { time: at(20), operation: "update", blocklist: [m.bob as string] }));
    expect(await c.posts()).toEqual([postUri(m.alice as string, "a")]);
    expect((await c.counters()).memberCount).toBe(1);
    expect(await c.stub.getMembership(m.bob as string)).toMatchObject({ status: "blocked" });
    // Posting while blocked does not get in either.
    await postBy(c, m.bob as string, "b2", 21);
    expect(await c.posts()).toHaveLength(1);
    await c.apply(config(c, { time: at(30), operation: "update", blocklist: [] }));
    expect(await c.posts()).toEqual([postUri(m.bob as string, "b"), postUri(m.alice as string, "a")]);
    await postBy(c, m.bob as string, "b3", 31);
    expect(await c.posts()).toEqual([
      postUri(m.bob as string, "b3"),
      postUri(m.bob as string, "b"),
      postUri(m.alice as string, "a"),
    ]);
  });

  it("block_user by a moderator drops the member; unblock_user restores; a forged block does nothing", async () => {
    const { c, m } = await started(["alice", "bob", "mallory"]);
    const bob = m.bob as string;
    await postBy(c, bob, "b", 10);
    await c.apply(action(c, m.mallory as string, "block_user", bob, { time: at(15) }));
    expect(await c.posts()).toEqual([postUri(bob, "b")]);
    await c.apply(action(c, c.owner, "block_user", bob, { time: at(20) }));
    expect(await c.posts()).toEqual([]);
    expect((await c.counters()).memberCount).toBe(2);
    await c.apply(action(c, c.owner, "unblock_user", bob, { time: at(30) }));
    expect(await c.posts()).toEqual([postUri(bob, "b")]);
    expect((await c.counters()).rejectedActions).toBe(1);
  });

  it("a block that arrives before the membership still applies", async () => {
    const c = community();
    const bob = did("bob");
    await c.apply(config(c, { time: at(1) }), action(c, c.owner, "block_user", bob, { time: at(20) }));
    await c.apply(membership(c, bob, { time: at(2) }), post(c, bob, { rkey: "b", time: at(10) }));
    expect(await c.posts()).toEqual([]);
  });
});
