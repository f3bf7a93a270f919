// The Hydrator's promises to a page: cached answers, the last good copy (with
// its age) when a server fails, a deadline no slow server can stretch.
import { describe, expect, it } from "vitest";
import type { AuthorSource } from "../../src/web/server/authors.ts";
import { Hydrator } from "../../src/web/server/hydrate.ts";
import type { ContentSource, Lookup, PostRecord } from "../../src/web/server/sources/source.ts";

const ALICE = "did:plc:alice";
const uri = (rkey: string) => `at://${ALICE}/app.bsky.feed.post/${rkey}`;
const record = (rkey: string, text: string): PostRecord => ({ uri: uri(rkey), cid: `cid-${rkey}`, text });

/** A source whose answers the test sets, counting what it is asked. */
function scriptedSource() {
  const posts = new Map<string, () => Promise<Lookup<PostRecord>>>();
  const asked: string[] = [];
  const source: ContentSource = {
    posts: (uris) =>
      new Map(
        uris.map((u) => {
          asked.push(u);
          return [u, posts.get(u)?.() ?? Promise.resolve({ missing: "unknown" })];
        }),
      ),
    handles: (dids) => new Map(dids.map((d) => [d, Promise.resolve({ found: "alice.test" })])),
  };
  return { source, posts, asked };
}

describe("Hydrator", () => {
  it("shows posts with handles, in the feed's order, and answers again from its cache", async () => {
    const { source, posts, asked } = scriptedSource();
    posts.set(uri("a"), async () => ({ found: record("a", "first") }));
    posts.set(uri("b"), async () => ({ found: record("b", "second") }));
    const hydrator = new Hydrator(source);
    const shown = await hydrator.posts([uri("b"), uri("a")]);
    expect(shown.map((p) => [p.text, p.author.handle, p.cid])).toEqual([
      ["second", "alice.test", "cid-b"],
      ["first", "alice.test", "cid-a"],
    ]);
    await hydrator.posts([uri("a")]);
    expect(asked).toEqual([uri("b"), uri("a")]);
  });

  it("keeps the last good copy, with its age, while the server fails", async () => {
    const { source, posts } = scriptedSource();
    let now = 1_000_000;
    const hydrator = new Hydrator(source, { now: () => now });
    posts.set(uri("a"), async () => ({ found: record("a", "kept") }));
    await hydrator.posts([uri("a")]);
    posts.set(uri("a"), async () => ({ failed: "pds.test could not be reached" }));
    now += 11 * 60_000; // past the post's lifetime in the cache
    const [stale] = await hydrator.posts([uri("a")]);
    expect(stale).toMatchObject({ text: "kept", staleSince: new Date(1_000_000).toISOString() });
    expect(stale?.unavailable).toBeUndefined();
    // The failed server is left alone for a while; the copy is still marked stale.
    const [again] = await hydrator.posts([uri("a")]);
    expect(again?.staleSince).toBe(new Date(1_000_000).toISOString());
  });

  it("says why a post without a good copy is not shown", async () => {
    const { source, posts } = scriptedSource();
    posts.set(uri("gone"), async () => ({ missing: "deleted by its author" }));
    posts.set(uri("down"), async () => ({ failed: "pds.test answered 502" }));
    const shown = await new Hydrator(source).posts([uri("gone"), uri("down")]);
    expect(shown.map((p) => p.unavailable)).toEqual(["deleted by its author", "pds.test answered 502"]);
    expect(shown.every((p) => p.text === undefined && p.author.did === ALICE)).toBe(true);
  });

  it("does not wait past its deadline, and a late answer serves the next page", async () => {
    const { source, posts } = scriptedSource();
    let arrive: (value: Lookup<PostRecord>) => void = () => {};
    posts.set(uri("slow"), () => new Promise((resolve) => (arrive = resolve)));
    const hydrator = new Hydrator(source, { deadlineMs: 50 });
    const [late] = await hydrator.posts([uri("slow")]);
    expect(late?.unavailable).toMatch(/too long/);
    arrive({ found: record("slow", "finally") });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const [next] = await hydrator.posts([uri("slow")]);
    expect(next?.text).toBe("finally");
  });

  it("asks for the authors along with the posts when they are read apart, not after", async () => {
    const asked: string[] = [];
    let answer: (value: Lookup<PostRecord>) => void = () => {};
    const source: ContentSource = {
      posts: (uris) => new Map(uris.map((u) => [u, new Promise((resolve) => (answer = resolve))])),
      handles: (dids) => {
        asked.push(...dids.map((d) => `handle ${d}`));
        return new Map(dids.map((d) => [d, Promise.resolve({ found: "alice.test" })]));
      },
    };
    const authors: AuthorSource = {
      authors: (dids) => {
        asked.push(...dids.map((d) => `profile ${d}`));
        return new Map(
          dids.map((d) => [d, Promise.resolve({ found: { pds: "https://pds.test", displayName: "Alice" } })]),
        );
      },
    };
    const shown = new Hydrator(source, { authors }).posts([uri("a")]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The post has not answered yet; its author is already being read.
    expect(asked).toEqual([`handle ${ALICE}`, `profile ${ALICE}`]);
    answer({ found: record("a", "hello") });
    const [post] = await shown;
    expect(post?.author).toEqual({ did: ALICE, handle: "alice.test", displayName: "Alice" });
    expect(asked).toHaveLength(2);
  });
});
