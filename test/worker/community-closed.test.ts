// A closed community through the Worker's XRPC routes, against a real PDS and
// PLC: records written to people's repos and indexed with requestIndex, and
// service-auth tokens minted as in production (by the viewer's PDS, or signed
// with a key a did:plc names). getCommunity's policies, rules and pins;
// getJoinRequests for moderators only; getMembership pending and invited;
// getFeedSkeleton of a members-only feed: the whole feed for a visible
// member, the pinned posts alone (status 200, no cursor) for anyone else.
import { env } from "cloudflare:workers";
import { Secp256k1Keypair } from "@atproto/crypto";
import { createServiceJwt } from "@atproto/xrpc-server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type Account,
  createAccount,
  registerDidPlc,
  serviceJwt,
  startPds,
  writeRecord,
} from "./helpers/network.ts";
import { requestIndex, xrpc } from "./helpers/xrpc.ts";

const CONFIG = "com.atrarium.community.config";
const MEMBERSHIP = "com.atrarium.community.membership";
const ACTION = "com.atrarium.moderation.action";
const POST = "app.bsky.feed.post";
const FEED_LXM = "app.bsky.feed.getFeedSkeleton";
const JOIN_REQUESTS = "com.atrarium.community.getJoinRequests";
const SERVICE = "did:web:feeds.test";
const PIN = { $type: "app.bsky.feed.defs#skeletonReasonPin" };

const now = () => new Date().toISOString();
const hashtag = () =>
  `#atr_${Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("")}`;

interface Community {
  uri: string;
  feed: string;
  hashtag: string;
}

/** Writes a record to its author's repo and indexes it at once; says what the index did. */
async function indexed(account: Account, collection: string, record: Record<string, unknown>) {
  const written = await writeRecord(account, collection, record);
  return { ...written, status: (await requestIndex(written.uri)).body.status };
}

async function createCommunity(owner: Account, extra: Record<string, unknown>): Promise<Community> {
  const tag = hashtag();
  const config = await indexed(owner, CONFIG, {
    name: "Closed",
    hashtag: tag,
    stage: "community",
    createdAt: now(),
    ...extra,
  });
  expect(config.status).toBe("indexed");
  return { uri: config.uri, feed: `at://${owner.did}/app.bsky.feed.generator/${config.rkey}`, hashtag: tag };
}

const join = (account: Account, c: Community) =>
  indexed(account, MEMBERSHIP, { community: c.uri, role: "member", joinedAt: now() });
const post = (account: Account, c: Community, text: string) =>
  indexed(account, POST, { text: `${text} ${c.hashtag}`, createdAt: now() });
const moderate = (by: Account, c: Community, action: string, target: object) =>
  indexed(by, ACTION, { community: c.uri, action, target, createdAt: now() });
const userTarget = (did: string) => ({ $type: `${ACTION}#userTarget`, did });
const postTarget = (p: { uri: string; cid: string }) => ({
  $type: `${ACTION}#postTarget`,
  uri: p.uri,
  cid: p.cid,
});

type Skeleton = { feed: { post: string; reason?: unknown }[]; cursor?: string; error?: string };

async function skeleton(c: Community, authorization?: string, params: Record<string, string> = {}) {
  return xrpc<Skeleton>("app.bsky.feed.getFeedSkeleton", {
    params: { feed: c.feed, ...params },
    ...(authorization ? { headers: { authorization } } : {}),
  });
}

const bearer = (token: string) => `Bearer ${token}`;

let pds: string;
let alice: Account; // owner
let mod: Account;
let bob: Account; // approved member
let carol: Account; // not a member
let dave: Account; // waits for approval
let erin: Account; // blocked member
let closed: Community;
let pinned: { uri: string; cid: string };
let posts: string[];

beforeAll(async () => {
  pds = await startPds();
  [alice, mod, bob, carol, dave, erin] = (await Promise.all(
    ["alice", "mod", "bob", "carol", "dave", "erin"].map((n) => createAccount(pds, n)),
  )) as [Account, Account, Account, Account, Account, Account];
  closed = await createCommunity(alice, {
    moderators: [mod.did],
    joinPolicy: "approval",
    feedVisibility: "members",
    rules: ["Be kind.", "Stay on topic."],
  });
  for (const who of [alice, mod, bob, dave, erin]) expect((await join(who, closed)).status).toBe("indexed");
  for (const who of [bob, erin]) await moderate(mod, closed, "approve_member", userTarget(who.did));
  const first = await post(bob, closed, "the announcement");
  pinned = first;
  posts = [first.uri];
  for (const [i, who] of [alice, bob, dave, mod].entries())
    posts.unshift((await post(who, closed, `post ${i}`)).uri);
  await moderate(alice, closed, "pin_post", postTarget(pinned));
  await moderate(alice, closed, "block_user", userTarget(erin.did));
}, 60_000);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("getCommunity of a closed community", () => {
  it("says its join policy, feed visibility, rules and pinned posts", async () => {
    const view = await xrpc<Record<string, unknown>>("com.atrarium.community.getCommunity", {
      params: { community: closed.uri },
    });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      joinPolicy: "approval",
      feedVisibility: "members",
      rules: ["Be kind.", "Stay on topic."],
      pinnedPosts: [{ uri: pinned.uri, cid: pinned.cid, pinnedBy: alice.did }],
      // alice, mod and bob: dave waits, erin is blocked.
      memberCount: 3,
    });
  });

  it("says open and public for a community whose config does not say", async () => {
    const open = await createCommunity(alice, {});
    const view = await xrpc<Record<string, unknown>>("com.atrarium.community.getCommunity", {
      params: { community: open.uri },
    });
    expect(view.body).toMatchObject({ joinPolicy: "open", feedVisibility: "public", pinnedPosts: [] });
    expect(view.body.rules).toBeUndefined();
  });
});

describe("getMembership", () => {
  it("says pending while a member waits for approval, invited for an approval before joining", async () => {
    const status = async (actor: string) =>
      (
        await xrpc<{ status: string; uri?: string }>("com.atrarium.community.getMembership", {
          params: { community: closed.uri, actor },
        })
      ).body;
    expect(await status(dave.did)).toMatchObject({ status: "pending" });
    expect(await status(bob.did)).toMatchObject({ status: "member", role: "member" });
    expect(await status(erin.did)).toMatchObject({ status: "blocked" });
    const frank = await createAccount(pds, "frank");
    expect(await status(frank.did)).toEqual({ community: closed.uri, actor: frank.did, status: "none" });
    await moderate(mod, closed, "approve_member", userTarget(frank.did));
    expect(await status(frank.did)).toMatchObject({ status: "invited" });
    const membership = await join(frank, closed);
    expect(await status(frank.did)).toMatchObject({ status: "member", uri: membership.uri });
  });
});

describe("getJoinRequests", () => {
  const call = async (token?: string, params: Record<string, string> = {}) =>
    xrpc<{
      requests?: { did: string; joinedAt: string; membership: string; heldPosts: number }[];
      cursor?: string;
      error?: string;
    }>(JOIN_REQUESTS, {
      params: { community: closed.uri, ...params },
      ...(token ? { headers: { authorization: bearer(token) } } : {}),
    });

  it("lists the members waiting for approval, with their held posts, to moderators only", async () => {
    const asMod = await call(await serviceJwt(mod, JOIN_REQUESTS));
    expect(asMod.status).toBe(200);
    expect(asMod.body.requests).toEqual([
      expect.objectContaining({ did: dave.did, heldPosts: 1, membership: expect.stringContaining(dave.did) }),
    ]);
    const asOwner = await call(await serviceJwt(alice, JOIN_REQUESTS, `${SERVICE}#atrarium`));
    expect(asOwner.status).toBe(200);
    expect((await call(await serviceJwt(bob, JOIN_REQUESTS))).status).toBe(403);
    expect((await call()).status).toBe(401);
  });

  it("pages oldest first with a cursor, and refuses a malformed one", async () => {
    const c = await createCommunity(alice, { joinPolicy: "approval" });
    const waiting = await Promise.all(["g1", "g2", "g3"].map((n) => createAccount(pds, n)));
    for (const who of waiting) await join(who, c);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await xrpc<{ requests: { did: string }[]; cursor?: string }>(JOIN_REQUESTS, {
        params: { community: c.uri, limit: "2", ...(cursor ? { cursor } : {}) },
        headers: { authorization: bearer(await serviceJwt(alice, JOIN_REQUESTS)) },
      });
      expect(res.status).toBe(200);
      seen.push(...res.body.requests.map((r) => r.did));
      cursor = res.body.cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(waiting.map((w) => w.did));
    const bad = await xrpc<{ error: string }>(JOIN_REQUESTS, {
      params: { community: c.uri, cursor: "nope" },
      headers: { authorization: bearer(await serviceJwt(alice, JOIN_REQUESTS)) },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: "InvalidRequest" } });
  });
});

describe("a members-only feed", () => {
  const expectPinsOnly = (res: { status: number; body: Skeleton }) => {
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ feed: [{ post: pinned.uri, reason: PIN }] });
  };
  // The whole feed: the pin first, then the rest newest first (dave's is held, erin is blocked).
  const whole = () => [
    { post: pinned.uri, reason: PIN },
    ...posts.filter((p) => p !== pinned.uri && !p.includes(dave.did)).map((p) => ({ post: p })),
  ];

  it("gives anyone without a token the pinned posts alone, with no cursor", async () => {
    expectPinsOnly(await skeleton(closed));
    expectPinsOnly(await skeleton(closed, undefined, { limit: "1" }));
  });

  it("gives a visible member's token, minted by their PDS, the whole feed, pages and all", async () => {
    const res = await skeleton(closed, bearer(await serviceJwt(bob, FEED_LXM)));
    expect(res).toMatchObject({ status: 200, body: { feed: whole() } });
    const fg = await skeleton(closed, bearer(await serviceJwt(alice, FEED_LXM, `${SERVICE}#bsky_fg`)));
    expect(fg.body.feed).toEqual(whole());
    const token = bearer(await serviceJwt(mod, FEED_LXM));
    const first = await skeleton(closed, token, { limit: "2" });
    expect(first.body.feed).toEqual(whole().slice(0, 2));
    const second = await skeleton(closed, token, { limit: "2", cursor: first.body.cursor as string });
    expect(second.body.feed).toEqual(whole().slice(2, 4));
  });

  it("gives a non-member, a pending member and a blocked member the pinned posts alone", async () => {
    for (const who of [carol, dave, erin])
      expectPinsOnly(await skeleton(closed, bearer(await serviceJwt(who, FEED_LXM))));
  });

  it("gives a token for another service or another method the pinned posts alone", async () => {
    expectPinsOnly(await skeleton(closed, bearer(await serviceJwt(bob, FEED_LXM, "did:web:elsewhere.test"))));
    expectPinsOnly(await skeleton(closed, bearer(await serviceJwt(bob, FEED_LXM, `${SERVICE}#other`))));
    expectPinsOnly(await skeleton(closed, bearer(await serviceJwt(bob, JOIN_REQUESTS))));
  });

  it("gives an expired or forged token the pinned posts alone, where the same key's fresh token gets all", async () => {
    const keypair = await Secp256k1Keypair.create();
    const viewer = await registerDidPlc(keypair, pds);
    // A member with a key of the test's own: a did:plc without a repo, its membership and approval applied directly.
    await env.COMMUNITY_FEED.getByName(closed.uri).applyEvents(closed.uri, [
      {
        kind: "record",
        did: viewer,
        collection: MEMBERSHIP,
        rkey: "3lviewer",
        operation: "create",
        cid: "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm",
        time: Date.now() * 1000,
        record: { $type: MEMBERSHIP, community: closed.uri, role: "member", joinedAt: now() },
      },
    ]);
    await moderate(mod, closed, "approve_member", userTarget(viewer));
    const seconds = Math.floor(Date.now() / 1000);
    const token = (exp: number, signer = keypair) =>
      createServiceJwt({ iss: viewer, aud: SERVICE, lxm: FEED_LXM, keypair: signer, iat: exp - 60, exp });
    const fresh = await skeleton(closed, bearer(await token(seconds + 60)));
    expect(fresh.body.feed.length).toBeGreaterThan(1);
    expectPinsOnly(await skeleton(closed, bearer(await token(seconds - 600))));
    expectPinsOnly(
      await skeleton(closed, bearer(await token(seconds + 60, await Secp256k1Keypair.create()))),
    );
  });

  it("never fails on a malformed token, and never logs one", async () => {
    const logged: unknown[][] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args));
    const marker = "SECRETMARKER";
    const payload = Buffer.from(`{"iss":"${marker}`).toString("base64url");
    for (const authorization of [`Bearer x.${payload}.y`, `Bearer ${marker}`, `Basic ${marker}`])
      expectPinsOnly(await skeleton(closed, authorization));
    // The refusals were logged (so this watches the Worker's console), without the token.
    expect(logged.some((args) => JSON.stringify(args).includes("viewer_unverified"))).toBe(true);
    expect(logged.filter((args) => JSON.stringify(args).includes(marker))).toEqual([]);
  });
});

describe("a public feed", () => {
  it("ignores the viewer's token: a bad one never fails the request", async () => {
    const open = await createCommunity(alice, {});
    await join(bob, open);
    const p = await post(bob, open, "public");
    const forged = await createServiceJwt({
      iss: bob.did,
      aud: SERVICE,
      lxm: FEED_LXM,
      keypair: await Secp256k1Keypair.create(),
    });
    for (const authorization of [undefined, bearer(forged), "Bearer garbage"]) {
      const res = await skeleton(open, authorization);
      expect(res).toMatchObject({ status: 200, body: { feed: [{ post: p.uri }] } });
    }
  });
});
