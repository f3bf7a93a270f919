// Order safety: one fixed set of events, applied in many seeded random orders
// with random duplicates and random batch boundaries, each into a fresh
// community, must always give the same feed and the same counters.
import { describe, expect, it } from "vitest";
import type { IndexEvent } from "../../src/firehose/events.ts";
import {
  account,
  action,
  at,
  type Community,
  community,
  config,
  did,
  iso,
  membership,
  post,
  postUri,
  prng,
} from "./community-fixtures.ts";

const RUNS = 24;

// The cast, shared by every run so that feeds compare as plain lists.
const who = Object.fromEntries(
  ["mod", "alice", "bob", "carol", "dave", "erin", "frank", "grace", "henry", "zed"].map((n) => [n, did(n)]),
) as Record<string, string>;
const W = (name: string) => who[name] as string;
const P = (author: string, key: string) => postUri(W(author), key);

/** Every event has its own fixed time (seconds after T0); see the expectations below. */
function scenario(c: Community): IndexEvent[] {
  const joined = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "henry"];
  const posts: [string, string, number][] = [
    ["alice", "a1", 10],
    ["alice", "a2", 11],
    ["alice", "a3", 12],
    ["alice", "a4", 13],
    ["alice", "a5", 14],
    ["bob", "b1", 15],
    ["carol", "c1", 16],
    ["dave", "d1", 17],
    ["erin", "e1", 18],
    ["frank", "f1", 19],
    ["grace", "g1", 24],
    ["henry", "h1", 25],
    ["zed", "z1", 26], // not a member
    ["bob", "b2", 43], // while bob had left
    ["bob", "b3", 47], // after bob came back
  ];
  const a5hide = action(c, W("mod"), "hide_post", P("alice", "a5"), { time: at(29) });
  return [
    config(c, { time: at(1), moderators: [W("mod")] }),
    ...joined.map((n, i) => membership(c, W(n), { time: at(2 + i) })),
    ...posts.map(([n, key, t]) => post(c, W(n), { rkey: key, time: at(t) })),
    // hidden by the owner
    action(c, c.owner, "hide_post", P("alice", "a1"), { time: at(20) }),
    // hidden by the listed moderator, then unhidden by the owner
    action(c, W("mod"), "hide_post", P("alice", "a2"), { time: at(21) }),
    action(c, c.owner, "unhide_post", P("alice", "a2"), { time: at(22) }),
    // forged: zed is no moderator
    action(c, W("zed"), "hide_post", P("bob", "b1"), { time: at(23) }),
    // last write wins by effective time (createdAt, as honestly dated), not by arrival: a3 stays hidden
    action(c, W("mod"), "hide_post", P("alice", "a3"), { time: at(27), createdAt: iso(26) }),
    action(c, c.owner, "unhide_post", P("alice", "a3"), { time: at(28), createdAt: iso(25) }),
    // a hide that its author deletes again
    a5hide,
    { ...a5hide, operation: "delete", record: undefined, cid: undefined, time: at(36) },
    // a deleted post
    post(c, W("alice"), { rkey: "a4", time: at(35), operation: "delete" }),
    // carol leaves by deleting her record; bob by active:false, and comes back
    membership(c, W("carol"), { time: at(40), operation: "delete" }),
    membership(c, W("bob"), { time: at(41), operation: "update", active: false }),
    membership(c, W("bob"), { time: at(45), operation: "update", active: true }),
    // dave is put on the blocklist
    config(c, { time: at(50), operation: "update", moderators: [W("mod")], blocklist: [W("dave")] }),
    // grace's account goes away; henry's goes and comes back
    account(W("grace"), false, at(55)),
    account(W("henry"), false, at(56)),
    account(W("henry"), true, at(57)),
    // erin is blocked then unblocked; frank stays blocked; zed's block is forged
    action(c, c.owner, "block_user", W("erin"), { time: at(60) }),
    action(c, W("mod"), "unblock_user", W("erin"), { time: at(70) }),
    action(c, W("mod"), "block_user", W("frank"), { time: at(65) }),
    action(c, W("zed"), "block_user", W("alice"), { time: at(66) }),
  ];
}

const EXPECTED_FEED = [
  P("bob", "b3"),
  P("henry", "h1"),
  P("erin", "e1"),
  P("bob", "b1"),
  P("alice", "a5"),
  P("alice", "a2"),
];
const EXPECTED_COUNTERS = { memberCount: 5, postCount: 6, hiddenCount: 2, rejectedActions: 2 };

/** Shuffles the events, adds duplicates, and cuts them into batches of 1..8. */
function arrangement(events: IndexEvent[], seed: number): IndexEvent[][] {
  const random = prng(seed);
  const list = [...events];
  for (const event of events) if (random() < 0.3) list.push(event);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j] as IndexEvent, list[i] as IndexEvent];
  }
  const batches: IndexEvent[][] = [];
  for (let i = 0; i < list.length; ) {
    const size = 1 + Math.floor(random() * 8);
    batches.push(list.slice(i, i + size));
    i += size;
  }
  return batches;
}

async function run(batches: (c: Community) => IndexEvent[][]) {
  const c = community();
  for (const batch of batches(c)) await c.apply(...batch);
  const { memberCount, postCount, hiddenCount, rejectedActions } = await c.counters();
  return { feed: await c.posts(7), counters: { memberCount, postCount, hiddenCount, rejectedActions } };
}

describe("order safety", () => {
  it("gives the expected feed when events arrive in time order", async () => {
    const result = await run((c) => [scenario(c)]);
    expect(result.feed).toEqual(EXPECTED_FEED);
    expect(result.counters).toEqual(EXPECTED_COUNTERS);
  });

  it(`gives the identical feed and counters in ${RUNS} random orders with duplicates`, async () => {
    const reference = await run((c) => [scenario(c)]);
    // Non-trivial: some posts are in, the hidden, deleted, blocked and foreign ones are out.
    expect(reference.feed.length).toBeGreaterThan(3);
    for (const out of ["a1", "a3", "a4"]) expect(reference.feed).not.toContain(P("alice", out));
    for (const [n, k] of [
      ["dave", "d1"],
      ["frank", "f1"],
      ["carol", "c1"],
      ["grace", "g1"],
      ["zed", "z1"],
      ["bob", "b2"],
    ])
      expect(reference.feed).not.toContain(P(n as string, k as string));
    for (let seed = 1; seed <= RUNS; seed++) {
      const result = await run((c) => arrangement(scenario(c), seed));
      expect(result, `seed ${seed}`).toEqual(reference);
    }
    // Reverse order, one event per call, everything twice.
    const reversed = await run((c) => {
      const events = scenario(c).reverse();
      return [...events, ...events].map((e) => [e]);
    });
    expect(reversed).toEqual(reference);
  });
});
