// The counts a community view shows are kept as rows change (SQLite triggers,
// src/community/store/kept-counts.ts), never counted per view. Whatever
// changes admission, hiding, tagging or who is visible, the kept row must
// equal a recount from scratch: checked here after every batch of random,
// varied histories (joins, leaves, rejoins, blocks by list and by action,
// hides and unhides, approvals under a join policy that changes, moderators
// added and removed, edits, deletes, a hashtag change, accounts going away and
// coming back, retention).
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CommunityFeed } from "../../src/community/CommunityFeed.ts";
import { expireOldPosts } from "../../src/community/retention.ts";
import { CommunityStore } from "../../src/community/store/index.ts";
import { type KeptCounts, recount } from "../../src/community/store/kept-counts.ts";
import type { IndexEvent } from "../../src/firehose/events.ts";
import { COLLECTIONS } from "../../src/records/address.ts";
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

const HISTORIES = 12;
const STEPS = 90;
const DAY_S = 24 * 3600;

/** The kept row and a recount, read inside the object; retention runs first when asked to. */
async function keptAndRecounted(c: Community, retentionAt?: number) {
  return runInDurableObject(c.stub, (_feed: CommunityFeed, state) => {
    const store = new CommunityStore(state.storage);
    if (retentionAt !== undefined) store.transaction(() => expireOldPosts(store, () => {}, retentionAt));
    return { kept: store.counts.get(), recounted: recount(store) };
  });
}

function history(seed: number, c: Community): { batches: IndexEvent[][]; retentionAfter: number } {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const people = ["a", "b", "c", "d", "e"].map((n) => did(n));
  const mod = did("mod");
  const stranger = did("stranger");
  const everyone = [c.owner, mod, stranger, ...people];
  const posts: { author: string; rkey: string }[] = [];
  const actions: { author: string; rkey: string }[] = [];
  let moderators: string[] = [mod];
  let blocklist: string[] = [];
  let joinPolicy = "open";
  let hashtag = c.hashtag;
  const otherHashtag = `#atr_${seed.toString(16).padStart(8, "0")}`;
  const events: IndexEvent[] = [config(c, { time: at(1), moderators })];
  let t = 2;
  for (let step = 0; step < STEPS; step++) {
    t += 1 + Math.floor(random() * 20);
    const time = at(t);
    const r = random();
    if (r < 0.15) {
      const who = pick(everyone);
      const op = pick(["create", "update", "delete"] as const);
      events.push(membership(c, who, { time, operation: op, active: random() < 0.8 }));
    } else if (r < 0.45) {
      const author = pick(everyone);
      const rkey = `p${step}`;
      // Some posts are nearly a week old: retention takes them out at the end.
      const old = random() < 0.15;
      const createdAt = old ? iso(t - 7 * DAY_S + 600) : undefined;
      const text = random() < 0.8 ? `post ${step} ${hashtag}` : `post ${step} without the hashtag`;
      events.push(post(c, author, { time, rkey, text, ...(createdAt ? { createdAt } : {}) }));
      posts.push({ author, rkey });
    } else if (r < 0.55 && posts.length > 0) {
      const p = pick(posts);
      const text = random() < 0.5 ? `edited ${hashtag}` : "edited, hashtag gone";
      const operation = random() < 0.5 ? "update" : "delete";
      events.push(post(c, p.author, { time, rkey: p.rkey, text, operation, cid: `edit-${step}` }));
    } else if (r < 0.75) {
      const author = pick([c.owner, mod, stranger]);
      const kind = pick([
        "hide_post",
        "unhide_post",
        "block_user",
        "unblock_user",
        "approve_member",
        "unapprove_member",
      ] as const);
      const hit = posts.length > 0 ? pick(posts) : { author: pick(people), rkey: "p0" };
      const target = kind.endsWith("post") ? postUri(hit.author, hit.rkey) : pick(people);
      const made = action(c, author, kind, target, { time });
      actions.push({ author, rkey: made.rkey });
      events.push(made);
    } else if (r < 0.8 && actions.length > 0) {
      const a = pick(actions);
      const collection = COLLECTIONS.action;
      events.push({ kind: "record", did: a.author, collection, rkey: a.rkey, operation: "delete", time });
    } else if (r < 0.9) {
      // The owner changes the moderators, the blocklist or the join policy, rarely the hashtag.
      const change = random();
      if (change < 0.35) moderators = random() < 0.5 ? [] : [mod, pick(people)];
      else if (change < 0.7) blocklist = random() < 0.5 ? [] : [pick(people)];
      else joinPolicy = joinPolicy === "open" ? "approval" : "open";
      if (random() < 0.1) hashtag = hashtag === c.hashtag ? otherHashtag : c.hashtag;
      events.push(config(c, { time, operation: "update", moderators, blocklist, hashtag, joinPolicy }));
    } else {
      events.push(account(pick(people), random() < 0.5, time));
    }
  }
  // Random batches, in order (a batch is one applyEvents call, as the queue consumer makes).
  const batches: IndexEvent[][] = [];
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(random() * 12);
    batches.push(events.slice(i, i + size));
    i += size;
  }
  return { batches, retentionAfter: Date.now() + DAY_S * 1000 };
}

describe("counts kept as the index changes", () => {
  it("equal a recount after every batch of varied histories, and after retention", async () => {
    const highest: KeptCounts = {
      members: 0,
      shownPosts: 0,
      shownHiddenPosts: 0,
      hiddenPosts: 0,
      admittedPosts: 0,
      refusedPosts: 0,
      rejectedActions: 0,
    };
    for (let seed = 1; seed <= HISTORIES; seed++) {
      const c = community();
      const { batches, retentionAfter } = history(seed, c);
      for (const [i, batch] of batches.entries()) {
        await c.apply(...batch);
        const { kept, recounted } = await keptAndRecounted(c);
        expect(kept, `seed ${seed}, after batch ${i}`).toEqual(recounted);
        for (const key of Object.keys(highest) as (keyof KeptCounts)[])
          highest[key] = Math.max(highest[key], kept[key]);
      }
      const { kept, recounted } = await keptAndRecounted(c, retentionAfter);
      expect(kept, `seed ${seed}, after retention`).toEqual(recounted);
    }
    // The histories reached every count, or the check would say little.
    for (const [key, value] of Object.entries(highest)) expect(value, key).toBeGreaterThan(0);
  });

  it("are what a view reports, and move with a hide and a block", async () => {
    const c = community();
    const [a, b] = [did("a"), did("b")];
    await c.apply(
      config(c, { time: at(1) }),
      membership(c, a, { time: at(2) }),
      membership(c, b, { time: at(2) }),
      post(c, a, { time: at(3), rkey: "pa" }),
      post(c, b, { time: at(3), rkey: "pb" }),
      post(c, b, { time: at(4), rkey: "pb2" }),
    );
    expect(await c.counters()).toMatchObject({ memberCount: 2, postCount: 3, hiddenCount: 0 });
    await c.apply(action(c, c.owner, "hide_post", postUri(a, "pa"), { time: at(5) }));
    expect(await c.counters()).toMatchObject({ memberCount: 2, postCount: 2, hiddenCount: 1 });
    await c.apply(action(c, c.owner, "block_user", b, { time: at(6) }));
    expect(await c.counters()).toMatchObject({ memberCount: 1, postCount: 0, hiddenCount: 1 });
    const view = await c.stub.getCommunityView();
    expect(view).toMatchObject({ memberCount: 1, postCount: 0, hiddenCount: 1 });
  });

  it("a view's hiddenCount counts the hidden posts of shown members only: it follows a block of their author", async () => {
    const c = community();
    const [a, b] = [did("a"), did("b")];
    await c.apply(
      config(c, { time: at(1) }),
      membership(c, a, { time: at(2) }),
      membership(c, b, { time: at(2) }),
      post(c, a, { time: at(3), rkey: "pa" }),
      post(c, b, { time: at(3), rkey: "pb" }),
      action(c, c.owner, "hide_post", postUri(a, "pa"), { time: at(4) }),
    );
    expect(await c.stub.getCommunityView()).toMatchObject({ memberCount: 2, postCount: 1, hiddenCount: 1 });
    // The hidden post's author is blocked: the post leaves with the author, hidden or not.
    await c.apply(action(c, c.owner, "block_user", a, { time: at(5) }));
    expect(await c.stub.getCommunityView()).toMatchObject({ memberCount: 1, postCount: 1, hiddenCount: 0 });
    // Unblocked, the author is shown again, and so is the hide of their post.
    await c.apply(action(c, c.owner, "unblock_user", a, { time: at(6) }));
    expect(await c.stub.getCommunityView()).toMatchObject({ memberCount: 2, postCount: 1, hiddenCount: 1 });
  });
});
