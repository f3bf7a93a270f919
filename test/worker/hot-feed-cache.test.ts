// The hot feed: the first page of a feed kept for a moment per isolate
// (src/hot-feed-cache.ts), shared by concurrent readers, dropped when the
// community changes (through the queue or through requestIndex), and never
// handed to another audience.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FRESH_MS, HotFeedCache, MAX_AGE_MS } from "../../src/hot-feed-cache.ts";
import { commitFrame, postRecord, tagFacet } from "../firehose/synthetic.ts";
import { at, community, config, did, membership, post, postUri } from "./community-fixtures.ts";
import { deliver } from "./helpers/firehose.ts";
import { createAccount, startPds, writeRecord } from "./helpers/network.ts";
import { requestIndex } from "./helpers/xrpc.ts";

/** A read that resolves when told to, counting how often it was made. */
function reads<P>() {
  let count = 0;
  const pending: ((value: P) => void)[] = [];
  return {
    get count() {
      return count;
    },
    read: () => {
      count++;
      return new Promise<P>((resolve) => pending.push(resolve));
    },
    settle(value: P) {
      for (const resolve of pending.splice(0)) resolve(value);
    },
  };
}

/** The tests run no request whose lifetime a read must stretch. */
const keepAlive = () => {};

/** Lets the callbacks of settled reads run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

const KEY = {
  community: "at://did:plc:a/com.atrarium.community.config/1",
  audience: "full",
  limit: 50,
} as const;

describe("HotFeedCache", () => {
  it("shares one read among concurrent requests, and renews a page while still serving it, up to its maximum age", async () => {
    let now = 1_000;
    const cache = new HotFeedCache<string>({ freshMs: 250, maxAgeMs: 1_000, now: () => now, keepAlive });
    const source = reads<string>();
    const answers = Array.from({ length: 200 }, () => cache.get(KEY, source.read));
    source.settle("page 1");
    expect(await Promise.all(answers)).toEqual(Array(200).fill("page 1"));
    expect(source.count).toBe(1);
    now += 249;
    expect(await cache.get(KEY, source.read)).toBe("page 1");
    expect(source.count).toBe(1);
    // Past fresh: the kept page is still served at once, and one read renews it.
    now += 1;
    expect(await cache.get(KEY, source.read)).toBe("page 1");
    expect(await cache.get(KEY, source.read)).toBe("page 1");
    expect(source.count).toBe(2);
    source.settle("page 2");
    await settled();
    expect(await cache.get(KEY, source.read)).toBe("page 2");
    // A page as old as the maximum age is not served: the request waits for the read.
    now += 1_000;
    const waiting = cache.get(KEY, source.read);
    expect(source.count).toBe(3);
    source.settle("page 3");
    expect(await waiting).toBe("page 3");
  });

  it("forgets a community's pages when it changes, even a read that was under way", async () => {
    const cache = new HotFeedCache<string>({ freshMs: 60_000, maxAgeMs: 60_000, keepAlive });
    const source = reads<string>();
    const before = cache.get(KEY, source.read);
    cache.invalidate(KEY.community);
    const after = cache.get(KEY, source.read);
    source.settle("read twice");
    await Promise.all([before, after]);
    expect(source.count).toBe(2);
    cache.invalidate(KEY.community);
    const again = cache.get(KEY, source.read);
    source.settle("after the change");
    expect(await again).toBe("after the change");
    // Another community's pages stay.
    const other = { ...KEY, community: "at://did:plc:b/com.atrarium.community.config/1" };
    const kept = cache.get(other, source.read);
    source.settle("other");
    await kept;
    cache.invalidate(KEY.community);
    expect(await cache.get(other, source.read)).toBe("other");
    expect(source.count).toBe(4);
  });

  it("keeps the whole feed and the pins-only answer apart, and each page size apart", async () => {
    const cache = new HotFeedCache<string>({ freshMs: 60_000, maxAgeMs: 60_000, keepAlive });
    const full = await cache.get(KEY, async () => "whole feed, for members");
    const pins = await cache.get({ ...KEY, audience: "pins-only" }, async () => "pins, for everyone else");
    expect(full).toBe("whole feed, for members");
    expect(pins).toBe("pins, for everyone else");
    expect(await cache.get({ ...KEY, audience: "pins-only" }, async () => "not read")).toBe(pins);
    expect(await cache.get(KEY, async () => "not read")).toBe(full);
    expect(await cache.get({ ...KEY, limit: 10 }, async () => "ten")).toBe("ten");
  });

  it("does not keep a failed read", async () => {
    const cache = new HotFeedCache<string>({ freshMs: 60_000, maxAgeMs: 60_000, keepAlive });
    await expect(cache.get(KEY, () => Promise.reject(new Error("object unavailable")))).rejects.toThrow();
    expect(await cache.get(KEY, async () => "second try")).toBe("second try");
  });
});

describe("the hot feed behind getFeedSkeleton", () => {
  const firstPage = async (feed: string) => {
    const res = await SELF.fetch(
      `https://feeds.test/xrpc/app.bsky.feed.getFeedSkeleton?${new URLSearchParams({ feed, limit: "10" })}`,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { feed: { post: string }[] }).feed.map((f) => f.post);
  };

  it("renews a kept page in the background across requests: a read outlives the request that started it", async () => {
    const c = community();
    const alice = did("alice");
    await c.apply(config(c, { time: at(1) }), membership(c, alice, { time: at(2) }));
    await c.apply(post(c, alice, { time: at(3), rkey: "p1" }));
    expect(await firstPage(c.feed)).toEqual([postUri(alice, "p1")]);
    // Past fresh: this request answers from the kept page at once and starts the read that renews it.
    await new Promise((resolve) => setTimeout(resolve, FRESH_MS + 50));
    await c.apply(post(c, alice, { time: at(4), rkey: "p2" }));
    expect((await firstPage(c.feed))[0]).toMatch(/\/p[12]$/);
    // Past the maximum age, a request waits for a read: it must settle although its request ended.
    await new Promise((resolve) => setTimeout(resolve, MAX_AGE_MS + 50));
    expect(await firstPage(c.feed)).toEqual([postUri(alice, "p2"), postUri(alice, "p1")]);
  });

  it("shows a post that reached the community through the queue at once, right after the page was kept", async () => {
    const c = community();
    const alice = did("alice");
    await c.apply(config(c, { time: at(1) }), membership(c, alice, { time: at(2) }));
    await c.apply(post(c, alice, { time: at(3), rkey: "p1" }));
    // The first page is kept now; a new post arrives through the queue consumer of this isolate.
    expect(await firstPage(c.feed)).toEqual([postUri(alice, "p1")]);
    const text = `second ${c.hashtag}`;
    const now = Date.now();
    const frame = commitFrame(alice, now * 1000, "create", "app.bsky.feed.post", "3lsecondpost2", {
      ...postRecord(text, { facets: [tagFacet(c.hashtag.slice(1), text)] }),
      createdAt: new Date(now).toISOString(),
    });
    await deliver([JSON.parse(frame)]);
    expect(await firstPage(c.feed)).toEqual([postUri(alice, "3lsecondpost2"), postUri(alice, "p1")]);
  });

  it("shows a post and a hide indexed through requestIndex at once, right after the page was kept", async () => {
    const pds = await startPds();
    const [owner, member] = await Promise.all([createAccount(pds, "owner"), createAccount(pds, "member")]);
    const hashtag = `#atr_${(crypto.getRandomValues(new Uint32Array(1))[0] as number).toString(16).padStart(8, "0")}`;
    const now = () => new Date().toISOString();
    const c = await writeRecord(owner, "com.atrarium.community.config", {
      name: "Hot",
      hashtag,
      stage: "community",
      createdAt: now(),
    });
    const feed = `at://${owner.did}/app.bsky.feed.generator/${c.rkey}`;
    const joined = await writeRecord(member, "com.atrarium.community.membership", {
      community: c.uri,
      role: "member",
      joinedAt: now(),
    });
    const first = await writeRecord(member, "app.bsky.feed.post", {
      text: `first ${hashtag}`,
      createdAt: now(),
    });
    for (const record of [c, joined, first])
      expect((await requestIndex(record.uri)).body.status).toBe("indexed");
    // Written before the page is kept, so that only requestIndex lies between the reads.
    const second = await writeRecord(member, "app.bsky.feed.post", {
      text: `second ${hashtag}`,
      createdAt: now(),
    });
    const hide = await writeRecord(owner, "com.atrarium.moderation.action", {
      community: c.uri,
      action: "hide_post",
      target: { $type: "com.atrarium.moderation.action#postTarget", uri: second.uri, cid: second.cid },
      createdAt: now(),
    });
    expect(await firstPage(feed)).toEqual([first.uri]);
    expect((await requestIndex(second.uri)).body.status).toBe("indexed");
    expect(await firstPage(feed)).toEqual([second.uri, first.uri]);
    expect((await requestIndex(hide.uri)).body.status).toBe("indexed");
    expect(await firstPage(feed)).toEqual([first.uri]);
  });
});
