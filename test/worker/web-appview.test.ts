// The AppView source (APPVIEW_URL): one request per 25 posts or handles, the
// AppView's own answers mapped to found / missing / failed, and a page's posts
// whole from them (authors, embeds, counts). The public AppView cannot run
// here, so its answers are canned at fetch().
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetCircuits } from "../../src/net/circuit.ts";
import { Hydrator } from "../../src/web/server/hydrate.ts";
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
    const answers = appviewSource("https://appview.test", false).posts(uris);
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
    const source = appviewSource("https://appview.test", false);
    const handles = source.handles(["did:plc:a", "did:plc:b"]);
    expect(await handles.get("did:plc:a")).toEqual({ found: "a.test" });
    expect(await handles.get("did:plc:b")).toEqual({ missing: "handle not verified" });
    expect(await source.posts([post(1)]).get(post(1))).toEqual({ failed: "appview.test answered 503" });
  });
});

describe("a page's posts through the AppView", () => {
  it("takes authors, embeds and counts from one getPosts, and asks getProfiles only for reply parents", async () => {
    const alice = "did:plc:alice";
    const carol = "did:plc:carol";
    const uri = `at://${alice}/app.bsky.feed.post/3kpic`;
    const parent = `at://${carol}/app.bsky.feed.post/3kparent`;
    const asked = cannedAppView((url) =>
      url.pathname.endsWith("getPosts")
        ? Response.json({
            posts: [
              {
                uri,
                cid: "cid1",
                author: {
                  did: alice,
                  handle: "alice.test",
                  displayName: "Alice",
                  avatar: "https://cdn.test/avatar.jpg",
                },
                record: {
                  text: "A picture",
                  createdAt: "2026-01-01T00:00:00.000Z",
                  reply: { root: { uri: parent, cid: "c" }, parent: { uri: parent, cid: "c" } },
                },
                embed: {
                  $type: "app.bsky.embed.images#view",
                  images: [
                    { thumb: "https://cdn.test/t.jpg", fullsize: "https://cdn.test/f.jpg", alt: "A door" },
                  ],
                },
                replyCount: 1,
                repostCount: 2,
                likeCount: 3,
                quoteCount: 0,
              },
            ],
          })
        : Response.json({ profiles: [{ did: carol, handle: "carol.test" }] }),
    );
    const [post] = await new Hydrator(appviewSource("https://appview.test", false)).posts([uri]);
    expect(post).toEqual({
      uri,
      href: "https://bsky.app/profile/alice.test/post/3kpic",
      cid: "cid1",
      author: {
        did: alice,
        handle: "alice.test",
        displayName: "Alice",
        avatar: "https://cdn.test/avatar.jpg",
      },
      text: "A picture",
      facets: [],
      createdAt: "2026-01-01T00:00:00.000Z",
      embed: {
        media: { images: [{ src: "https://cdn.test/t.jpg", full: "https://cdn.test/f.jpg", alt: "A door" }] },
      },
      replyTo: {
        uri: parent,
        href: "https://bsky.app/profile/carol.test/post/3kparent",
        author: { did: carol, handle: "carol.test" },
      },
      counts: { replies: 1, reposts: 2, likes: 3, quotes: 0 },
    });
    expect(asked.map((u) => [u.pathname, u.searchParams.getAll("actors")])).toEqual([
      ["/xrpc/app.bsky.feed.getPosts", []],
      ["/xrpc/app.bsky.actor.getProfiles", [carol]],
    ]);
  });
});
