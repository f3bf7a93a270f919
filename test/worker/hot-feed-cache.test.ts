// The hot feed: the first page of a feed kept for a moment per isolate
// (src/hot-feed-cache.ts), shared by concurrent readers, dropped when the
// community changes, and never handed to another audience.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HotFeedCache } from "../../src/hot-feed-cache.ts";
import { commitFrame, postRecord, tagFacet } from "../firehose/synthetic.ts";
import { at, community, config, did, membership, post, postUri } from "./community-fixtures.ts";
import { deliver } from "./helpers/firehose.ts";

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

const KEY = {
  community: "at://did:plc:a/com.atrarium.community.config/1",
  audience: "full",
  limit: 50,
} as const;

describe("HotFeedCache", () => {
  it("shares one read among concurrent requests and serves it until the time to live is over", async () => {
    let now = 1_000;
    const cache = new HotFeedCache<string>({ ttlMs: 500, now: () => now });
    const source = reads<string>();
    const answers = Array.from({ length: 200 }, () => cache.get(KEY, source.read));
    source.settle("page 1");
    expect(await Promise.all(answers)).toEqual(Array(200).fill("page 1"));
    expect(source.count).toBe(1);
    now += 499;
    expect(await cache.get(KEY, source.read)).toBe("page 1");
    expect(source.count).toBe(1);
    now += 1;
    const next = cache.get(KEY, source.read);
    source.settle("page 2");
    expect(await next).toBe("page 2");
    expect(source.count).toBe(2);
  });

  it("forgets a community's pages when it changes, even a read that was under way", async () => {
    const cache = new HotFeedCache<string>({ ttlMs: 60_000 });
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
    const cache = new HotFeedCache<string>({ ttlMs: 60_000 });
    const full = await cache.get(KEY, async () => "whole feed, for members");
    const pins = await cache.get({ ...KEY, audience: "pins-only" }, async () => "pins, for everyone else");
    expect(full).toBe("whole feed, for members");
    expect(pins).toBe("pins, for everyone else");
    expect(await cache.get({ ...KEY, audience: "pins-only" }, async () => "not read")).toBe(pins);
    expect(await cache.get(KEY, async () => "not read")).toBe(full);
    expect(await cache.get({ ...KEY, limit: 10 }, async () => "ten")).toBe("ten");
  });

  it("does not keep a failed read", async () => {
    const cache = new HotFeedCache<string>({ ttlMs: 60_000 });
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
});
