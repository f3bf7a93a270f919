import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { didWithPds } from "./helpers.ts";

// A 404 is not a delete. Only the XRPC error RecordNotFound says a record is
// gone, and only RepoNotFound or a real (empty) listing says a repo holds
// nothing: a misconfigured or migrating PDS that answers a bare 404, or a 200
// that is no answer, must not let anyone tombstone an author's posts through
// the anonymous requestIndex, nor empty a community through resync. The PDS
// is test/setup/scripted-pds.ts on the scripted public internet.

const ORIGIN = "https://feeds.test";
const ADMIN = { authorization: `Basic ${btoa("admin:test-admin-password")}` };
let client = 0;

async function xrpc(
  method: string,
  init: { body?: unknown; params?: Record<string, string>; headers?: Record<string, string> },
) {
  const url = new URL(`${ORIGIN}/xrpc/${method}`);
  for (const [k, v] of Object.entries(init.params ?? {})) url.searchParams.set(k, v);
  const res = await SELF.fetch(url, {
    method: init.body === undefined ? "GET" : "POST",
    headers: {
      "content-type": "application/json",
      "cf-connecting-ip": `203.0.113.${++client}`,
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const requestIndex = (uri: string) => xrpc("com.atrarium.sync.requestIndex", { body: { uri } });
const script = (path: string, method: string, body: unknown) =>
  fetch(`https://script.guard.test${path}`, { method, body: JSON.stringify(body) });
const store = (uri: string, value: Record<string, unknown>) => script("/records", "PUT", { uri, value });
const answers = (did: string, how: "as-stored" | "plain-404" | "empty-200" | "repo-not-found") =>
  script("/repos", "PUT", { did, answers: how });

let alice: string;
let bob: string;
let config: string;
let post: string;
let feed: string;

async function feedPosts(): Promise<string[]> {
  const res = await xrpc("app.bsky.feed.getFeedSkeleton", { params: { feed } });
  expect(res.status).toBe(200);
  return (res.body.feed as { post: string }[]).map((f) => f.post);
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([
    didWithPds("https://repo.guard.test"),
    didWithPds("https://repo.guard.test"),
  ]);
  const hashtag = `#atr_${Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  const now = new Date().toISOString();
  config = `at://${alice}/com.atrarium.community.config/3kanswers0001`;
  feed = `at://${alice}/app.bsky.feed.generator/3kanswers0001`;
  const membership = `at://${bob}/com.atrarium.community.membership/3kanswers0002`;
  post = `at://${bob}/app.bsky.feed.post/3kanswers0003`;
  await store(config, {
    $type: "com.atrarium.community.config",
    name: "Answers",
    hashtag,
    stage: "community",
    createdAt: now,
  });
  await store(membership, {
    $type: "com.atrarium.community.membership",
    community: config,
    role: "member",
    joinedAt: now,
  });
  await store(post, { $type: "app.bsky.feed.post", text: `hello ${hashtag}`, createdAt: now });
  for (const uri of [config, membership, post])
    expect((await requestIndex(uri)).body.status, uri).toBe("indexed");
  expect(await feedPosts()).toEqual([post]);
});

describe("what a PDS's answer means", () => {
  it("requestIndex deletes nothing on a 404 that is not RecordNotFound, nor on a 200 that is no record", async () => {
    for (const how of ["plain-404", "empty-200"] as const) {
      await answers(bob, how);
      const answer = await requestIndex(post);
      expect(answer.status, how).toBe(502);
      expect(answer.body.error, how).toBe("PdsUnreachable");
      await answers(alice, how);
      expect((await requestIndex(config)).status, how).toBe(502);
    }
    await Promise.all([answers(alice, "as-stored"), answers(bob, "as-stored")]);
    expect(await feedPosts()).toEqual([post]);
    const community = await xrpc("com.atrarium.community.getCommunity", { params: { community: config } });
    expect(community.status).toBe(200);
  });

  it("resync removes nothing from a repo whose listing is a 404 page or no listing, and counts it unreachable", async () => {
    for (const how of ["plain-404", "empty-200"] as const) {
      await answers(bob, how);
      const report = await xrpc("com.atrarium.admin.resyncCommunity", {
        body: { community: config },
        headers: ADMIN,
      });
      expect(report.status, how).toBe(200);
      expect(report.body, how).toMatchObject({ removed: 0, unreachable: 1 });
      expect(await feedPosts(), how).toEqual([post]);
    }
    await answers(bob, "as-stored");
  });

  it("still takes RecordNotFound for a delete, and RepoNotFound for a repo that holds nothing", async () => {
    await script("/records", "DELETE", { uri: post });
    expect((await requestIndex(post)).body.status).toBe("deleted");
    expect(await feedPosts()).toEqual([]);
    await answers(bob, "repo-not-found");
    const report = await xrpc("com.atrarium.admin.resyncCommunity", {
      body: { community: config },
      headers: ADMIN,
    });
    expect(report.body).toMatchObject({ unreachable: 0 });
    const membership = await xrpc("com.atrarium.community.getMembership", {
      params: { community: config, actor: bob },
    });
    expect(membership.body.status).not.toBe("member");
  });
});
