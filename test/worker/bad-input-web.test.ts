// Bad input to the web routes: paths with traversal, near-miss and overlong
// hashtags, made-up community addresses, garbage cursors, the wrong HTTP
// method. A page answers a 404 page, never a 5xx; JSON answers {error, message}.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { FAR_TOO_LONG, keysetCursor, ORIGIN, setUpWorld, type World } from "./helpers/bad-input.ts";

let world: World;

beforeAll(async () => {
  world = await setUpWorld();
});

interface WebRow {
  what: string;
  path: (w: World) => string;
  method?: "GET" | "POST";
  status: number;
  /** "html" for a page; an XRPC-style error name for JSON. */
  answer: "html" | string;
}

const WEB_ROWS: WebRow[] = [
  { what: "a path with traversal", path: () => "/c/..%2F..%2Fetc", status: 404, answer: "html" },
  { what: "a near-miss hashtag", path: () => "/c/atr_1234567g", status: 404, answer: "html" },
  { what: "a hashtag one digit short", path: () => "/c/atr_1234567", status: 404, answer: "html" },
  { what: "an overlong hashtag", path: () => `/c/atr_${"a".repeat(5_000)}`, status: 404, answer: "html" },
  { what: "a hashtag nobody holds", path: () => "/c/atr_00000000", status: 404, answer: "html" },
  { what: "its manage page", path: () => "/c/atr_00000000/manage", status: 404, answer: "html" },
  { what: "its next-steps page", path: () => "/c/atr_00000000/start", status: 404, answer: "html" },
  {
    what: "a near-miss hashtag's next-steps page",
    path: () => "/c/atr_1234567g/start",
    status: 404,
    answer: "html",
  },
  {
    what: "an overlong hashtag's manage page",
    path: () => `/c/atr_${"a".repeat(5_000)}/manage`,
    status: 404,
    answer: "html",
  },
  {
    what: "a made-up community address",
    path: (w) => `/c/${w.alice.did}/3kmadeup0000`,
    status: 404,
    answer: "html",
  },
  { what: "an address that is no DID", path: () => "/c/not-a-did/3kabc", status: 404, answer: "html" },
  {
    what: "an address with a bad record key",
    path: (w) => `/c/${w.alice.did}/..`,
    status: 404,
    answer: "html",
  },
  { what: "a garbage cursor on the home page", path: () => "/?cursor=garbage", status: 404, answer: "html" },
  {
    what: "a far too long cursor on the home page",
    path: () => `/?cursor=${FAR_TOO_LONG}`,
    status: 404,
    answer: "html",
  },
  { what: "a page that does not exist", path: () => "/no/such/page", status: 404, answer: "html" },
  {
    what: "a POST to a page",
    path: () => "/c/atr_00000000",
    method: "POST",
    status: 404,
    answer: "NotFound",
  },
  { what: "a POST to sign-in", path: () => "/signin", method: "POST", status: 404, answer: "NotFound" },
];

describe("bad input to the web routes", () => {
  for (const row of WEB_ROWS) {
    it(`${row.method ?? "GET"} ${row.what} → ${row.status} ${row.answer}`, async () => {
      const res = await SELF.fetch(`${ORIGIN}${row.path(world)}`, {
        method: row.method ?? "GET",
        headers: { accept: "text/html" },
        redirect: "manual",
      });
      expect(res.status).toBe(row.status);
      if (row.answer === "html") {
        expect(res.headers.get("content-type")).toMatch(/^text\/html/);
        expect(await res.text()).toContain("<h1>Not found</h1>");
      } else {
        expect(await res.json()).toEqual({ error: row.answer, message: expect.any(String) });
      }
    });
  }

  it("a community page with a garbage or foreign cursor is a 404 page", async () => {
    const hashtag = (await (
      await SELF.fetch(
        `${ORIGIN}/xrpc/com.atrarium.community.getCommunity?community=${encodeURIComponent(world.community)}`,
      )
    ).json()) as { hashtag: string };
    for (const cursor of ["garbage", keysetCursor(), FAR_TOO_LONG]) {
      const res = await SELF.fetch(`${ORIGIN}/c/${hashtag.hashtag.slice(1)}?cursor=${cursor}`, {
        headers: { accept: "text/html" },
      });
      expect(res.status, cursor.slice(0, 20)).toBe(404);
    }
  });

  it("/web/hydrate answers garbage, unknown DIDs and overlong values with an empty answer, never a 5xx", async () => {
    const query = new URLSearchParams([
      ["did", "garbage"],
      ["did", world.unknownDid],
      ["did", FAR_TOO_LONG],
      ["uri", "garbage"],
      ["uri", `at://${world.bob.did}/app.bsky.feed.post/${FAR_TOO_LONG.slice(0, 600)}`],
      ["uri", world.community],
      ["uri", `at://${world.unknownDid}/app.bsky.feed.post/3kabc`],
    ]);
    const res = await SELF.fetch(`${ORIGIN}/web/hydrate?${query}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { handles: Record<string, string>; posts: unknown[] };
    expect(body.handles).toEqual({});
    // Only the post URI is looked up, and its unknown author makes it unavailable, not an error.
    expect(body.posts).toEqual([
      expect.objectContaining({
        uri: `at://${world.unknownDid}/app.bsky.feed.post/3kabc`,
        author: { did: world.unknownDid },
        unavailable: expect.any(String),
      }),
    ]);
  });
});
