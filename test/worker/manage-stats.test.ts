// What the manage page reads from a community's index: its numbers over the
// last 30 days (posts per day, kept after the posts leave the 7-day window;
// members, joins and leaves from the membership history; hidden posts from
// the log), and a moderation log that says which actions were undone, and by whom.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CommunityFeed, CommunityStats } from "../../src/community/CommunityFeed.ts";
import {
  action,
  at,
  community,
  config,
  did,
  membership,
  post,
  postBy,
  postUri,
  started,
} from "./community-fixtures.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const today = Math.floor(Date.now() / DAY_MS);
/** Noon (UTC) `days` days ago, in µs; today: a minute ago. */
const daysAgo = (days: number) =>
  (days === 0 ? Date.now() - 60_000 : (today - days) * DAY_MS + DAY_MS / 2) * 1000;
const dayString = (days: number) => new Date((today - days) * DAY_MS).toISOString().slice(0, 10);

async function statsOf(stub: { getStats(): Promise<CommunityStats | null> }): Promise<CommunityStats> {
  const stats = await stub.getStats();
  if (!stats) throw new Error("no stats");
  return stats;
}

describe("a community's numbers", () => {
  it("counts posts per day, members each day, and joins, leaves and hidden posts per week", async () => {
    const c = community();
    const [bob, carol, dave, eve] = ["bob", "carol", "dave", "eve"].map(did) as [
      string,
      string,
      string,
      string,
    ];
    const join = (who: string, days: number) => membership(c, who, { time: daysAgo(days) });
    await c.apply(
      config(c, { time: daysAgo(25) }),
      join(c.owner, 25),
      join(bob, 20),
      join(carol, 10),
      join(dave, 1),
    );
    await c.apply(membership(c, carol, { time: daysAgo(3), operation: "delete" }));
    const say = (who: string, key: string, days: number) => post(c, who, { rkey: key, time: daysAgo(days) });
    const outcomes = await c.apply(
      say(carol, "c1", 6),
      say(bob, "b1", 5),
      say(bob, "b2", 5),
      say(c.owner, "o1", 0),
      say(eve, "e1", 0), // not a member: not counted
    );
    expect(outcomes.map((o) => o.status)).toEqual(["applied", "applied", "applied", "applied", "rejected"]);
    // The same post again, and an edit of it, are one post.
    await c.apply(say(bob, "b1", 5), { ...say(bob, "b1", 4), cid: "an-edit" });
    await c.apply(action(c, c.owner, "hide_post", postUri(bob, "b2"), { time: daysAgo(5) }));

    const { days, weeks } = await statsOf(c.stub);
    expect(days).toHaveLength(30);
    expect(days[29]?.day).toBe(dayString(0));
    const on = (ago: number) => days[29 - ago];
    expect([25, 20, 10, 6, 5, 3, 1, 0].map((ago) => [ago, on(ago)?.members, on(ago)?.posts])).toEqual([
      [25, 1, 0],
      [20, 2, 0],
      [10, 3, 0],
      [6, 3, 1],
      [5, 3, 2],
      [3, 2, 0], // Carol left
      [1, 3, 0], // Dave joined
      [0, 3, 1],
    ]);
    expect(on(29)?.members).toBe(0);
    expect(weeks.map(({ joins, leaves, hidden, posts }) => ({ joins, leaves, hidden, posts }))).toEqual([
      { joins: 1, leaves: 1, hidden: 1, posts: 4 },
      { joins: 1, leaves: 0, hidden: 0, posts: 0 },
      { joins: 1, leaves: 0, hidden: 0, posts: 0 },
      { joins: 1, leaves: 0, hidden: 0, posts: 0 },
    ]);
    expect(weeks[0]).toMatchObject({ from: dayString(6), to: dayString(0) });
  });

  it("keeps counting posts after they leave the 7-day window", async () => {
    const { c, m } = await started(["alice"]);
    await postBy(c, m.alice as string, "p1", 10);
    await postBy(c, m.alice as string, "p2", 11);
    const before = await statsOf(c.stub);
    expect(before.days[29]?.posts).toBe(2);
    const eightDaysAgo = Date.now() - 8 * DAY_MS;
    await runInDurableObject(c.stub, (_instance: CommunityFeed, state) => {
      state.storage.sql.exec("UPDATE posts SET sort_at = ?", eightDaysAgo);
    });
    await runDurableObjectAlarm(c.stub);
    expect(await c.posts()).toEqual([]);
    expect((await statsOf(c.stub)).days[29]?.posts).toBe(2);
  });
});

describe("the moderation log", () => {
  it("says which action undid one, and who wrote it", async () => {
    const { c, m } = await started(["alice", "bob"]);
    const bob = m.bob as string;
    const mod = did("mod");
    await c.apply(config(c, { time: at(3), moderators: [mod] }));
    await postBy(c, bob, "p1", 4);
    const target = postUri(bob, "p1");
    const hide = action(c, c.owner, "hide_post", target, { time: at(10) });
    const unhide = action(c, mod, "unhide_post", target, { time: at(11) });
    const block = action(c, c.owner, "block_user", bob, { time: at(12) });
    const unblock = action(c, c.owner, "unblock_user", bob, { time: at(13) });
    const blockAgain = action(c, mod, "block_user", bob, { time: at(14) });
    const stranger = action(c, did("stranger"), "hide_post", target, { time: at(15) });
    await c.apply(hide, unhide, block, unblock, blockAgain, stranger);
    const log = await c.stub.getActions(10);
    if (!("actions" in log)) throw new Error(log.error);
    const byRkey = new Map(log.actions.map((a) => [a.uri.split("/").pop(), a]));
    const undone = (a: { rkey: string }) => byRkey.get(a.rkey)?.undoneBy;
    expect(undone(hide)).toEqual({
      uri: `at://${mod}/com.atrarium.moderation.action/${unhide.rkey}`,
      author: mod,
      action: "unhide_post",
      createdAt: new Date(at(11) / 1000).toISOString(),
    });
    expect(undone(block)).toMatchObject({ author: c.owner, action: "unblock_user" });
    // In force now, or not undoable, or not counting: nothing undid them.
    for (const a of [unhide, unblock, blockAgain, stranger]) expect(undone(a)).toBeUndefined();
    expect(byRkey.get(stranger.rkey)?.status).toBe("rejected");
  });
});
