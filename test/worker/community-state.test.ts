// The rules of the community index, continued: idempotency and order, accounts
// and leaving, hashtags, counters, feed reads and retention, against real
// Durable Object storage.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CommunityFeed } from "../../src/community/CommunityFeed.ts";
import {
  account,
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

describe("idempotency and order safety", () => {
  it("the same events twice change nothing", async () => {
    const c = community();
    const alice = did("alice");
    const events = [
      config(c, { time: at(1) }),
      membership(c, alice, { time: at(2) }),
      post(c, alice, { rkey: "p1", time: at(3) }),
      post(c, alice, { rkey: "p2", time: at(4) }),
      action(c, c.owner, "hide_post", postUri(alice, "p1"), { time: at(5) }),
      action(c, did("mallory"), "hide_post", postUri(alice, "p2"), { time: at(6) }),
    ];
    await c.apply(...events);
    const feed = await c.posts();
    const counters = await c.counters();
    const again = await c.apply(...events);
    expect(again.map((o) => o.status)).toEqual(events.map(() => "ignored"));
    expect(await c.posts()).toEqual(feed);
    expect(await c.counters()).toEqual(counters);
    expect(feed).toEqual([postUri(alice, "p2")]);
  });

  it("an older membership version after a newer one does not overwrite it", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    await postBy(c, alice, "p", 10);
    await c.apply(membership(c, alice, { time: at(20), active: false, operation: "update" }));
    await c.apply(membership(c, alice, { time: at(15), operation: "update" }));
    expect(await c.posts()).toEqual([]);
    expect(await c.stub.getMembership(alice)).toMatchObject({ status: "left" });
  });

  it("an older config version after a newer one does not overwrite it", async () => {
    const { c, m } = await started(["alice"]);
    await postBy(c, m.alice as string, "p", 10);
    await c.apply(config(c, { time: at(30), operation: "update", blocklist: [m.alice as string] }));
    await c.apply(config(c, { time: at(20), operation: "update" }));
    expect(await c.posts()).toEqual([]);
  });

  it("an older post version after a newer one does not overwrite it", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    // The edit (t=20) drops the hashtag; the original (t=10) arrives after it.
    await c.apply(
      post(c, alice, {
        rkey: "p",
        time: at(20),
        text: "edited",
        operation: "update",
        createdAt: new Date(at(10) / 1000).toISOString(),
      }),
    );
    await postBy(c, alice, "p", 10);
    expect(await c.posts()).toEqual([]);
    // And the other way round: an edit adding the hashtag after an untagged original.
    await postBy(c, alice, "q", 11, "untagged");
    await c.apply(
      post(c, alice, {
        rkey: "q",
        time: at(21),
        operation: "update",
        createdAt: new Date(at(11) / 1000).toISOString(),
      }),
    );
    expect(await c.posts()).toEqual([postUri(alice, "q")]);
    // The untagged edit arriving after all that does not undo the tagged one.
    await c.apply(post(c, alice, { rkey: "q", time: at(11), text: "untagged", operation: "update" }));
    expect(await c.posts()).toEqual([postUri(alice, "q")]);
  });

  it("a delete followed by a late create does not bring a post back", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    await c.apply(post(c, alice, { rkey: "p", time: at(20), operation: "delete" }));
    await postBy(c, alice, "p", 10);
    expect(await c.posts()).toEqual([]);
    await postBy(c, alice, "q", 11);
    await c.apply(post(c, alice, { rkey: "q", time: at(21), operation: "delete" }));
    expect(await c.posts()).toEqual([]);
  });

  it("a delete followed by a late create does not bring a membership or an action back", async () => {
    const { c, m } = await started(["alice"]);
    const bob = did("bob");
    const alice = m.alice as string;
    await c.apply(membership(c, bob, { time: at(20), operation: "delete" }));
    await c.apply(membership(c, bob, { time: at(5) }));
    await c.apply(post(c, bob, { rkey: "b", time: at(25) }));
    await postBy(c, alice, "a", 10);
    const hide = action(c, c.owner, "hide_post", postUri(alice, "a"), { time: at(30) });
    await c.apply({ ...hide, operation: "delete", time: at(40), record: undefined });
    await c.apply(hide);
    expect(await c.posts()).toEqual([postUri(alice, "a")]);
  });
});

describe("accounts and leaving", () => {
  it("account active:false hides the author's posts and active:true restores them", async () => {
    const { c, m } = await started(["alice", "bob"]);
    await postBy(c, m.alice as string, "a", 10);
    await postBy(c, m.bob as string, "b", 11);
    await c.apply(account(m.bob as string, false, at(20)));
    expect(await c.posts()).toEqual([postUri(m.alice as string, "a")]);
    // An older account event arriving late changes nothing.
    await c.apply(account(m.bob as string, true, at(15)));
    expect(await c.posts()).toEqual([postUri(m.alice as string, "a")]);
    await c.apply(account(m.bob as string, true, at(30)));
    expect(await c.posts()).toEqual([postUri(m.bob as string, "b"), postUri(m.alice as string, "a")]);
  });

  it("deleting the membership record is leaving: the member's posts go", async () => {
    const { c, m } = await started(["alice", "bob"]);
    await postBy(c, m.bob as string, "b", 10);
    await c.apply(membership(c, m.bob as string, { time: at(20), operation: "delete" }));
    expect(await c.posts()).toEqual([]);
    expect(await c.stub.getMembership(m.bob as string)).toMatchObject({ status: "left" });
    expect((await c.counters()).memberCount).toBe(1);
  });

  it("active:false is leaving; rejoining brings back posts made while a member, not those made outside", async () => {
    const { c, m } = await started(["bob"]);
    const bob = m.bob as string;
    await postBy(c, bob, "in1", 10);
    await c.apply(membership(c, bob, { time: at(20), active: false, operation: "update" }));
    expect(await c.posts()).toEqual([]);
    await postBy(c, bob, "out", 25);
    await c.apply(membership(c, bob, { time: at(30), operation: "update" }));
    await postBy(c, bob, "in2", 35);
    expect(await c.posts()).toEqual([postUri(bob, "in2"), postUri(bob, "in1")]);
  });
});

describe("hashtags", () => {
  it("refuses and counts a config whose hashtag another community holds", async () => {
    const directory = env.DIRECTORY.getByName("directory");
    const refusalsBefore = await directory.refusalCount();
    const first = community();
    const squatter = community({ hashtag: first.hashtag });
    const alice = did("alice");
    expect((await first.apply(config(first, { time: at(1) })))[0]?.status).toBe("applied");
    const [refused] = await squatter.apply(config(squatter, { time: at(2) }));
    expect(refused?.status).toBe("rejected");
    expect(refused?.reason).toMatch(/belongs to/);
    expect(await directory.refusalCount()).toBe(refusalsBefore + 1);
    expect(await squatter.stub.status()).toBe("refused");
    await squatter.apply(
      membership(squatter, alice, { time: at(3) }),
      post(squatter, alice, { rkey: "s", time: at(4) }),
    );
    expect(await squatter.page()).toMatchObject({ ok: false, error: "UnknownFeed" });
    expect(await directory.resolveHashtags([first.hashtag])).toEqual({ [first.hashtag]: first.uri });
    // The holder itself is unaffected, and may re-send its config.
    await first.apply(config(first, { time: at(5), operation: "update" }));
    expect(await first.stub.status()).toBe("active");
  });

  it("a config changing its hashtag re-tags the stored posts", async () => {
    const { c, m } = await started(["alice"]);
    const other = `#atr_${c.hashtag.slice(5).split("").reverse().join("")}`;
    await postBy(c, m.alice as string, "old", 10);
    await postBy(c, m.alice as string, "new", 11, `hi ${other}`);
    expect(await c.posts()).toEqual([postUri(m.alice as string, "old")]);
    await c.apply(config(c, { time: at(20), operation: "update", hashtag: other }));
    expect(await c.posts()).toEqual([postUri(m.alice as string, "new")]);
  });
});

describe("counters", () => {
  it("counts members, visible posts, hidden posts and rejected actions", async () => {
    const { c, m } = await started(["alice", "bob", "carol"]);
    expect(await c.counters()).toMatchObject({
      memberCount: 3,
      postCount: 0,
      hiddenCount: 0,
      rejectedActions: 0,
    });
    for (const [i, who] of ["alice", "bob", "carol", "alice"].entries())
      await postBy(c, m[who] as string, `p${i}`, 10 + i);
    await postBy(c, did("outsider"), "x", 20);
    await c.apply(
      action(c, c.owner, "hide_post", postUri(m.alice as string, "p0"), { time: at(30) }),
      action(c, m.bob as string, "hide_post", postUri(m.alice as string, "p3"), { time: at(31) }),
      action(c, m.bob as string, "block_user", m.carol as string, { time: at(32) }),
      membership(c, m.carol as string, { time: at(33), operation: "delete" }),
    );
    expect(await c.counters()).toMatchObject({
      memberCount: 2,
      postCount: 2,
      hiddenCount: 1,
      rejectedActions: 2,
    });
    expect(await c.stub.getCommunityView()).toMatchObject({
      memberCount: 2,
      postCount: 2,
      hiddenCount: 1,
      rejectedActions: 2,
    });
  });
});

describe("feed reads", () => {
  it("answers a malformed cursor with InvalidRequest, never by throwing", async () => {
    const { c, m } = await started(["alice"]);
    await postBy(c, m.alice as string, "p", 10);
    const b64 = (s: string) => btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    for (const bad of [
      "",
      "!!!",
      "a b",
      "x".repeat(5000),
      b64("12::not-a-uri"),
      b64("abc::at://x/y/z"),
      b64("99999999999999999::at://x"),
      b64("{}"),
    ]) {
      expect(await c.page(10, bad), bad).toMatchObject({ ok: false, error: "InvalidRequest" });
    }
  });

  it("gives a cursor only when there is a next page", async () => {
    const { c, m } = await started(["alice"]);
    expect(await c.page(10)).toEqual({ ok: true, feed: [] });
    for (let i = 0; i < 4; i++) await postBy(c, m.alice as string, `p${i}`, 10 + i);
    const first = await c.page(2);
    if (!first.ok) throw new Error("not ok");
    expect(first.feed).toHaveLength(2);
    expect(first.cursor).toBeTypeOf("string");
    const second = await c.page(2, first.cursor);
    if (!second.ok) throw new Error("not ok");
    expect(second.feed.map((f) => f.post)).toEqual([
      postUri(m.alice as string, "p1"),
      postUri(m.alice as string, "p0"),
    ]);
    expect(second.cursor).toBeUndefined();
  });

  it("sorts by effective time, min(createdAt, observed): a future date cannot pin a post on top", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    await c.apply(post(c, alice, { rkey: "future", time: at(10), createdAt: "2099-01-01T00:00:00.000Z" }));
    await c.apply(
      post(c, alice, { rkey: "now", time: at(11), createdAt: new Date(Date.now() + 5000).toISOString() }),
    );
    await c.apply(post(c, alice, { rkey: "backdated", time: at(12), createdAt: iso(5) }));
    // Backdated to before its author joined: the post is judged at that time, and left out.
    await c.apply(post(c, alice, { rkey: "before", time: at(13), createdAt: iso(-100) }));
    expect(await c.posts()).toEqual([
      postUri(alice, "now"),
      postUri(alice, "future"),
      postUri(alice, "backdated"),
    ]);
  });
});

describe("retention", () => {
  it("deletes posts older than 7 days in chunks, re-arms, and keeps members, config and log", async () => {
    const { c, m } = await started(["alice"]);
    const alice = m.alice as string;
    const events = [];
    for (let i = 0; i < 2300; i++) events.push(post(c, alice, { rkey: `old${i}`, time: at(100 + i) }));
    for (let i = 0; i < 1000; i += 500) await c.apply(...events.slice(i, i + 500));
    for (let i = 1000; i < 2300; i += 650) await c.apply(...events.slice(i, i + 650));
    await postBy(c, alice, "fresh", 5000);
    await c.apply(action(c, c.owner, "hide_post", postUri(alice, "old0"), { time: at(6000) }));
    // Age 2,300 posts past the window (the object's clock cannot be moved from here).
    const eightDaysAgo = Date.now() - 8 * 24 * 60 * 60 * 1000;
    await runInDurableObject(c.stub, (_instance: CommunityFeed, state) => {
      state.storage.sql.exec(
        "UPDATE posts SET sort_at = ? WHERE uri != ?",
        eightDaysAgo,
        postUri(alice, "fresh"),
      );
    });
    const remaining = () =>
      runInDurableObject(
        c.stub,
        (_i: CommunityFeed, state) =>
          state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM posts").one().n,
      );
    const alarmAt = () => runInDurableObject(c.stub, (_i: CommunityFeed, state) => state.storage.getAlarm());
    expect(await alarmAt()).not.toBeNull();
    expect(await runDurableObjectAlarm(c.stub)).toBe(true);
    expect(await remaining()).toBe(1301);
    const rearmed = await alarmAt();
    expect(rearmed).not.toBeNull();
    expect(rearmed as number).toBeLessThan(Date.now() + 60_000); // more to do: soon
    expect(await runDurableObjectAlarm(c.stub)).toBe(true);
    expect(await remaining()).toBe(301);
    expect(await runDurableObjectAlarm(c.stub)).toBe(true);
    expect(await remaining()).toBe(1);
    // The fresh post keeps the alarm armed, at the slow pace.
    expect((await alarmAt()) as number).toBeGreaterThan(Date.now() + 60_000);
    expect(await c.posts()).toEqual([postUri(alice, "fresh")]);
    expect((await c.counters()).memberCount).toBe(1);
    expect(await c.stub.status()).toBe("active");
    const log = await c.stub.getActions(10);
    expect("actions" in log && log.actions).toHaveLength(1);
  });
});
