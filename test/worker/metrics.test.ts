// com.atrarium.admin.getMetrics through the Worker in workerd: request
// latency measured around the Worker's own fetch handler and summed in the
// RequestMetrics object, and each community's counts from its index.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { MethodLatency, OutputSchema } from "../../src/lexicon/types/com/atrarium/admin/getMetrics.ts";
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
import { ADMIN, xrpc } from "./helpers/xrpc.ts";

const metrics = (params: Record<string, string> = {}) =>
  xrpc<OutputSchema>("com.atrarium.admin.getMetrics", { params, headers: { authorization: ADMIN } });

let c: Community;
let other: Community;

beforeAll(async () => {
  c = community();
  const alice = did("alice");
  const carol = did("carol");
  await c.apply(
    config(c, { time: at(1) }),
    membership(c, alice, { time: at(2) }),
    post(c, alice, { rkey: "a1", time: at(10) }),
    post(c, alice, { rkey: "a2", time: at(11) }),
    post(c, alice, { rkey: "a3", time: at(12) }),
    // Carol is no member: her hashtagged posts are refused, her hide is rejected.
    post(c, carol, { rkey: "c1", time: at(13) }),
    post(c, carol, { rkey: "c2", time: at(14) }),
    // Alice's post without the hashtag is neither admitted nor refused.
    post(c, alice, { rkey: "a4", time: at(15), text: "no tag here" }),
    action(c, c.owner, "hide_post", postUri(alice, "a1"), { time: at(20) }),
    action(c, carol, "hide_post", postUri(alice, "a2"), { time: at(21) }),
  );
  other = community();
  await other.apply(config(other, { time: at(1) }));
});

describe("getMetrics", () => {
  it("is for the admin only", async () => {
    const res = await xrpc("com.atrarium.admin.getMetrics");
    expect(res.status).toBe(401);
  });

  it("counts each community's posts admitted, refused and hidden, and actions rejected", async () => {
    const res = await metrics({ limit: "100" });
    expect(res.status).toBe(200);
    expect(res.body.communities.find((x) => x.uri === c.uri)).toEqual({
      uri: c.uri,
      name: "Test community",
      hashtag: c.hashtag,
      members: 1,
      postsAdmitted: 3,
      postsRefused: 2,
      postsHidden: 1,
      actionsRejected: 1,
      invalidRecords: 0,
    });
    expect(res.body.communities.find((x) => x.uri === other.uri)).toMatchObject({
      members: 0,
      postsAdmitted: 0,
      postsRefused: 0,
    });
  });

  it("reports each method's requests and latency percentiles over the window, as measured in the Worker", async () => {
    const before = (await metrics()).body.requests.find((r) => r.method === "app.bsky.feed.getFeedSkeleton");
    for (let i = 0; i < 5; i++) {
      const res = await SELF.fetch(`https://feeds.test/xrpc/app.bsky.feed.getFeedSkeleton?feed=${c.feed}`);
      expect(res.status).toBe(200);
    }
    const unknown = await SELF.fetch(
      `https://feeds.test/xrpc/app.bsky.feed.getFeedSkeleton?feed=${c.feed.replace(c.rkey, "3lnothere")}`,
    );
    expect(unknown.status).toBe(400);
    const res = await metrics({ minutes: "10" });
    expect(res.body.minutes).toBe(10);
    const feed = res.body.requests.find((r) => r.method === "app.bsky.feed.getFeedSkeleton") as MethodLatency;
    expect(feed.requests - (before?.requests ?? 0)).toBe(6);
    expect(feed.clientErrors - (before?.clientErrors ?? 0)).toBe(1);
    expect(feed.serverErrors).toBe(0);
    expect(feed.p50Ms).toBeLessThanOrEqual(feed.p90Ms);
    expect(feed.p90Ms).toBeLessThanOrEqual(feed.p99Ms);
    expect(feed.p99Ms).toBeLessThanOrEqual(feed.maxMs);
    // The admin calls themselves are counted too.
    expect(res.body.requests.map((r) => r.method)).toContain("com.atrarium.admin.getMetrics");
  });

  it("pages through communities; the request numbers come with the first page only", async () => {
    const first = await metrics({ limit: "1" });
    expect(first.body.communities).toHaveLength(1);
    expect(first.body.requests.length).toBeGreaterThan(0);
    const second = await metrics({ limit: "1", cursor: first.body.cursor as string });
    expect(second.status).toBe(200);
    expect(second.body.requests).toEqual([]);
    expect(second.body.communities[0]?.uri).not.toBe(first.body.communities[0]?.uri);
    expect((await metrics({ cursor: "garbage" })).status).toBe(400);
  });
});

describe("getFirehoseStatus", () => {
  it("reports events dropped as too large or malformed", async () => {
    const res = await xrpc<Record<string, unknown>>("com.atrarium.admin.getFirehoseStatus", {
      headers: { authorization: ADMIN },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ eventsTooLarge: 0, eventsMalformed: 0 });
  });
});
