// A claim ends when the holder's current config no longer carries the
// hashtag, changed or deleted (design.md, "Who may do what"; issue 16, item
// 14): the hashtag is free again, the community refused it meanwhile holds
// it now, and posts already indexed stay where they are.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { at, community, config, did, membership, post, postUri } from "./community-fixtures.ts";

const directory = () => env.DIRECTORY.getByName("directory");
const otherHashtag = (tag: string) => `#atr_${tag.slice(5).split("").reverse().join("")}`;

/** A holder with a member's post, and a second community refused the same hashtag. */
async function heldAndRefused() {
  const holder = community();
  const waiting = community({ hashtag: holder.hashtag });
  const alice = did("alice");
  const bob = did("bob");
  await holder.apply(config(holder, { time: at(1) }), membership(holder, alice, { time: at(2) }));
  await holder.apply(post(holder, alice, { rkey: "held", time: at(3) }));
  await waiting.apply(config(waiting, { time: at(4) }), membership(waiting, bob, { time: at(5) }));
  expect(await waiting.stub.status()).toBe("refused");
  return { holder, waiting, alice, bob };
}

describe("a hashtag's claim ends when its holder lets it go", () => {
  it("changed: the community refused it holds it now; the holder's posts stay; naming it again does not take it back", async () => {
    const { holder, waiting, alice, bob } = await heldAndRefused();
    const moved = otherHashtag(holder.hashtag);
    await holder.apply(config(holder, { time: at(10), operation: "update", hashtag: moved }));

    expect(await waiting.stub.status()).toBe("active");
    expect(await directory().resolveHashtags([holder.hashtag, moved])).toEqual({
      [holder.hashtag]: waiting.uri,
      [moved]: holder.uri,
    });
    // Nothing was handed over: the old holder keeps what it indexed.
    expect((await holder.stub.indexedRecordsOf(alice)).posts).toEqual([postUri(alice, "held")]);
    await waiting.apply(post(waiting, bob, { rkey: "new", time: at(11) }));
    expect(await waiting.posts()).toEqual([postUri(bob, "new")]);

    // The old holder names the hashtag again: its claim starts now, after the waiting one's.
    const [back] = await holder.apply(config(holder, { time: at(12), operation: "update" }));
    expect(back?.status).toBe("rejected");
    expect(back?.reason).toMatch(/belongs to/);
    expect(await waiting.stub.status()).toBe("active");
    expect(await directory().resolveHashtags([holder.hashtag])).toEqual({ [holder.hashtag]: waiting.uri });
  });

  it("deleted: the community refused it holds it now", async () => {
    const { holder, waiting, bob } = await heldAndRefused();
    await holder.apply(config(holder, { time: at(10), operation: "delete" }));

    expect(await holder.stub.status()).not.toBe("active");
    expect(await waiting.stub.status()).toBe("active");
    expect(await directory().resolveHashtags([holder.hashtag])).toEqual({ [holder.hashtag]: waiting.uri });
    await waiting.apply(post(waiting, bob, { rkey: "after", time: at(11) }));
    expect(await waiting.posts()).toEqual([postUri(bob, "after")]);
  });

  it("with nobody waiting, the hashtag is free for the next config that names it", async () => {
    const holder = community();
    await holder.apply(config(holder, { time: at(1) }));
    await holder.apply(
      config(holder, { time: at(2), operation: "update", hashtag: otherHashtag(holder.hashtag) }),
    );
    expect(await directory().resolveHashtags([holder.hashtag])).toEqual({});
    const next = community({ hashtag: holder.hashtag });
    const [claimed] = await next.apply(config(next, { time: at(3) }));
    expect(claimed?.status).toBe("applied");
    expect(await next.stub.status()).toBe("active");
  });
});
