// The five ways a hostile account could bend the index (issue: "a community
// index you can trust"), each written as the attack, against a real PDS,
// through the entry points the firehose (the queue consumer) and
// requestIndex (the XRPC route) use. Each must fail.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { commit, deliver } from "./helpers/firehose.ts";
import {
  type Account,
  createAccount,
  deleteRecord,
  putRecord,
  startPds,
  writeRecord,
} from "./helpers/network.ts";
import { ADMIN, feedPosts, requestIndex, xrpc } from "./helpers/xrpc.ts";

const CONFIG = "com.atrarium.community.config";
const MEMBERSHIP = "com.atrarium.community.membership";
const ACTION = "com.atrarium.moderation.action";
const POST = "app.bsky.feed.post";

const now = () => new Date().toISOString();
const hashtag = () =>
  `#atr_${Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("")}`;

interface Community {
  uri: string;
  feed: string;
  hashtag: string;
  config: Record<string, unknown>;
}

let pds: string;
beforeAll(async () => {
  pds = await startPds();
});

const accounts = (...names: string[]) => Promise.all(names.map((n) => createAccount(pds, n)));

/** Writes a config to the owner's repo and delivers it through the firehose. */
async function community(owner: Account, extra: Record<string, unknown> = {}): Promise<Community> {
  const config = { name: "Trusted", hashtag: hashtag(), stage: "community", createdAt: now(), ...extra };
  const written = await writeRecord(owner, CONFIG, config);
  await deliver([commit(written, config)]);
  return {
    uri: written.uri,
    feed: `at://${owner.did}/app.bsky.feed.generator/${written.rkey}`,
    hashtag: config.hashtag as string,
    config,
  };
}

/** A record written to its author's repo and seen on the firehose right away. */
async function firehoseWrite(account: Account, collection: string, record: Record<string, unknown>) {
  const written = await writeRecord(account, collection, record);
  await deliver([commit(written, record)]);
  return written;
}

const join = (account: Account, c: Community) =>
  firehoseWrite(account, MEMBERSHIP, { community: c.uri, role: "member", joinedAt: now() });
const post = (account: Account, c: Community, text: string) =>
  firehoseWrite(account, POST, { text: `${text} ${c.hashtag}`, createdAt: now() });
const postTarget = (p: { uri: string; cid: string }) => ({
  $type: `${ACTION}#postTarget`,
  uri: p.uri,
  cid: p.cid,
});
const userTarget = (did: string) => ({ $type: `${ACTION}#userTarget`, did });
const moderate = (by: Account, c: Community, action: string, target: object, createdAt = now()) =>
  firehoseWrite(by, ACTION, { community: c.uri, action, target, createdAt });

async function updateConfig(owner: Account, c: Community, change: Record<string, unknown>) {
  c.config = { ...c.config, ...change, updatedAt: now() };
  const written = await putRecord(owner, c.uri, c.config);
  await deliver([commit(written, c.config, { operation: "update" })]);
}

describe("attack 1: a moderation action dated into the future", () => {
  it("cannot outrank later actions, and is withdrawn with its author's moderator rights", async () => {
    const [alice, mod, bob] = (await accounts("alice", "mod", "bob")) as [Account, Account, Account];
    const c = await community(alice, { moderators: [mod.did] });
    await join(bob, c);
    const p1 = await post(bob, c, "first");
    const p2 = await post(bob, c, "second");

    // Through requestIndex: a hide dated 2099 (read now, so it takes effect now).
    const forged = await writeRecord(mod, ACTION, {
      community: c.uri,
      action: "hide_post",
      target: postTarget(p1),
      createdAt: "2099-01-01T00:00:00.000Z",
    });
    expect((await requestIndex(forged.uri)).body.status).toBe("indexed");
    expect(await feedPosts(c.feed)).toEqual([p2.uri]);
    // The owner's later unhide wins: 2099 was clamped to the moment the hide was seen.
    await new Promise((r) => setTimeout(r, 5));
    await moderate(alice, c, "unhide_post", postTarget(p1));
    expect(await feedPosts(c.feed)).toEqual([p2.uri, p1.uri]);

    // Through the firehose: another 2099 hide, then the owner removes the moderator.
    await moderate(mod, c, "hide_post", postTarget(p2), "2099-06-01T00:00:00.000Z");
    expect(await feedPosts(c.feed)).toEqual([p1.uri]);
    await updateConfig(alice, c, { moderators: [] });
    expect(await feedPosts(c.feed)).toEqual([p2.uri, p1.uri]);
    const view = await xrpc<{ rejectedActions: number; moderators: string[] }>(
      "com.atrarium.community.getCommunity",
      {
        params: { community: c.uri },
      },
    );
    expect(view.body).toMatchObject({ rejectedActions: 2, moderators: [alice.did] });
    // Adding them back restores their (last) hide: every action was kept.
    await updateConfig(alice, c, { moderators: [mod.did] });
    expect(await feedPosts(c.feed)).toEqual([p1.uri]);
  });
});

describe("attack 2: copying a new community's hashtag and asking requestIndex first", () => {
  it("the config the firehose saw first takes the hashtag back, with the posts routed meanwhile", async () => {
    const [alice, bob, mallory] = (await accounts("alice", "bob", "mallory")) as [Account, Account, Account];
    // Alice creates her community; the relay sees it now, our queue delivers it later.
    const tag = hashtag();
    const realConfig = { name: "Real", hashtag: tag, stage: "community", createdAt: now() };
    const real = await writeRecord(alice, CONFIG, realConfig);
    const seenByRelay = commit(real, realConfig);
    const realFeed = `at://${alice.did}/app.bsky.feed.generator/${real.rkey}`;

    // Mallory copies the hashtag, back-dates her config, and indexes it at once.
    const copy = await writeRecord(mallory, CONFIG, {
      name: "Squat",
      hashtag: tag,
      stage: "community",
      createdAt: "2020-01-01T00:00:00.000Z",
    });
    expect((await requestIndex(copy.uri)).body.status).toBe("indexed");
    const copyFeed = `at://${mallory.did}/app.bsky.feed.generator/${copy.rkey}`;
    expect(await feedPosts(copyFeed)).toEqual([]);

    // Meanwhile Bob joins Alice's community and posts; his post reaches the squatter first.
    const joined = { community: real.uri, role: "member", joinedAt: now() };
    const membership = await writeRecord(bob, MEMBERSHIP, joined);
    const hello = { text: `hello ${tag}`, createdAt: now() };
    const early = await writeRecord(bob, POST, hello);
    await deliver([commit(early, hello)]);

    // The firehose delivers Alice's config, observed before Mallory's claim was read.
    await deliver([seenByRelay], [commit(membership, joined)]);
    expect(await feedPosts(realFeed)).toEqual([early.uri]);
    const lost = await xrpc<{ error: string; message: string }>("app.bsky.feed.getFeedSkeleton", {
      params: { feed: copyFeed },
    });
    expect(lost).toMatchObject({ status: 400, body: { error: "UnknownFeed" } });
    const why = await xrpc<{ error: string; message: string }>("com.atrarium.community.getCommunity", {
      params: { community: copy.uri },
    });
    expect(why).toMatchObject({ status: 400, body: { error: "HashtagTaken" } });
    expect(why.body.message).toContain(real.uri);
    const listed = await xrpc<{ communities: { uri: string }[] }>("com.atrarium.community.listCommunities", {
      params: { limit: "100" },
    });
    expect(listed.body.communities.map((x) => x.uri)).toContain(real.uri);
    expect(listed.body.communities.map((x) => x.uri)).not.toContain(copy.uri);
    // Asking again does not help the squatter; posts with the hashtag go to Alice from now on.
    expect((await requestIndex(copy.uri)).body).toMatchObject({ status: "rejected" });
    const later = await firehoseWrite(bob, POST, { text: `again ${tag}`, createdAt: now() });
    expect(await feedPosts(realFeed)).toEqual([later.uri, early.uri]);
  });
});

describe("attack 3: post while blocked, then get unblocked", () => {
  it("posts made while blocked never enter the feed, by block_user or by the blocklist", async () => {
    const [alice, bob, carol] = (await accounts("alice", "bob", "carol")) as [Account, Account, Account];
    const c = await community(alice);
    await join(bob, c);
    await join(carol, c);
    const before = await post(bob, c, "before the block");
    await moderate(alice, c, "block_user", userTarget(bob.did));
    const during = await post(bob, c, "while blocked");
    await moderate(alice, c, "unblock_user", userTarget(bob.did));
    const after = await post(bob, c, "after the block");
    expect(await feedPosts(c.feed)).toEqual([after.uri, before.uri]);
    expect((await requestIndex(during.uri)).body.status).toBe("rejected");
    expect(await feedPosts(c.feed)).not.toContain(during.uri);

    await updateConfig(alice, c, { blocklist: [carol.did] });
    const listed = await post(carol, c, "while on the blocklist");
    await updateConfig(alice, c, { blocklist: [] });
    const free = await post(carol, c, "off the blocklist");
    expect(await feedPosts(c.feed)).toEqual([free.uri, after.uri, before.uri]);
    expect(await feedPosts(c.feed)).not.toContain(listed.uri);
  });
});

describe("attack 4: leave, delete posts, rejoin", () => {
  it("a post deleted while its author was out stays deleted after they rejoin", async () => {
    const [alice, bob] = (await accounts("alice", "bob")) as [Account, Account];
    const c = await community(alice);
    const membership = await join(bob, c);
    const kept = await post(bob, c, "kept");
    const gone = await post(bob, c, "to be deleted while out");
    const alsoGone = await post(bob, c, "deleted while out, seen by requestIndex");
    await deleteRecord(bob, membership.uri);
    await deliver([commit(membership)]);
    expect(await feedPosts(c.feed)).toEqual([]);
    await deleteRecord(bob, gone.uri);
    await deliver([commit(gone)]);
    await deleteRecord(bob, alsoGone.uri);
    expect((await requestIndex(alsoGone.uri)).body.status).toBe("deleted");
    await join(bob, c);
    expect(await feedPosts(c.feed)).toEqual([kept.uri]);
  });
});

describe("attack 5: rebuilding from the repos", () => {
  it("resync gives the live index's members, moderation and feed", { timeout: 60_000 }, async () => {
    const [alice, mod, bob, carol, dave, eve] = (await accounts(
      "alice",
      "mod",
      "bob",
      "carol",
      "dave",
      "eve",
    )) as [Account, Account, Account, Account, Account, Account];
    const c = await community(alice, { moderators: [mod.did] });
    for (const member of [alice, bob, carol, dave]) await join(member, c);
    const posts = [];
    for (const [i, author] of [bob, carol, dave, bob, carol].entries())
      posts.push(await post(author, c, `post ${i}`));
    // Carol's hashtagged post lies under more than a page of listRecords (100), and her
    // newest record is a post back-dated past the feed window.
    const deep = await post(carol, c, "under a hundred others");
    for (let i = 0; i < 101; i++)
      await writeRecord(carol, POST, { text: `carol's own post ${i}`, createdAt: now() });
    await firehoseWrite(carol, POST, {
      text: `from long ago ${c.hashtag}`,
      createdAt: new Date(Date.now() - 9 * 24 * 3600 * 1000).toISOString(),
    });
    await moderate(mod, c, "hide_post", postTarget(posts[0] as { uri: string; cid: string }));
    await moderate(alice, c, "hide_post", postTarget(posts[1] as { uri: string; cid: string }));
    await moderate(eve, c, "hide_post", postTarget(posts[2] as { uri: string; cid: string }));
    await moderate(mod, c, "block_user", userTarget(dave.did));
    await moderate(mod, c, "unblock_user", userTarget(dave.did));
    await moderate(alice, c, "block_user", userTarget(bob.did));
    const removed = posts[4] as { uri: string };
    await deleteRecord(carol, removed.uri);
    await deliver([commit(removed)]);
    // The moderator is removed: the live index withdraws their hide, as a rebuild (which sees only this config) must.
    await updateConfig(alice, c, { moderators: [] });

    const snapshot = async () => {
      const members = await xrpc<{ members: unknown[] }>("com.atrarium.community.getMembers", {
        params: { community: c.uri, limit: "100" },
      });
      return {
        feed: await feedPosts(c.feed),
        members: members.body.members,
        moderation: await env.COMMUNITY_FEED.getByName(c.uri).moderationState(),
      };
    };
    const live = await snapshot();
    // Bob is blocked now, carol's post 1 hidden by the owner, post 4 deleted; dave was unblocked.
    expect(live.feed).toEqual([deep.uri, (posts[2] as { uri: string }).uri]);
    expect(live.moderation).toEqual({
      hiddenPosts: [(posts[1] as { uri: string }).uri],
      blockedDids: [bob.did],
    });

    await env.COMMUNITY_FEED.getByName(c.uri).wipe();
    const report = await xrpc<{ unreachable: number }>("com.atrarium.admin.resyncCommunity", {
      body: { community: c.uri },
      headers: { authorization: ADMIN },
    });
    expect(report).toMatchObject({ status: 200, body: { unreachable: 0 } });
    expect(await snapshot()).toEqual(live);
  });
});

describe("attack 6: back-dating a post into a time of good standing", () => {
  it("a post written while blocked and dated to before the block stays out, also after the unblock", async () => {
    const [alice, bob] = (await accounts("alice", "bob")) as [Account, Account];
    const c = await community(alice);
    await join(bob, c);
    const honest = await post(bob, c, "before the block");
    const beforeTheBlock = now();
    await new Promise((r) => setTimeout(r, 5)); // the Worker's clock moves on I/O only
    await moderate(alice, c, "block_user", userTarget(bob.did));
    // Through the firehose, and again through requestIndex: dated to before the block.
    const backdated = await firehoseWrite(bob, POST, {
      text: `written while blocked ${c.hashtag}`,
      createdAt: beforeTheBlock,
    });
    expect((await requestIndex(backdated.uri)).body.status).toBe("rejected");
    const viaRequestIndex = await writeRecord(bob, POST, {
      text: `also written while blocked ${c.hashtag}`,
      createdAt: beforeTheBlock,
    });
    expect((await requestIndex(viaRequestIndex.uri)).body.status).toBe("rejected");
    await moderate(alice, c, "unblock_user", userTarget(bob.did));
    expect(await feedPosts(c.feed)).toEqual([honest.uri]);
  });

  it("a post written while away and dated to before leaving stays out, also after rejoining", async () => {
    const [alice, carol] = (await accounts("alice", "carol")) as [Account, Account];
    const c = await community(alice);
    const membership = await join(carol, c);
    const kept = await post(carol, c, "while a member");
    const whileAMember = now();
    await deleteRecord(carol, membership.uri);
    await deliver([commit(membership)]);
    const backdated = await firehoseWrite(carol, POST, {
      text: `written while away ${c.hashtag}`,
      createdAt: whileAMember,
    });
    expect((await requestIndex(backdated.uri)).body.status).toBe("rejected");
    await join(carol, c);
    expect(await feedPosts(c.feed)).toEqual([kept.uri]);
  });
});
