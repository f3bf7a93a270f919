import { env } from "cloudflare:workers";
import { Secp256k1Keypair } from "@atproto/crypto";
import { createServiceJwt } from "@atproto/xrpc-server";
import { beforeAll, describe, expect, it } from "vitest";
import { checkPdsEndpoint, isPrivateHost } from "../../src/sync/address.ts";
import {
  type Account,
  createAccount,
  deleteRecord,
  publishDidWeb,
  serviceJwt,
  startPds,
  stopPds,
  writeRecord,
} from "./helpers/network.ts";
import { ADMIN, requestIndex, xrpc } from "./helpers/xrpc.ts";

function hashtag(): string {
  return `#atr_${Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

interface Community {
  uri: string;
  rkey: string;
  hashtag: string;
  feed: string;
}

async function createCommunity(owner: Account, moderators: string[] = []): Promise<Community> {
  const tag = hashtag();
  const config = await writeRecord(owner, "com.atrarium.community.config", {
    name: "Design Community",
    hashtag: tag,
    stage: "theme",
    moderators,
    createdAt: new Date().toISOString(),
  });
  expect((await requestIndex(config.uri)).body.status).toBe("indexed");
  return {
    uri: config.uri,
    rkey: config.rkey,
    hashtag: tag,
    feed: `at://${owner.did}/app.bsky.feed.generator/${config.rkey}`,
  };
}

async function join(account: Account, community: Community, role = "member") {
  const m = await writeRecord(account, "com.atrarium.community.membership", {
    community: community.uri,
    role,
    joinedAt: new Date().toISOString(),
  });
  expect((await requestIndex(m.uri)).body.status).toBe("indexed");
  return m;
}

async function post(account: Account, community: Community, text: string) {
  const p = await writeRecord(account, "app.bsky.feed.post", {
    text: `${text} ${community.hashtag}`,
    createdAt: new Date().toISOString(),
  });
  return p;
}

async function feedOf(community: Community, headers?: Record<string, string>) {
  const res = await xrpc<{ feed: { post: string }[] }>("app.bsky.feed.getFeedSkeleton", {
    params: { feed: community.feed },
    ...(headers ? { headers } : {}),
  });
  expect(res.status).toBe(200);
  return res.body.feed.map((f) => f.post);
}

describe("requestIndex and the queries, against a real PDS", () => {
  let pds: string;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let community: Community;

  beforeAll(async () => {
    pds = await startPds();
    [alice, bob, carol] = await Promise.all([
      createAccount(pds, "alice"),
      createAccount(pds, "bob"),
      createAccount(pds, "carol"),
    ]);
    community = await createCommunity(alice);
    await join(alice, community, "owner");
  });

  it("makes a freshly written config visible at once, with indexedAt", async () => {
    const res = await xrpc<{ name: string; hashtag: string; owner: string; indexedAt: string; feed: string }>(
      "com.atrarium.community.getCommunity",
      { params: { community: community.uri } },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Design Community",
      hashtag: community.hashtag,
      owner: alice.did,
      feed: community.feed,
    });
    expect(Date.now() - Date.parse(res.body.indexedAt)).toBeLessThan(60_000);
    const list = await xrpc<{ communities: { uri: string }[] }>("com.atrarium.community.listCommunities");
    expect(list.body.communities.map((c) => c.uri)).toContain(community.uri);
  });

  it("indexes a membership and a member's post, and leaves a non-member's post out", async () => {
    const membership = await join(bob, community);
    const members = await xrpc<{ members: { did: string; role: string }[] }>(
      "com.atrarium.community.getMembers",
      {
        params: { community: community.uri },
      },
    );
    expect(members.body.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ did: bob.did, role: "member" }),
        expect.objectContaining({ did: alice.did, role: "owner" }),
      ]),
    );
    const status = await xrpc<{ status: string; uri?: string }>("com.atrarium.community.getMembership", {
      params: { community: community.uri, actor: bob.did },
    });
    expect(status.body).toMatchObject({ status: "member", uri: membership.uri });
    expect(
      (
        await xrpc<{ status: string }>("com.atrarium.community.getMembership", {
          params: { community: community.uri, actor: carol.did },
        })
      ).body.status,
    ).toBe("none");

    const bobPost = await post(bob, community, "hello from bob");
    expect((await requestIndex(bobPost.uri)).body.status).toBe("indexed");
    const carolPost = await post(carol, community, "carol is not a member");
    const carolAnswer = await requestIndex(carolPost.uri);
    expect(carolAnswer.body.status).toBe("rejected");
    const feed = await feedOf(community);
    expect(feed).toContain(bobPost.uri);
    expect(feed).not.toContain(carolPost.uri);
  });

  it("removes a record deleted on the PDS on the next requestIndex", async () => {
    const p = await post(bob, community, "soon gone");
    await requestIndex(p.uri);
    expect(await feedOf(community)).toContain(p.uri);
    await deleteRecord(bob, p.uri);
    expect((await requestIndex(p.uri)).body.status).toBe("deleted");
    expect(await feedOf(community)).not.toContain(p.uri);
  });

  it("a membership claiming role moderator grants nothing", async () => {
    const mallory = await createAccount(pds, "mallory");
    await join(mallory, community, "moderator");
    const target = await post(bob, community, "mallory wants this gone");
    await requestIndex(target.uri);
    const action = await writeRecord(mallory, "com.atrarium.moderation.action", {
      community: community.uri,
      action: "hide_post",
      target: { $type: "com.atrarium.moderation.action#postTarget", uri: target.uri, cid: target.cid },
      createdAt: new Date().toISOString(),
    });
    const answer = await requestIndex(action.uri);
    expect(answer.body.status).toBe("rejected");
    expect(answer.body.reason).toMatch(/not a moderator/);
    expect(await feedOf(community)).toContain(target.uri);
    const members = await xrpc<{ members: { did: string; role: string }[] }>(
      "com.atrarium.community.getMembers",
      {
        params: { community: community.uri },
      },
    );
    expect(members.body.members.find((m) => m.did === mallory.did)?.role).toBe("member");
  });

  it("pages through listCommunities with a cursor, and refuses a malformed one", async () => {
    const second = await createCommunity(bob);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await xrpc<{ communities: { uri: string }[]; cursor?: string }>(
        "com.atrarium.community.listCommunities",
        { params: { limit: "1", ...(cursor ? { cursor } : {}) } },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.communities.map((c) => c.uri));
      cursor = res.body.cursor;
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([community.uri, second.uri]));
    const bad = await xrpc<{ error: string }>("com.atrarium.community.listCommunities", {
      params: { cursor: "nope" },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: "InvalidRequest" } });
  });

  it("refuses collections it does not index, and malformed URIs", async () => {
    const like = await requestIndex(`at://${bob.did}/app.bsky.feed.like/3kabc`);
    expect(like.status).toBe(400);
    expect(like.body.error).toBe("UnsupportedCollection");
    const handle = await requestIndex(`at://${bob.handle}/app.bsky.feed.post/3kabc`);
    expect(handle.status).toBe(400);
  });

  it("accepts real service-auth JWTs and refuses bad ones with the right error names", async () => {
    const lxm = "com.atrarium.moderation.getActions";
    const call = (token?: string) =>
      xrpc<{ error?: string; actions?: unknown[] }>(lxm, {
        params: { community: community.uri },
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
    const ok = await call(await serviceJwt(alice, lxm));
    expect(ok.status).toBe(200);
    expect(Array.isArray(ok.body.actions)).toBe(true);
    const withFragment = await call(await serviceJwt(alice, lxm, "did:web:feeds.test#bsky_fg"));
    expect(withFragment.status).toBe(200);
    const proxied = await call(await serviceJwt(alice, lxm, "did:web:feeds.test#atrarium"));
    expect(proxied.status).toBe(200);
    const otherService = await call(await serviceJwt(alice, lxm, "did:web:feeds.test#other"));
    expect(otherService).toMatchObject({ status: 401, body: { error: "BadJwtAudience" } });

    expect((await call()).body.error).toBe("AuthMissing");
    const forger = await Secp256k1Keypair.create();
    const forged = await createServiceJwt({
      iss: alice.did,
      aud: "did:web:feeds.test",
      lxm,
      keypair: forger,
    });
    expect(await call(forged)).toMatchObject({ status: 401, body: { error: "BadJwtSignature" } });
    const expired = await createServiceJwt({
      iss: alice.did,
      aud: "did:web:feeds.test",
      lxm,
      keypair: forger,
      iat: Math.floor(Date.now() / 1000) - 600,
      exp: Math.floor(Date.now() / 1000) - 300,
    });
    expect(await call(expired)).toMatchObject({ status: 401, body: { error: "JwtExpired" } });
    expect(await call(await serviceJwt(alice, lxm, "did:web:elsewhere.test"))).toMatchObject({
      status: 401,
      body: { error: "BadJwtAudience" },
    });
    expect(await call(await serviceJwt(alice, "com.atrarium.community.getMembers"))).toMatchObject({
      status: 401,
      body: { error: "BadJwtLexiconMethod" },
    });
  });

  it("takes a token that expired within the clock leeway, and no later one", async () => {
    const keypair = await Secp256k1Keypair.create();
    const iss = await publishDidWeb(keypair);
    // A method that requires service auth (getFeedSkeleton never fails on a token): a
    // token that passes meets 403, the issuer being no moderator; one that fails, 401.
    const lxm = "com.atrarium.moderation.getActions";
    const now = Math.floor(Date.now() / 1000);
    const token = (exp: number, signer = keypair) =>
      createServiceJwt({ iss, aud: "did:web:feeds.test", lxm, keypair: signer, iat: exp - 60, exp });
    const call = async (jwt: string) =>
      xrpc<{ error?: string }>(lxm, {
        params: { community: community.uri },
        headers: { authorization: `Bearer ${jwt}` },
      });
    expect((await call(await token(now + 60))).status).toBe(403);
    expect((await call(await token(now - 10))).status).toBe(403);
    expect(await call(await token(now - 120))).toMatchObject({ status: 401, body: { error: "JwtExpired" } });
    const forged = await token(now - 10, await Secp256k1Keypair.create());
    expect(await call(forged)).toMatchObject({ status: 401, body: { error: "BadJwtSignature" } });
  });

  it("getActions refuses a plain member and serves a moderator", async () => {
    const lxm = "com.atrarium.moderation.getActions";
    const asBob = await xrpc<{ error?: string }>(lxm, {
      params: { community: community.uri },
      headers: { authorization: `Bearer ${await serviceJwt(bob, lxm)}` },
    });
    expect(asBob.status).toBe(403);
    const asAlice = await xrpc<{ actions: { author: string; status: string }[] }>(lxm, {
      params: { community: community.uri },
      headers: { authorization: `Bearer ${await serviceJwt(alice, lxm)}` },
    });
    expect(asAlice.status).toBe(200);
    expect(asAlice.body.actions.some((a) => a.status === "rejected")).toBe(true);
  });

  it("serves a public getFeedSkeleton alike to a real service-auth JWT and a forged one", async () => {
    const lxm = "app.bsky.feed.getFeedSkeleton";
    const feed = await feedOf(community, { authorization: `Bearer ${await serviceJwt(carol, lxm)}` });
    expect(feed.length).toBeGreaterThan(0);
    const forged = await createServiceJwt({
      iss: carol.did,
      aud: "did:web:feeds.test",
      lxm,
      keypair: await Secp256k1Keypair.create(),
    });
    // A bad token never fails the request; a public feed does not read it.
    expect(await feedOf(community, { authorization: `Bearer ${forged}` })).toEqual(feed);
  });
});

describe("resync from the repos", () => {
  it("wiping a community's storage and resyncing gives back members, moderation and feed", async () => {
    const pds = await startPds();
    const [owner, mod, m1, m2] = (await Promise.all(
      ["own", "mod", "mem", "mem"].map((n) => createAccount(pds, n)),
    )) as [Account, Account, Account, Account];
    const community = await createCommunity(owner, [mod.did]);
    for (const a of [owner, mod, m1, m2]) await join(a, community);
    const posts = [];
    for (const a of [m1, m2, m1, owner]) {
      const p = await post(a, community, `post by ${a.handle}`);
      await requestIndex(p.uri);
      posts.push(p);
    }
    const hide = await writeRecord(mod, "com.atrarium.moderation.action", {
      community: community.uri,
      action: "hide_post",
      target: { $type: "com.atrarium.moderation.action#postTarget", uri: posts[0]?.uri, cid: posts[0]?.cid },
      createdAt: new Date().toISOString(),
    });
    expect((await requestIndex(hide.uri)).body.status).toBe("indexed");
    const block = await writeRecord(owner, "com.atrarium.moderation.action", {
      community: community.uri,
      action: "block_user",
      target: { $type: "com.atrarium.moderation.action#userTarget", did: m2.did },
      createdAt: new Date().toISOString(),
    });
    expect((await requestIndex(block.uri)).body.status).toBe("indexed");

    const snapshot = async () => {
      const feed = await feedOf(community);
      const members = await xrpc<{ members: { did: string; role: string }[] }>(
        "com.atrarium.community.getMembers",
        {
          params: { community: community.uri },
        },
      );
      const view = await xrpc<{ memberCount: number; postCount: number; hiddenCount: number }>(
        "com.atrarium.community.getCommunity",
        {
          params: { community: community.uri },
        },
      );
      return {
        feed,
        members: members.body.members.map((m) => `${m.did}:${m.role}`).sort(),
        counts: [view.body.memberCount, view.body.postCount, view.body.hiddenCount],
      };
    };
    const before = await snapshot();
    expect(before.feed).toEqual([posts[3]?.uri, posts[2]?.uri]);
    expect(before.members).toHaveLength(3);

    await env.COMMUNITY_FEED.getByName(community.uri).wipe();
    const wiped = await xrpc("com.atrarium.community.getCommunity", { params: { community: community.uri } });
    expect(wiped.status).toBe(400);

    const report = await xrpc<{ added: number; removed: number; unchanged: number; unreachable: number }>(
      "com.atrarium.admin.resyncCommunity",
      { body: { community: community.uri }, headers: { authorization: ADMIN } },
    );
    expect(report.status).toBe(200);
    // m2's post is read while m2 is blocked: a post needs good standing when it is seen as well
    // as when it says it was made, so it stays out (as it is now), counted unchanged.
    expect(report.body.added).toBeGreaterThanOrEqual(1 + 4 + 3 + 2);
    expect(report.body.unreachable).toBe(0);
    expect(await snapshot()).toEqual(before);

    // Drift: a record deleted on the PDS while the index missed it is removed by resync.
    await deleteRecord(m1, posts[2]?.uri as string);
    const again = await xrpc<{ removed: number }>("com.atrarium.admin.resyncCommunity", {
      body: { community: community.uri },
      headers: { authorization: ADMIN },
    });
    expect(again.body.removed).toBe(1);
    expect(await feedOf(community)).toEqual([posts[3]?.uri]);
  });

  it("requires admin auth", async () => {
    const res = await xrpc("com.atrarium.admin.resyncCommunity", {
      body: { community: "at://did:plc:x/com.atrarium.community.config/3k" },
    });
    expect(res.status).toBe(401);
  });
});

describe("when the author's PDS is down", () => {
  it("requestIndex names the host, nothing indexed changes, and reads serve the cached index with its age", async () => {
    const pds = await startPds();
    const owner = await createAccount(pds, "gone");
    const community = await createCommunity(owner);
    await join(owner, community);
    const p = await post(owner, community, "still here");
    await requestIndex(p.uri);
    await stopPds(pds);

    const answer = await requestIndex(p.uri);
    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe("PdsUnreachable");
    expect(answer.body.message).toContain(new URL(pds).host);

    const view = await xrpc<{ name: string; indexedAt: string }>("com.atrarium.community.getCommunity", {
      params: { community: community.uri },
    });
    expect(view.status).toBe(200);
    expect(view.body.name).toBe("Design Community");
    expect(Date.parse(view.body.indexedAt)).toBeLessThanOrEqual(Date.now());
    expect(await feedOf(community)).toEqual([p.uri]);
  });
});

describe("PDS address policy", () => {
  it("treats loopback, private and link-local hosts as private", () => {
    for (const host of [
      "localhost",
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "[::1]",
      "fd00::1",
      "fe80::1",
      "[::]",
      "[::ffff:7f00:1]",
      "[::ffff:127.0.0.1]",
      "[::7f00:1]",
      "[64:ff9b::a00:1]",
      "[2002:c0a8:101::]",
      "2130706433",
      "0177.0.0.1",
      "0x7f.1",
      "100.64.0.1",
      "pds.localhost",
      "printer.local",
      "intranet",
    ]) {
      expect(isPrivateHost(host), host).toBe(true);
    }
    for (const host of [
      "bsky.social",
      "8.8.8.8",
      "172.32.0.1",
      "pds.example.com",
      "[2606:4700::1111]",
      "[::ffff:808:808]",
    ]) {
      expect(isPrivateHost(host), host).toBe(false);
    }
  });

  it("refuses private or plain-http endpoints unless development allows them", () => {
    expect(checkPdsEndpoint("http://localhost:2583", false).ok).toBe(false);
    expect(checkPdsEndpoint("https://10.0.0.5", false).ok).toBe(false);
    expect(checkPdsEndpoint("http://pds.example.com", false).ok).toBe(false);
    expect(checkPdsEndpoint("https://pds.example.com", false).ok).toBe(true);
    expect(checkPdsEndpoint("http://localhost:2583", true).ok).toBe(true);
  });
});
