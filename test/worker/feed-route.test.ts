// app.bsky.feed.getFeedSkeleton and describeFeedGenerator through the Worker.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  action,
  at,
  type Community,
  community,
  config,
  did,
  membership,
  post,
  postUri,
} from "./community-fixtures.ts";

const skeleton = (params: Record<string, string>, init?: RequestInit) =>
  SELF.fetch(`https://feeds.test/xrpc/app.bsky.feed.getFeedSkeleton?${new URLSearchParams(params)}`, init);

type Body = { feed?: { post: string }[]; cursor?: string; error?: string; message?: string };

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const jwt = (payload: Record<string, unknown>) =>
  `${b64url({ alg: "ES256K", typ: "JWT" })}.${b64url(payload)}.${b64url("not a signature")}`;

let c: Community;
let alice: string;
const POSTS = 60;

beforeAll(async () => {
  c = community();
  alice = did("alice");
  const events = [config(c, { time: at(1) }), membership(c, alice, { time: at(2) })];
  for (let i = 0; i < POSTS; i++)
    events.push(post(c, alice, { rkey: `p${String(i).padStart(3, "0")}`, time: at(10 + i) }));
  await c.apply(...events);
});

describe("getFeedSkeleton route", () => {
  it("maps at://OWNER/app.bsky.feed.generator/RKEY to the community config with the same rkey", async () => {
    expect(c.feed).toBe(`at://${c.owner}/app.bsky.feed.generator/${c.rkey}`);
    const res = await skeleton({ feed: c.feed, limit: "3" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.feed).toEqual(["p059", "p058", "p057"].map((k) => ({ post: postUri(alice, k) })));
    expect(body.cursor).toBeTypeOf("string");
  });

  it("answers 400 UnknownFeed for a feed no community backs", async () => {
    for (const feed of [
      `at://${c.owner}/app.bsky.feed.generator/3lnothere`,
      `at://${did("nobody")}/app.bsky.feed.generator/${c.rkey}`,
      // the config URI itself, or another collection, is no feed
      c.uri,
      `at://${c.owner}/app.bsky.feed.post/${c.rkey}`,
    ]) {
      const res = await skeleton({ feed });
      expect(res.status, feed).toBe(400);
      expect(((await res.json()) as Body).error, feed).toBe("UnknownFeed");
    }
  });

  it("rejects a feed param that is no at-uri with 400 InvalidRequest", async () => {
    const res = await skeleton({ feed: "https://example.com/feed" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Body).error).toBe("InvalidRequest");
  });

  it("enforces limit 1..100", async () => {
    for (const limit of ["0", "101", "-1", "abc"]) {
      const res = await skeleton({ feed: c.feed, limit });
      expect(res.status, limit).toBe(400);
      expect(((await res.json()) as Body).error).toBe("InvalidRequest");
    }
    const res = await skeleton({ feed: c.feed, limit: "100" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.feed).toHaveLength(POSTS);
    expect(body.cursor).toBeUndefined();
  });

  it("defaults to 50 posts", async () => {
    const body = (await (await skeleton({ feed: c.feed })).json()) as Body;
    expect(body.feed).toHaveLength(50);
    expect(body.cursor).toBeTypeOf("string");
  });

  it("pages to the end, with no cursor on the last page, never echoing the input cursor", async () => {
    const first = (await (await skeleton({ feed: c.feed, limit: "50" })).json()) as Body;
    const res = await skeleton({ feed: c.feed, limit: "50", cursor: first.cursor as string });
    expect(res.status).toBe(200);
    const last = (await res.json()) as Body;
    expect(last.feed).toHaveLength(POSTS - 50);
    expect(last).not.toHaveProperty("cursor");
    const all = [...(first.feed ?? []), ...(last.feed ?? [])].map((f) => f.post);
    expect(new Set(all).size).toBe(POSTS);
  });

  it("answers an empty feed without a cursor", async () => {
    const empty = community();
    await empty.apply(config(empty, { time: at(1) }));
    const res = await skeleton({ feed: empty.feed });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ feed: [] });
  });

  it("answers a malformed cursor with 400 InvalidRequest, not a 500", async () => {
    for (const cursor of ["garbage!", "bm90IGEgY3Vyc29y", "MTIzOjphdDovLw", "x".repeat(3000)]) {
      const res = await skeleton({ feed: c.feed, cursor });
      expect(res.status, cursor).toBe(400);
      expect(((await res.json()) as Body).error).toBe("InvalidRequest");
    }
  });

  // A bad token never fails the request (design.md, "Who sees the feed"): a public feed does not
  // read it; a members-only feed answers it with the pinned posts alone.
  const badTokens = () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: did("appview"), aud: "did:web:feeds.test", lxm: "app.bsky.feed.getFeedSkeleton" };
    return [
      "Bearer garbage",
      "Bearer ",
      "Basic YWRtaW46eA==",
      `Bearer ${jwt({ ...claims, iat: now - 120, exp: now - 60 })}`, // expired
      `Bearer ${jwt({ ...claims, lxm: "app.bsky.feed.getPosts", iat: now, exp: now + 60 })}`, // wrong method
      `Bearer ${jwt({ ...claims, iss: "not-a-did", iat: now, exp: now + 60 })}`,
      `Bearer ${jwt({ ...claims, iat: now, exp: now + 60 })}`, // a signature that is none
      // @atproto/xrpc-server's verifyJwt lets JSON.parse's SyntaxError escape for these.
      "Bearer a.b.c",
      `Bearer ${b64url({ alg: "ES256K" })}.e30x.sig`,
    ];
  };

  it("is public with or without an Authorization header: a bad one is not read", async () => {
    const expected = (await (await skeleton({ feed: c.feed, limit: "1" })).json()) as Body;
    expect(expected.feed).toHaveLength(1);
    for (const authorization of badTokens()) {
      const res = await skeleton({ feed: c.feed, limit: "1" }, { headers: { authorization } });
      expect(res.status, authorization).toBe(200);
      expect(await res.json(), authorization).toEqual(expected);
    }
  });

  it("answers a bad token on a members-only feed with the pinned posts alone, never 401 or 500", async () => {
    const closed = community();
    await closed.apply(
      config(closed, { time: at(1), feedVisibility: "members" }),
      membership(closed, alice, { time: at(2) }),
      post(closed, alice, { rkey: "p1", time: at(3) }),
      post(closed, alice, { rkey: "p2", time: at(4) }),
      action(closed, closed.owner, "pin_post", postUri(alice, "p1"), { time: at(5) }),
    );
    const pinsOnly = {
      feed: [{ post: postUri(alice, "p1"), reason: { $type: "app.bsky.feed.defs#skeletonReasonPin" } }],
    };
    for (const authorization of [undefined, ...badTokens()]) {
      const res = await skeleton(
        { feed: closed.feed },
        authorization === undefined ? {} : { headers: { authorization } },
      );
      expect(res.status, authorization).toBe(200);
      expect(await res.json(), authorization).toEqual(pinsOnly);
    }
  });
});

describe("describeFeedGenerator", () => {
  it("lists the feed URIs of indexed communities, and not refused or unknown ones", async () => {
    const squatter = community({ hashtag: c.hashtag });
    // Observed after c's config (at(1)): an equal time would leave the hashtag to a tie-break.
    await squatter.apply(config(squatter, { time: at(5) }));
    const res = await SELF.fetch("https://feeds.test/xrpc/app.bsky.feed.describeFeedGenerator");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { did: string; feeds: { uri: string }[] };
    expect(body.did).toBe("did:web:feeds.test");
    const feeds = body.feeds.map((f) => f.uri);
    expect(feeds).toContain(c.feed);
    expect(feeds).not.toContain(squatter.feed);
    expect(new Set(feeds).size).toBe(feeds.length);
  });

  it("drops a community whose config is deleted", async () => {
    const gone = community();
    await gone.apply(config(gone, { time: at(1) }));
    const list = async () =>
      (
        (await (await SELF.fetch("https://feeds.test/xrpc/app.bsky.feed.describeFeedGenerator")).json()) as {
          feeds: { uri: string }[];
        }
      ).feeds.map((f) => f.uri);
    expect(await list()).toContain(gone.feed);
    await gone.apply(config(gone, { time: at(2), operation: "delete" }));
    expect(await list()).not.toContain(gone.feed);
  });
});
