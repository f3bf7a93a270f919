// Routing that does not depend on order (issue: "ingestion that never loses a
// post"): a new community's config in one queue message, its memberships and
// posts in others. Whatever order the messages are processed in, sequentially
// or concurrently, every acked message's events end up in the index exactly
// as a second delivery would leave them.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { JetstreamEvent } from "../../src/firehose/events.ts";
import { commitFrame, postRecord, rkeyOf, tagFacet } from "../firehose/synthetic.ts";
import { did } from "./community-fixtures.ts";
import { deliver } from "./helpers/firehose.ts";

let seq = 0;
const ev = (raw: string) => JSON.parse(raw) as JetstreamEvent;

/** One burst: a config, four members, 40 posts in three further messages, and one post deleted again. */
function burst(t0: number) {
  const owner = did("owner");
  const members = [0, 1, 2, 3].map((i) => did(`m${i}`));
  const rkey = rkeyOf(++seq * 1000);
  const uri = `at://${owner}/com.atrarium.community.config/${rkey}`;
  const hashtag = `#atr_${(0x10000000 + seq * 7919).toString(16).slice(-8)}`;
  let t = t0;
  // One millisecond apart, so that the feed's order is the order of writing.
  const next = () => {
    t += 1000;
    return t;
  };
  const config = ev(
    commitFrame(owner, next(), "create", "com.atrarium.community.config", rkey, {
      $type: "com.atrarium.community.config",
      name: "Burst",
      hashtag,
      stage: "community",
      createdAt: new Date(t0 / 1000 - 1000).toISOString(),
    }),
  );
  const joins = members.map((m) =>
    ev(
      commitFrame(m, next(), "create", "com.atrarium.community.membership", rkeyOf(++seq * 1000), {
        $type: "com.atrarium.community.membership",
        community: uri,
        role: "member",
        joinedAt: new Date(t / 1000 - 500).toISOString(),
      }),
    ),
  );
  const posts = Array.from({ length: 40 }, (_, i) => {
    const text = `post ${i} ${hashtag}`;
    const when = next();
    return ev(
      commitFrame(members[i % 4] as string, when, "create", "app.bsky.feed.post", rkeyOf(++seq * 1000), {
        ...postRecord(text, { facets: [tagFacet(hashtag.slice(1), text)] }),
        createdAt: new Date(when / 1000).toISOString(),
      }),
    );
  });
  const deleted = posts[5] as JetstreamEvent & { kind: "commit" };
  const remove = ev(commitFrame(deleted.did, next(), "delete", "app.bsky.feed.post", deleted.commit.rkey));
  const messages: JetstreamEvent[][] = [
    [config, ...joins],
    posts.slice(0, 13),
    [...posts.slice(13, 27), remove],
    posts.slice(27),
  ];
  const uriOf = (p: JetstreamEvent) =>
    p.kind === "commit" ? `at://${p.did}/app.bsky.feed.post/${p.commit.rkey}` : "";
  const expected = posts
    .filter((p) => p !== deleted)
    .map(uriOf)
    .reverse();
  return { uri, feed: `at://${owner}/app.bsky.feed.generator/${rkey}`, messages, expected };
}

async function feedOf(uri: string): Promise<string[]> {
  const page = await env.COMMUNITY_FEED.getByName(uri).getFeedSkeleton(100);
  if (!page.ok) throw new Error(`${page.error}: ${page.message}`);
  return page.feed.map((f) => f.post);
}

function permutations<T>(list: T[]): T[][] {
  if (list.length <= 1) return [list];
  return list.flatMap((item, i) =>
    permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((p) => [item, ...p]),
  );
}

describe("routing is order-independent", () => {
  it("loses no post whatever order the messages of a burst are processed in, one by one", async () => {
    const orders = permutations([0, 1, 2, 3]);
    expect(orders).toHaveLength(24);
    for (const order of orders) {
      const b = burst((Date.now() - 60_000) * 1000);
      for (const i of order) await deliver(b.messages[i] as JetstreamEvent[]);
      expect(await feedOf(b.uri), `order ${order.join(",")}`).toEqual(b.expected);
      // A second delivery of everything changes nothing.
      await deliver(...b.messages);
      expect(await feedOf(b.uri), `order ${order.join(",")}, delivered twice`).toEqual(b.expected);
    }
  });

  it("loses no post when the messages are processed concurrently, in one batch or racing batches", async () => {
    for (const order of permutations([0, 1, 2, 3]).slice(0, 8)) {
      const b = burst((Date.now() - 60_000) * 1000);
      const messages = order.map((i) => b.messages[i] as JetstreamEvent[]);
      await deliver(...messages);
      expect(await feedOf(b.uri), `one batch in order ${order.join(",")}`).toEqual(b.expected);
      const racing = burst((Date.now() - 60_000) * 1000);
      // Two consumer invocations at once, as production runs several.
      await Promise.all([
        deliver(...order.slice(0, 2).map((i) => racing.messages[i] as JetstreamEvent[])),
        deliver(...order.slice(2).map((i) => racing.messages[i] as JetstreamEvent[])),
      ]);
      expect(await feedOf(racing.uri), `racing batches in order ${order.join(",")}`).toEqual(racing.expected);
    }
  });

  it("counts what waited and what could not be routed", async () => {
    const before = await env.DIRECTORY.getByName("directory").routingStatus();
    const b = burst((Date.now() - 60_000) * 1000);
    await deliver(b.messages[1] as JetstreamEvent[]);
    const parked = await env.DIRECTORY.getByName("directory").routingStatus();
    expect(parked.parkedPosts - before.parkedPosts).toBe(13);
    expect(parked.parkedNow.posts).toBeGreaterThanOrEqual(13);
    await deliver(b.messages[0] as JetstreamEvent[]);
    const after = await env.DIRECTORY.getByName("directory").routingStatus();
    expect(after.parkedNow.posts).toBe(parked.parkedNow.posts - 13);
    expect(await feedOf(b.uri)).toHaveLength(13);
    const junk = ev(
      commitFrame(
        did("x"),
        Date.now() * 1000,
        "create",
        "app.bsky.feed.post",
        rkeyOf(++seq),
        postRecord("#atr_nothex"),
      ),
    );
    await deliver([junk]);
    expect((await env.DIRECTORY.getByName("directory").routingStatus()).unmatched).toBe(after.unmatched + 1);
  });
});
