// The AppView source (APPVIEW_URL): one request per 25 posts or handles, and
// the AppView's own answers mapped to found / missing / failed. The public
// AppView cannot run here, so its answers are canned at fetch().
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetCircuits } from "../../src/sync/circuit.ts";
import { appviewSource } from "../../src/web/server/sources/appview.ts";

const post = (n: number) => `at://did:plc:author${n}/app.bsky.feed.post/3k${n}`;

function cannedAppView(answer: (url: URL) => Response) {
  const asked: URL[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    asked.push(url);
    return answer(url);
  });
  return asked;
}

afterEach(() => {
  vi.restoreAllMocks();
  resetCircuits();
});

describe("AppView source", () => {
  it("asks for posts 25 at a time and tells each post its own answer", async () => {
    const asked = cannedAppView((url) => {
      const uris = url.searchParams.getAll("uris").filter((u) => !u.endsWith("/3k3"));
      const posts = uris.map((uri, i) => ({
        uri,
        cid: `cid${i}`,
        author: { did: uri.split("/")[2], handle: uri.endsWith("/3k7") ? "handle.invalid" : "someone.test" },
        record: { text: `text of ${uri}`, createdAt: "2026-01-01T00:00:00.000Z" },
      }));
      return Response.json({ posts });
    });
    const uris = Array.from({ length: 30 }, (_, i) => post(i));
    const answers = appviewSource("https://appview.test").posts(uris);
    expect(asked.map((u) => u.searchParams.getAll("uris").length)).toEqual([25, 5]);
    expect(asked[0]?.pathname).toBe("/xrpc/app.bsky.feed.getPosts");
    const first = await answers.get(post(0));
    expect(first).toEqual({
      found: {
        uri: post(0),
        cid: "cid0",
        text: `text of ${post(0)}`,
        createdAt: "2026-01-01T00:00:00.000Z",
        authorHandle: "someone.test",
        // The record and the AppView's whole view go on to the page's post rules.
        record: { text: `text of ${post(0)}`, createdAt: "2026-01-01T00:00:00.000Z" },
        view: expect.objectContaining({ uri: post(0), cid: "cid0", author: expect.any(Object) }),
      },
    });
    expect(await answers.get(post(3))).toEqual({ missing: "not found on the AppView" });
    expect(await answers.get(post(7))).not.toHaveProperty("found.authorHandle");
  });

  it("reads handles, leaving out the ones the AppView marks invalid, and reports a failing AppView", async () => {
    cannedAppView((url) =>
      url.pathname.endsWith("getProfiles")
        ? Response.json({
            profiles: [
              { did: "did:plc:a", handle: "a.test" },
              { did: "did:plc:b", handle: "handle.invalid" },
            ],
          })
        : new Response("down", { status: 503 }),
    );
    const source = appviewSource("https://appview.test");
    const handles = source.handles(["did:plc:a", "did:plc:b"]);
    expect(await handles.get("did:plc:a")).toEqual({ found: "a.test" });
    expect(await handles.get("did:plc:b")).toEqual({ missing: "handle not verified" });
    expect(await source.posts([post(1)]).get(post(1))).toEqual({ failed: "appview.test answered 503" });
  });
});
