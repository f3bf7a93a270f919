// Resync within a memory bound (issue 16, item 11): each repo is read a page
// at a time up to a cap, only records that point at the community are kept,
// and a repo cut at the cap is reported and loses nothing it did not list.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppContext } from "../../src/context.ts";
import { COLLECTIONS } from "../../src/records/address.ts";
import { resyncCommunity } from "../../src/sync/resync.ts";
import { configWith } from "./helpers/config.ts";
import { type Account, createAccount, startPds, writeRecord } from "./helpers/network.ts";
import { feedPosts, requestIndex } from "./helpers/xrpc.ts";

const ctx = new AppContext(configWith({}), env);
const hashtag = () =>
  `#atr_${(crypto.getRandomValues(new Uint32Array(1))[0] as number).toString(16).padStart(8, "0")}`;

/** `count` posts in as few commits as the PDS allows; returns their URIs, oldest first. */
async function manyPosts(account: Account, count: number, text: (i: number) => string): Promise<string[]> {
  const uris: string[] = [];
  for (let i = 0; i < count; i += 100) {
    const writes = Array.from({ length: Math.min(100, count - i) }, (_, j) => ({
      $type: "com.atproto.repo.applyWrites#create" as const,
      collection: COLLECTIONS.post,
      value: { $type: COLLECTIONS.post, text: text(i + j), createdAt: new Date().toISOString() },
    }));
    const res = await account.agent.com.atproto.repo.applyWrites({ repo: account.did, writes });
    for (const r of res.data.results ?? []) if ("uri" in r) uris.push(r.uri as string);
  }
  return uris;
}

describe("resync with a page cap per repo", () => {
  it("reads a prolific repo up to the cap, reports the cut, and removes nothing it did not list", async () => {
    const pds = await startPds();
    const [owner, member] = await Promise.all([createAccount(pds, "owner"), createAccount(pds, "member")]);
    const tag = hashtag();
    const config = await writeRecord(owner, COLLECTIONS.config, {
      name: "Prolific",
      hashtag: tag,
      stage: "community",
      createdAt: new Date().toISOString(),
    });
    expect((await requestIndex(config.uri)).body.status).toBe("indexed");
    const joined = await writeRecord(member, COLLECTIONS.membership, {
      community: config.uri,
      role: "member",
      joinedAt: new Date().toISOString(),
    });
    expect((await requestIndex(joined.uri)).body.status).toBe("indexed");
    // The oldest post carries the hashtag and is indexed; 250 untagged posts follow, then 5 tagged ones.
    const old = await writeRecord(member, COLLECTIONS.post, {
      text: `first ${tag}`,
      createdAt: new Date().toISOString(),
    });
    expect((await requestIndex(old.uri)).body.status).toBe("indexed");
    await manyPosts(member, 250, (i) => `chatter ${i}`);
    const recent = await manyPosts(member, 5, (i) => `recent ${i} ${tag}`);
    const feed = `at://${owner.did}/app.bsky.feed.generator/${config.rkey}`;
    const cap = 2;

    const cutShort = await resyncCommunity(ctx, config.uri, { maxPagesPerRepo: cap });
    expect(cutShort).toMatchObject({ reposCut: 1, cutDids: [member.did], unreachable: 0, removed: 0 });
    // The newest pages were read; the oldest post, beyond the cap, was not removed.
    expect((await feedPosts(feed)).sort()).toEqual([...recent, old.uri].sort());

    const whole = await resyncCommunity(ctx, config.uri);
    expect(whole?.reposCut).toBeUndefined();
    expect(whole).toMatchObject({ unreachable: 0, removed: 0 });
  });
});

describe("resync keeps only the community's records", () => {
  it("applies nothing of another community, nor posts without the hashtag, found in the same repos", async () => {
    const pds = await startPds();
    const [owner, member] = await Promise.all([createAccount(pds, "owner"), createAccount(pds, "member")]);
    const [tagA, tagB] = [hashtag(), hashtag()];
    const configOf = (name: string, tag: string) =>
      writeRecord(owner, COLLECTIONS.config, {
        name,
        hashtag: tag,
        stage: "community",
        createdAt: new Date().toISOString(),
      });
    const [a, b] = [await configOf("Resynced", tagA), await configOf("Neighbour", tagB)];
    for (const record of [a, b]) expect((await requestIndex(record.uri)).body.status).toBe("indexed");
    const joinedA = await writeRecord(member, COLLECTIONS.membership, {
      community: a.uri,
      role: "member",
      joinedAt: new Date().toISOString(),
    });
    expect((await requestIndex(joinedA.uri)).body.status).toBe("indexed");
    // In the member's repo, never indexed: two posts for A, and what belongs to B or to no community.
    await writeRecord(member, COLLECTIONS.membership, {
      community: b.uri,
      role: "member",
      joinedAt: new Date().toISOString(),
    });
    const forA = await manyPosts(member, 2, (i) => `for A ${i} ${tagA}`);
    await manyPosts(member, 2, (i) => `for B ${i} ${tagB}`);
    await manyPosts(member, 2, (i) => `chatter ${i}`);

    const report = await resyncCommunity(ctx, a.uri);
    // A's config and membership were indexed already; A's two posts are new; nothing else was applied.
    expect(report).toEqual({ community: a.uri, added: 2, removed: 0, unchanged: 2, unreachable: 0 });
    const feedOf = (config: { uri: string; rkey: string }) =>
      `at://${owner.did}/app.bsky.feed.generator/${config.rkey}`;
    expect((await feedPosts(feedOf(a))).sort()).toEqual([...forA].sort());
    expect(await feedPosts(feedOf(b))).toEqual([]);
    expect(await ctx.communityFeed(b.uri).getCommunityView()).toMatchObject({ memberCount: 0, postCount: 0 });
  });
});
