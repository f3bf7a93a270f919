// A membership or moderation action edited to name another community
// (issue 16, item 10): the edit reaches the community the record named before
// (routed by author, as post edits are), which drops what the record no
// longer says, so the live index agrees with a rebuild from the repos.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { JetstreamEvent } from "../../src/firehose/events.ts";
import { atUri, COLLECTIONS } from "../../src/records/address.ts";
import { CID, did, rkey } from "./community-fixtures.ts";
import { commit, deliver } from "./helpers/firehose.ts";
import { createAccount, putRecord, startPds, writeRecord } from "./helpers/network.ts";
import { requestIndex } from "./helpers/xrpc.ts";

let clock = (Date.now() - 10 * 60_000) * 1000;
const tick = () => (clock += 1000);
const iso = () => new Date(clock / 1000).toISOString();
const hashtag = () =>
  `#atr_${(crypto.getRandomValues(new Uint32Array(1))[0] as number).toString(16).padStart(8, "0")}`;

function newCommunity(moderators: string[] = []) {
  const owner = did("owner");
  const uri = atUri(owner, COLLECTIONS.config, rkey());
  const tag = hashtag();
  const config = commit(
    { uri, cid: `bafy${rkey()}` },
    { name: "Moves", hashtag: tag, stage: "community", moderators, createdAt: iso() },
    { timeUs: tick() },
  );
  return { owner, uri, hashtag: tag, config };
}

const membership = (
  author: string,
  key: string,
  community: string,
  operation: "create" | "update" = "create",
): JetstreamEvent =>
  commit(
    { uri: atUri(author, COLLECTIONS.membership, key), cid: `bafy${rkey()}` },
    { community, role: "member", joinedAt: iso() },
    { timeUs: tick(), operation },
  );

function post(author: string, text: string): { event: JetstreamEvent; uri: string } {
  const uri = atUri(author, COLLECTIONS.post, rkey());
  return {
    uri,
    event: commit({ uri, cid: `bafy${rkey()}` }, { text, createdAt: iso() }, { timeUs: tick() }),
  };
}

const feedOf = async (uri: string) => {
  const page = await env.COMMUNITY_FEED.getByName(uri).getFeedSkeleton(100);
  if (!page.ok) throw new Error(page.message);
  return page.feed.map((f) => f.post);
};
const membersOf = async (uri: string) => {
  const page = await env.COMMUNITY_FEED.getByName(uri).getMembers(100);
  return "members" in page ? page.members.map((m) => m.did).sort() : [];
};

describe("a record edited to name another community", () => {
  it("a membership moved from A to B: A drops the member and the posts, B gains them", async () => {
    const a = newCommunity();
    const b = newCommunity();
    const member = did("member");
    const key = rkey();
    const joinA = membership(member, key, a.uri);
    await deliver([a.config, b.config, joinA]);
    const p = post(member, `hello ${a.hashtag}`);
    await deliver([p.event]);
    expect(await feedOf(a.uri)).toEqual([p.uri]);
    expect(await membersOf(a.uri)).toEqual([member]);

    await deliver([membership(member, key, b.uri, "update")]);
    expect(await membersOf(a.uri)).toEqual([]);
    expect(await feedOf(a.uri)).toEqual([]);
    expect(await membersOf(b.uri)).toEqual([member]);
    // The Directory no longer routes the member's deletes to A.
    expect((await env.DIRECTORY.getByName("directory").rolesOf([member]))[member]?.member).toEqual([b.uri]);
  });

  it("a hide moved from A to B: the post is shown in A again", async () => {
    const moderator = did("moderator");
    const a = newCommunity([moderator]);
    const b = newCommunity([moderator]);
    const member = did("member");
    const joinA = membership(member, rkey(), a.uri);
    const p = post(member, `hide me ${a.hashtag}`);
    await deliver([a.config, b.config, joinA, p.event]);
    const actionUri = atUri(moderator, COLLECTIONS.action, rkey());
    const hide = (community: string, operation: "create" | "update") =>
      commit(
        { uri: actionUri, cid: `bafy${rkey()}` },
        {
          community,
          action: "hide_post",
          target: { $type: `${COLLECTIONS.action}#postTarget`, uri: p.uri, cid: CID },
          createdAt: iso(),
        },
        { timeUs: tick(), operation },
      );
    await deliver([hide(a.uri, "create")]);
    expect(await feedOf(a.uri)).toEqual([]);

    await deliver([hide(b.uri, "update")]);
    expect(await feedOf(a.uri)).toEqual([p.uri]);
    expect((await env.COMMUNITY_FEED.getByName(a.uri).moderationState()).hiddenPosts).toEqual([]);
    const log = await env.COMMUNITY_FEED.getByName(b.uri).getActions(10);
    expect("actions" in log ? log.actions.map((x) => x.uri) : []).toEqual([actionUri]);
  });

  it("requestIndex of a moved membership moves it too", async () => {
    const pds = await startPds();
    const [owner, member] = await Promise.all([createAccount(pds, "owner"), createAccount(pds, "member")]);
    const configs = await Promise.all(
      [0, 1].map(() =>
        writeRecord(owner, COLLECTIONS.config, {
          name: "Moves",
          hashtag: hashtag(),
          stage: "community",
          createdAt: new Date().toISOString(),
        }),
      ),
    );
    const [a, b] = configs.map((c) => c.uri) as [string, string];
    for (const c of configs) expect((await requestIndex(c.uri)).body.status).toBe("indexed");
    const joined = await writeRecord(member, COLLECTIONS.membership, {
      community: a,
      role: "member",
      joinedAt: new Date().toISOString(),
    });
    expect((await requestIndex(joined.uri)).body.status).toBe("indexed");
    expect(await membersOf(a)).toEqual([member.did]);

    await putRecord(member, joined.uri, { community: b, role: "member", joinedAt: new Date().toISOString() });
    expect((await requestIndex(joined.uri)).body.status).toBe("indexed");
    expect(await membersOf(a)).toEqual([]);
    expect(await membersOf(b)).toEqual([member.did]);
  });
});
