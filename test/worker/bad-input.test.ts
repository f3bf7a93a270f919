// Bad input, as a new user or a careless client sends it, to every XRPC method
// the Worker serves (the web routes: bad-input-web.test.ts). Each row says what is wrong and the
// status and XRPC error name it must get. Whatever the row, an XRPC answer must
// be {error, message} with an XRPC error name (the status's own, one the
// method's lexicon declares, or a service-auth one), and nothing answers 5xx
// unless the row is a real upstream outage.
//
// The served methods come from the generated lexicons: a method without a
// valid call below fails the first test, and every method gets the rows its
// lexicon implies (wrong HTTP method, each required parameter missing, each
// integer out of range or not an integer, each string far too long, a garbage
// cursor, invalid JSON and oversize bodies, the auth its kind needs) before
// the rows written by hand for what only the method knows.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  badTokens,
  checkAnswer,
  feedOf,
  keysetCursor,
  madeUpCommunity,
  ORIGIN,
  positionCursor,
  type Row,
  rowsOf,
  SERVED,
  send,
  setUpWorld,
  token,
  type ValidCall,
  type World,
} from "./helpers/bad-input.ts";

let world: World;

/** One valid call per method the Worker serves. */
const VALID: Record<string, ValidCall> = {
  "app.bsky.feed.describeFeedGenerator": { auth: "none" },
  "app.bsky.feed.getFeedSkeleton": { auth: "viewer", params: (w) => ({ feed: w.feed }) },
  "com.atrarium.community.getCommunity": { auth: "none", params: (w) => ({ community: w.community }) },
  "com.atrarium.community.getMembers": { auth: "none", params: (w) => ({ community: w.community }) },
  "com.atrarium.community.getMembership": {
    auth: "none",
    params: (w) => ({ community: w.community, actor: w.bob.did }),
  },
  "com.atrarium.community.listCommunities": { auth: "none" },
  "com.atrarium.community.getJoinRequests": { auth: "service", params: (w) => ({ community: w.community }) },
  "com.atrarium.moderation.getActions": { auth: "service", params: (w) => ({ community: w.community }) },
  "com.atrarium.sync.requestIndex": { auth: "optional-service", body: (w) => ({ uri: w.post }) },
  "com.atrarium.admin.getFirehoseStatus": { auth: "admin" },
  "com.atrarium.admin.getMetrics": { auth: "admin" },
  "com.atrarium.admin.listDeadLetters": { auth: "admin" },
  "com.atrarium.admin.redriveDeadLetters": { auth: "admin", body: () => ({ ids: [] }) },
  "com.atrarium.admin.resyncCommunity": { auth: "admin", body: (w) => ({ community: w.community }) },
  "com.atrarium.admin.startFirehose": { auth: "admin" },
};

// --- rows written by hand: what only the method knows ------------------------

const HAND_ROWS: Row[] = [
  // getFeedSkeleton
  ...[
    ["a made-up feed", (w: World) => feedOf(madeUpCommunity(w))],
    ["a feed URI of the wrong collection", (w: World) => w.post],
    ["the community's config URI instead of its feed", (w: World) => w.community],
    ["a feed named by handle", (w: World) => `at://${w.alice.handle}/app.bsky.feed.generator/3kabc`],
  ].map(([what, feed]) => ({
    nsid: "app.bsky.feed.getFeedSkeleton",
    what: what as string,
    params: (w: World) => ({ feed: (feed as (w: World) => string)(w) }),
    status: 400,
    error: "UnknownFeed",
  })),
  ...[
    ["a members-list cursor", keysetCursor],
    ["a dead-letter cursor", () => "12"],
  ].map(([what, cursor]) => ({
    nsid: "app.bsky.feed.getFeedSkeleton",
    what: `a foreign cursor (${what as string})`,
    params: (w: World) => ({ feed: w.feed, cursor: (cursor as (w: World) => string)(w) }),
    status: 400,
    error: "InvalidRequest",
  })),
  // the community queries
  ...["getCommunity", "getMembers", "getMembership"].flatMap((method) =>
    [
      ["a made-up community", madeUpCommunity],
      ["a post URI instead of a community", (w: World) => w.post],
      [
        "a community named by handle",
        (w: World) => `at://${w.alice.handle}/com.atrarium.community.config/3kabc`,
      ],
    ].map(([what, community]) => ({
      nsid: `com.atrarium.community.${method}`,
      what: what as string,
      params: (w: World) => ({
        community: (community as (w: World) => string)(w),
        ...(method === "getMembership" ? { actor: w.bob.did } : {}),
      }),
      status: 400,
      error: "CommunityNotFound",
    })),
  ),
  {
    nsid: "com.atrarium.community.getMembers",
    what: "a foreign cursor (a feed position)",
    params: (w) => ({ community: w.community, cursor: positionCursor(w) }),
    status: 400,
    error: "InvalidRequest",
  },
  {
    nsid: "com.atrarium.community.getMembership",
    what: "an actor named by handle",
    params: (w) => ({ community: w.community, actor: w.bob.handle }),
    status: 400,
    error: "InvalidRequest",
  },
  {
    nsid: "com.atrarium.community.listCommunities",
    what: "a foreign cursor (a members-list cursor)",
    params: () => ({ cursor: keysetCursor() }),
    status: 400,
    error: "InvalidRequest",
  },
  // getActions
  {
    nsid: "com.atrarium.moderation.getActions",
    what: "a member who does not moderate",
    authorization: token("bob", "com.atrarium.moderation.getActions"),
    status: 403,
    error: "Forbidden",
  },
  {
    nsid: "com.atrarium.moderation.getActions",
    what: "a made-up community",
    params: (w) => ({ community: madeUpCommunity(w) }),
    status: 400,
    error: "CommunityNotFound",
  },
  {
    nsid: "com.atrarium.moderation.getActions",
    what: "a foreign cursor (a feed position)",
    params: (w) => ({ community: w.community, cursor: positionCursor(w) }),
    status: 400,
    error: "InvalidRequest",
  },
  // requestIndex
  ...(
    [
      [
        "a collection it does not index",
        (w: World) => `at://${w.bob.did}/app.bsky.feed.like/3kabc`,
        400,
        "UnsupportedCollection",
      ],
      [
        "a record named by handle",
        (w: World) => `at://${w.bob.handle}/app.bsky.feed.post/3kabc`,
        400,
        "InvalidRequest",
      ],
      [
        "a record key that is not one",
        (w: World) => `at://${w.bob.did}/app.bsky.feed.post/..`,
        400,
        "InvalidRequest",
      ],
      ["a collection that is no NSID", (w: World) => `at://${w.bob.did}/feed/3kabc`, 400, "InvalidRequest"],
      [
        "a DID the directory does not know",
        (w: World) => `at://${w.unknownDid}/app.bsky.feed.post/3kabc`,
        400,
        "UnknownDid",
      ],
      [
        "a DID whose document names no PDS",
        (w: World) => `at://${w.noPdsDid}/app.bsky.feed.post/3kabc`,
        400,
        "UnknownDid",
      ],
      [
        "a DID method atproto does not use",
        () => "at://did:nope:x/app.bsky.feed.post/3kabc",
        400,
        "UnknownDid",
      ],
    ] as const
  ).map(([what, uri, status, error]) => ({
    nsid: "com.atrarium.sync.requestIndex",
    what,
    body: (w: World) => JSON.stringify({ uri: uri(w) }),
    status,
    error,
  })),
  {
    nsid: "com.atrarium.sync.requestIndex",
    what: "an outage: the author's PDS does not answer",
    body: (w) => JSON.stringify({ uri: `at://${w.downPdsDid}/app.bsky.feed.post/3kabc` }),
    status: 502,
    error: "PdsUnreachable",
    outage: true,
  },
  {
    nsid: "com.atrarium.sync.requestIndex",
    what: "an outage: the did:web host does not answer",
    body: (w) => JSON.stringify({ uri: `at://${w.downDidWeb}/app.bsky.feed.post/3kabc` }),
    status: 502,
    error: "DidResolutionFailed",
    outage: true,
  },
  // the admin methods
  ...(
    [
      ["a post URI instead of a community", (w: World) => w.post, 400, "CommunityNotFound"],
      [
        "an owner the directory does not know",
        (w: World) => `at://${w.unknownDid}/com.atrarium.community.config/3kabc`,
        400,
        "UnknownDid",
      ],
    ] as const
  ).map(([what, community, status, error]) => ({
    nsid: "com.atrarium.admin.resyncCommunity",
    what,
    body: (w: World) => JSON.stringify({ community: community(w) }),
    status,
    error,
  })),
  {
    nsid: "com.atrarium.admin.redriveDeadLetters",
    what: "ids that are not dead-letter ids",
    body: () => JSON.stringify({ ids: ["1", "two"] }),
    status: 400,
    error: "InvalidRequest",
  },
  {
    nsid: "com.atrarium.admin.redriveDeadLetters",
    what: "more than 100 ids",
    body: () => JSON.stringify({ ids: Array.from({ length: 101 }, (_, i) => String(i)) }),
    status: 400,
    error: "InvalidRequest",
  },
  {
    nsid: "com.atrarium.admin.getMetrics",
    what: "a foreign cursor (a members-list cursor)",
    params: () => ({ cursor: keysetCursor() }),
    status: 400,
    error: "InvalidRequest",
  },
  {
    nsid: "com.atrarium.admin.listDeadLetters",
    what: "a foreign cursor (a feed position)",
    params: (w) => ({ cursor: positionCursor(w) }),
    status: 400,
    error: "InvalidRequest",
  },
];

const JOIN_REQUEST_ROWS: Row[] = [
  {
    nsid: "com.atrarium.community.getJoinRequests",
    what: "a member who does not moderate",
    authorization: token("bob", "com.atrarium.community.getJoinRequests"),
    status: 403,
    error: "Forbidden",
  },
  {
    nsid: "com.atrarium.community.getJoinRequests",
    what: "a made-up community",
    params: (w) => ({ community: madeUpCommunity(w) }),
    status: 400,
    error: "CommunityNotFound",
  },
];

const ROWS = rowsOf(VALID, [...HAND_ROWS, ...JOIN_REQUEST_ROWS]);

beforeAll(async () => {
  world = await setUpWorld();
});

describe("bad input to the XRPC methods", () => {
  it("has a valid call, and so rows, for every method the lexicons declare", () => {
    const covered = new Set(Object.keys(VALID));
    expect([...SERVED.keys()].filter((nsid) => !covered.has(nsid))).toEqual([]);
    expect([...covered].filter((nsid) => !SERVED.has(nsid))).toEqual([]);
  });

  it("serves each valid call (so the rows test what they say they change)", async () => {
    for (const [nsid, valid] of Object.entries(VALID)) {
      const res = await send(world, { nsid, what: "the valid call", status: 200, error: "" }, valid);
      expect(res.status, `${nsid}: ${await res.clone().text()}`).toBe(200);
      await res.body?.cancel();
    }
  });

  for (const row of ROWS) {
    it(`${row.nsid}: ${row.what} → ${row.status} ${row.error}`, async () => {
      const res = await send(world, row, VALID[row.nsid] as ValidCall);
      const body = await checkAnswer(row, res);
      expect({ status: res.status, error: body.error }).toEqual({ status: row.status, error: row.error });
      if (row.message) expect(body.message).toMatch(row.message);
    });
  }

  it("answers 501 MethodNotImplemented for a method it does not know, and 400 for a path that is no NSID", async () => {
    const unknown = await SELF.fetch(`${ORIGIN}/xrpc/com.example.nothing`);
    expect(unknown.status).toBe(501);
    expect(await unknown.json()).toMatchObject({
      error: "MethodNotImplemented",
      message: expect.any(String),
    });
    const path = await SELF.fetch(`${ORIGIN}/xrpc/..%2F..%2Fetc`);
    expect(path.status).toBe(400);
    expect(await path.json()).toMatchObject({ error: "InvalidRequest", message: expect.any(String) });
  });
});

describe("a viewer's token on getFeedSkeleton", () => {
  // design.md: a bad token never fails the request; it only says who asks.
  for (const row of badTokens("app.bsky.feed.getFeedSkeleton")) {
    it(`is ignored when it is ${row.what}: 200 with the feed`, async () => {
      const res = await send(world, row, VALID[row.nsid] as ValidCall);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await res.json()).toMatchObject({ feed: expect.any(Array) });
    });
  }
});
