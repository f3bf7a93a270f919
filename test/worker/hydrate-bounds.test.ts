// /web/hydrate is open to anyone: one call must not fan out to more upstream
// servers than its budget, and one client must not make many calls.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Hydrator } from "../../src/web/server/hydrate.ts";
import { LOOKUPS_PER_CALL } from "../../src/web/server/hydrate-limits.ts";
import { LookupBudget, NOT_LOOKED_UP } from "../../src/web/server/lookup-budget.ts";
import type { ContentSource, Lookup, PostRecord } from "../../src/web/server/sources/source.ts";

const author = (i: number) => `did:plc:author${String(i).padStart(4, "0")}`;
const postOf = (i: number) => `at://${author(i)}/app.bsky.feed.post/3lpost${i}`;

/** A source that answers everything and counts what it is asked. */
function countingSource() {
  const asked = { posts: [] as string[], handles: [] as string[] };
  const source: ContentSource = {
    posts: (uris) =>
      new Map(
        uris.map((uri) => {
          asked.posts.push(uri);
          return [uri, Promise.resolve<Lookup<PostRecord>>({ found: { uri, cid: "cid", text: "text" } })];
        }),
      ),
    handles: (dids) =>
      new Map(
        dids.map((did) => {
          asked.handles.push(did);
          return [did, Promise.resolve<Lookup<string>>({ found: `${did.slice(8)}.test` })];
        }),
      ),
  };
  return { source, asked };
}

describe("a lookup budget", () => {
  it("bounds the lookups of one call, posts and their authors together; cached answers are free", async () => {
    const { source, asked } = countingSource();
    const hydrator = new Hydrator(source);
    const uris = Array.from({ length: 12 }, (_, i) => postOf(i));
    const shown = await hydrator.posts(uris, new LookupBudget(5));
    expect(asked.posts.length + asked.handles.length).toBe(5);
    expect(shown.filter((p) => p.unavailable === NOT_LOOKED_UP)).toHaveLength(12 - asked.posts.length);
    // The next call finds the first answers in the cache and spends its budget on the rest.
    const before = asked.posts.length;
    const again = await hydrator.posts(uris, new LookupBudget(20));
    expect(asked.posts.slice(before)).toEqual(uris.filter((u) => !asked.posts.slice(0, before).includes(u)));
    expect(again.every((p) => p.text === "text")).toBe(true);
  });
});

describe("/web/hydrate", () => {
  const hydrate = (query: URLSearchParams, client: string) =>
    SELF.fetch(`https://feeds.test/web/hydrate?${query}`, { headers: { "cf-connecting-ip": client } });

  it(`starts at most ${LOOKUPS_PER_CALL} upstream lookups per call, whatever it names`, async () => {
    // Fifty posts by fifty DIDs no server knows: each lookup would be a DID resolution and a PDS read.
    const query = new URLSearchParams(Array.from({ length: 50 }, (_, i) => ["uri", postOf(1000 + i)]));
    const res = await hydrate(query, "198.51.100.1");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { posts: { uri: string; unavailable?: string }[] };
    expect(body.posts).toHaveLength(50);
    const skipped = body.posts.filter((p) => p.unavailable === NOT_LOOKED_UP);
    expect(skipped).toHaveLength(50 - LOOKUPS_PER_CALL);
  });

  it("lets each client make a few calls a minute, whichever isolate answers", async () => {
    const query = new URLSearchParams([["did", author(1)]]);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await hydrate(query, "198.51.100.2")).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses[10]).toBe(429);
    // Another client is not held back.
    expect((await hydrate(query, "198.51.100.3")).status).toBe(200);
  });
});
