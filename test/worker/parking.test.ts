// The Directory's parking under a flood (issue 16, item 8): events that wait
// for a config are bounded per key (hashtag, community or DID) and per author,
// with real counts, so a flood of posts on made-up hashtags evicts the
// flooder's own rows and never a real community's, and a crowded hashtag loses
// its own oldest posts; whatever leaves before it is applied is counted and logged.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { JetstreamEvent } from "../../src/firehose/events.ts";
import { atUri, COLLECTIONS } from "../../src/records/address.ts";
import { did, rkey } from "./community-fixtures.ts";
import { commit, deliver } from "./helpers/firehose.ts";

const directory = () => env.DIRECTORY.getByName("directory");
let clock = (Date.now() - 5 * 60_000) * 1000;
const tick = () => (clock += 1000);

const hex = (n: number) => n.toString(16).padStart(8, "0");
const randomHashtag = () => `#atr_${hex(crypto.getRandomValues(new Uint32Array(1))[0] as number)}`;

function post(author: string, text: string): JetstreamEvent {
  return commit(
    { uri: atUri(author, COLLECTIONS.post, rkey()), cid: `bafy${rkey()}` },
    {
      text,
      createdAt: new Date().toISOString(),
    },
    { timeUs: tick() },
  );
}

/** A community whose members post before its config arrives: their posts wait for the claim. */
function realCommunity() {
  const owner = did("owner");
  const key = rkey();
  const uri = atUri(owner, COLLECTIONS.config, key);
  const hashtag = randomHashtag();
  const members = [0, 1, 2, 3].map((i) => did(`member${i}`));
  const joins = members.map((m) =>
    commit(
      { uri: atUri(m, COLLECTIONS.membership, rkey()), cid: `bafy${rkey()}` },
      { community: uri, role: "member", joinedAt: new Date(clock / 1000 - 60_000).toISOString() },
      { timeUs: tick() },
    ),
  );
  const posts = members.flatMap((m) => Array.from({ length: 10 }, (_, i) => post(m, `post ${i} ${hashtag}`)));
  const config = commit(
    { uri, cid: `bafy${rkey()}` },
    { name: "Real", hashtag, stage: "community", createdAt: new Date(clock / 1000 - 120_000).toISOString() },
    { timeUs: tick() },
  );
  const postUris = posts.map((p) =>
    p.kind === "commit" ? atUri(p.did, COLLECTIONS.post, p.commit.rkey) : "",
  );
  return { uri, hashtag, config, joins, posts, postUris };
}

async function feedOf(uri: string): Promise<string[]> {
  const posts: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.COMMUNITY_FEED.getByName(uri).getFeedSkeleton(100, cursor);
    if (!page.ok) throw new Error(`${page.error}: ${page.message}`);
    posts.push(...page.feed.map((f) => f.post));
    cursor = page.cursor;
  } while (cursor);
  return posts;
}

/** Delivers a flood in queue messages of 500 events. */
async function flood(events: JetstreamEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) await deliver(events.slice(i, i + 500));
}

/** Captures the Directory's warnings while `fn` runs. */
async function warnings(fn: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const warn = console.warn;
  console.warn = (line: string) => void lines.push(String(line));
  try {
    await fn();
  } finally {
    console.warn = warn;
  }
  return lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe("parking bound per key", () => {
  it("many authors over one hashtag's bound lose that hashtag's oldest posts, counted; another hashtag's survive", async () => {
    const other = realCommunity();
    await deliver(other.posts);
    // Six members, each under the per-author quota (200), together over the per-hashtag bound (1,000).
    const crowded = realCommunity();
    const authors = Array.from({ length: 6 }, (_, i) => did(`crowd${i}`));
    const joins = authors.map((m) =>
      commit(
        { uri: atUri(m, COLLECTIONS.membership, rkey()), cid: `bafy${rkey()}` },
        { community: crowded.uri, role: "member", joinedAt: new Date(clock / 1000 - 60_000).toISOString() },
        { timeUs: tick() },
      ),
    );
    const posts = Array.from({ length: 190 }, (_, i) =>
      authors.map((a) => post(a, `crowd ${i} ${crowded.hashtag}`)),
    ).flat();
    const postUris = posts.map((p) =>
      p.kind === "commit" ? atUri(p.did, COLLECTIONS.post, p.commit.rkey) : "",
    );
    const before = await directory().routingStatus();
    // Only the per-hashtag bound may evict here: the kind's total (10,000) stays out of reach.
    expect(before.parkedNow.posts + posts.length).toBeLessThan(10_000);
    const logged = await warnings(() => flood(posts));
    const after = await directory().routingStatus();
    const over = posts.length - 1_000;
    expect(after.evictedPosts - before.evictedPosts).toBe(over);
    const evictions = logged.filter((l) => l.event === "parked_evicted");
    expect(evictions.map((l) => [l.kind, l.bound])).toEqual(evictions.map(() => ["posts", "key"]));
    expect(evictions.reduce((n, l) => n + (l.count as number), 0)).toBe(over);
    // The configs arrive: the crowded hashtag's newest 1,000 posts were kept, the other's all.
    await deliver([crowded.config, ...joins, other.config, ...other.joins]);
    expect((await feedOf(crowded.uri)).sort()).toEqual(postUris.slice(over).sort());
    expect((await feedOf(other.uri)).sort()).toEqual([...other.postUris].sort());
  });
});

describe("parking under a flood of made-up hashtags", () => {
  it("one DID flooding random hashtags is held to its quota; a real community's parked posts survive", async () => {
    const real = realCommunity();
    await deliver(real.posts);
    const flooder = did("flooder");
    const before = await directory().routingStatus();
    // More than the whole posts bound (10,000), from one account, each on its own hashtag.
    const logged = await warnings(() =>
      flood(Array.from({ length: 10_500 }, () => post(flooder, `spam ${randomHashtag()}`))),
    );
    const after = await directory().routingStatus();
    await deliver([real.config, ...real.joins]);
    expect((await feedOf(real.uri)).sort()).toEqual([...real.postUris].sort());
    expect(after.evictedPosts - before.evictedPosts).toBe(10_500 - 200);
    expect(after.parkedNow.posts - before.parkedNow.posts).toBe(200);
    const evictions = logged.filter((l) => l.event === "parked_evicted");
    expect(evictions.reduce((n, l) => n + (l.count as number), 0)).toBe(10_500 - 200);
    expect(evictions.every((l) => l.kind === "posts" && (l.authors as string[]).includes(flooder))).toBe(
      true,
    );
  });

  it("many DIDs flooding fill the total bound, and lose their own oldest rows first", async () => {
    const real = realCommunity();
    await deliver(real.posts);
    const before = await directory().routingStatus();
    // 60 accounts under the per-author quota, together over the total.
    const flooders = Array.from({ length: 60 }, (_, i) => did(`sybil${i}`));
    const events = Array.from({ length: 180 }, () =>
      flooders.map((f) => post(f, `spam ${randomHashtag()}`)),
    ).flat();
    await flood(events);
    const after = await directory().routingStatus();
    await deliver([real.config, ...real.joins]);
    expect((await feedOf(real.uri)).sort()).toEqual([...real.postUris].sort());
    expect(after.parkedNow.posts).toBe(10_000);
    expect(after.evictedPosts - before.evictedPosts).toBe(before.parkedNow.posts + events.length - 10_000);
  });

  it("counts and logs parked posts and author events that expire before anyone takes them", async () => {
    const stranger = did("stranger");
    const orphanPost = post(stranger, `nobody holds ${randomHashtag()}`);
    const orphanDelete = commit({ uri: atUri(stranger, COLLECTIONS.post, rkey()) }, undefined, {
      timeUs: tick(),
    });
    await deliver([orphanPost, orphanDelete]);
    const before = await directory().routingStatus();
    // Eleven minutes pass for these two rows.
    await runInDurableObject(directory(), (_instance, state) => {
      for (const table of ["parked_posts", "parked_by_did"])
        state.storage.sql.exec(
          `UPDATE ${table} SET parked_at = parked_at - 660000 WHERE author = ?`,
          stranger,
        );
    });
    let after = before;
    const logged = await warnings(async () => {
      after = await directory().routingStatus();
    });
    expect(after.expiredPosts - before.expiredPosts).toBe(1);
    expect(after.expiredByDid - before.expiredByDid).toBe(1);
    expect(after.parkedNow.posts).toBe(before.parkedNow.posts - 1);
    expect(logged.filter((l) => l.event === "parked_expired").map((l) => [l.kind, l.count])).toEqual(
      expect.arrayContaining([
        ["posts", 1],
        ["byDid", 1],
      ]),
    );
  });
});

describe("deletes parked by author", () => {
  it("reach every community that comes to know the author, not only the first", async () => {
    const author = did("author");
    const communities = [0, 1].map(() => {
      const owner = did("owner");
      const uri = atUri(owner, COLLECTIONS.config, rkey());
      const hashtag = randomHashtag();
      const config = commit(
        { uri, cid: `bafy${rkey()}` },
        {
          name: "Two",
          hashtag,
          stage: "community",
          createdAt: new Date(clock / 1000 - 120_000).toISOString(),
        },
        { timeUs: tick() },
      );
      const joined = commit(
        { uri: atUri(author, COLLECTIONS.membership, rkey()), cid: `bafy${rkey()}` },
        { community: uri, role: "member", joinedAt: new Date(clock / 1000 - 60_000).toISOString() },
        { timeUs: tick() },
      );
      return { uri, hashtag, config, joined };
    });
    const [a, b] = communities as [(typeof communities)[0], (typeof communities)[0]];
    // The post carries both hashtags; its delete is processed before anything else.
    const written = post(author, `both ${a.hashtag} ${b.hashtag}`);
    if (written.kind !== "commit") throw new Error("a commit");
    const uri = atUri(author, COLLECTIONS.post, written.commit.rkey);
    await deliver([commit({ uri }, undefined, { timeUs: tick() })]);
    // A learns the author first and takes the parked delete; B learns it later.
    await deliver([a.config, a.joined]);
    await deliver([b.config, b.joined]);
    // The create arrives late (a retried message), for both communities at once.
    await deliver([written]);
    const control = post(author, `still here ${b.hashtag}`);
    await deliver([control]);
    const controlUri = control.kind === "commit" ? atUri(author, COLLECTIONS.post, control.commit.rkey) : "";
    expect(await feedOf(a.uri)).toEqual([]);
    expect(await feedOf(b.uri)).toEqual([controlUri]);
  });

  it("a delete sent to the author's community also reaches one that takes the parked post later", async () => {
    const author = did("author");
    const [a, b] = [0, 1].map(() => {
      const owner = did("owner");
      const uri = atUri(owner, COLLECTIONS.config, rkey());
      const hashtag = randomHashtag();
      const config = commit(
        { uri, cid: `bafy${rkey()}` },
        {
          name: "Two",
          hashtag,
          stage: "community",
          createdAt: new Date(clock / 1000 - 120_000).toISOString(),
        },
        { timeUs: tick() },
      );
      const joined = commit(
        { uri: atUri(author, COLLECTIONS.membership, rkey()), cid: `bafy${rkey()}` },
        { community: uri, role: "member", joinedAt: new Date(clock / 1000 - 60_000).toISOString() },
        { timeUs: tick() },
      );
      return { uri, hashtag, config, joined };
    }) as [
      { uri: string; hashtag: string; config: JetstreamEvent; joined: JetstreamEvent },
      { uri: string; hashtag: string; config: JetstreamEvent; joined: JetstreamEvent },
    ];
    await deliver([a.config, a.joined]);
    // B's config is not seen yet: the membership and the post wait for it.
    const written = post(author, `for b ${b.hashtag}`);
    if (written.kind !== "commit") throw new Error("a commit");
    await deliver([b.joined, written]);
    // The author is known (a member of A): the delete goes to A at once.
    await deliver([
      commit({ uri: atUri(author, COLLECTIONS.post, written.commit.rkey) }, undefined, { timeUs: tick() }),
    ]);
    await deliver([b.config]);
    const control = post(author, `still here ${b.hashtag}`);
    await deliver([control]);
    const controlUri = control.kind === "commit" ? atUri(author, COLLECTIONS.post, control.commit.rkey) : "";
    expect(await feedOf(b.uri)).toEqual([controlUri]);
  });
});
