// The rules for showing a post (src/web/shared/post.ts), from the record a
// PDS stores and from an AppView's view, and their HTML (post-html.ts).
// Real records from a real PDS are in web-posts.test.ts; these are the edge
// cases a record may hold: byte offsets inside characters, overlapping or
// hostile facets, blobs in both forms, quotes that are gone.
import { describe, expect, it } from "vitest";
import {
  embedFromRecord,
  embedFromView,
  imagesOf,
  type PostView,
  readFacets,
  richText,
  webUrl,
} from "../../src/web/shared/post.ts";
import { postItem } from "../../src/web/shared/post-html.ts";

const encoder = new TextEncoder();
/** The byte range of `part` inside `text` (the first one). */
function range(text: string, part: string) {
  const byteStart = encoder.encode(text.slice(0, text.indexOf(part))).length;
  return { byteStart, byteEnd: byteStart + encoder.encode(part).length };
}
const facet = (text: string, part: string, feature: Record<string, unknown>) => ({
  index: range(text, part),
  features: [feature],
});
const ALICE = "did:plc:alice";
const CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
const blob = (cid = CID) => ({ $type: "blob", ref: { $link: cid }, mimeType: "image/jpeg", size: 1000 });
const blobUrl = (cid: string) => `https://pds.example/xrpc/com.atproto.sync.getBlob?did=${ALICE}&cid=${cid}`;

describe("a post's text and its facets", () => {
  it("makes links, mentions and hashtags into links at their UTF-8 byte offsets", () => {
    const text = "Café ☕ with @bob.test — see https://example.com/x #design #atr_1a2b3c4d";
    const facets = readFacets([
      facet(text, "#atr_1a2b3c4d", { $type: "app.bsky.richtext.facet#tag", tag: "atr_1a2b3c4d" }),
      facet(text, "@bob.test", { $type: "app.bsky.richtext.facet#mention", did: "did:plc:bob" }),
      facet(text, "https://example.com/x", {
        $type: "app.bsky.richtext.facet#link",
        uri: "https://example.com/x",
      }),
      facet(text, "#design", { $type: "app.bsky.richtext.facet#tag", tag: "design" }),
    ]);
    expect(richText(text, facets)).toEqual([
      { text: "Café ☕ with " },
      { text: "@bob.test", href: "https://bsky.app/profile/did%3Aplc%3Abob", kind: "mention" },
      { text: " — see " },
      { text: "https://example.com/x", href: "https://example.com/x", kind: "link" },
      { text: " " },
      { text: "#design", href: "https://bsky.app/hashtag/design", kind: "tag" },
      { text: " " },
      // A community hashtag leads to the community's page here.
      { text: "#atr_1a2b3c4d", href: "/c/atr_1a2b3c4d", kind: "tag" },
    ]);
  });

  it("leaves text plain under facets that overlap, split a character, run past the end or link elsewhere than the web", () => {
    const text = "ab😀cd";
    const at = (byteStart: number, byteEnd: number, uri = "https://ok.example/") => ({
      index: { byteStart, byteEnd },
      features: [{ $type: "app.bsky.richtext.facet#link", uri }],
    });
    const facets = readFacets([
      at(0, 2),
      at(0, 6), // overlaps the first
      at(1, 3), // overlaps the first, and splits the emoji
      at(3, 5), // inside the emoji (bytes 2–5)
      at(6, 40), // past the end
      at(6, 8, "javascript:alert(1)"),
      at(6, 8, "data:text/html,<b>x</b>"),
      { index: { byteStart: "0", byteEnd: 1 }, features: [] },
    ]);
    expect(richText(text, facets)).toEqual([
      { text: "ab", href: "https://ok.example/", kind: "link" },
      { text: "😀cd" },
    ]);
    expect(webUrl("javascript:alert(1)")).toBeUndefined();
    expect(webUrl("https://example.com")).toBe("https://example.com/");
  });
});

describe("a record's embed", () => {
  it("shows images from the author's PDS with their alt text and shape, either blob form", () => {
    const record = {
      text: "two pictures",
      embed: {
        $type: "app.bsky.embed.images",
        images: [
          { image: blob(), alt: "A red door", aspectRatio: { width: 1200, height: 800 } },
          { image: { cid: CID, mimeType: "image/png" }, alt: "" },
          { image: { ref: { $link: "not a cid!" } }, alt: "broken" },
        ],
      },
    };
    expect(embedFromRecord(record, blobUrl)).toEqual({
      media: {
        images: [
          {
            src: blobUrl(CID),
            full: blobUrl(CID),
            alt: "A red door",
            aspectRatio: { width: 1200, height: 800 },
          },
          { src: blobUrl(CID), full: blobUrl(CID), alt: "" },
          // Kept, with no address: the page says the image is not available, with its alt text.
          { alt: "broken" },
        ],
      },
    });
    // A PDS the guard refused gives no image address at all.
    expect(embedFromRecord(record, () => undefined)?.media).toEqual({
      images: [
        { alt: "A red door", aspectRatio: { width: 1200, height: 800 } },
        { alt: "" },
        { alt: "broken" },
      ],
    });
  });

  it("shows a link card, a quoted post with media, and a link to an embedded feed", () => {
    const quoted = `at://${ALICE}/app.bsky.feed.post/3kquoted`;
    const card = {
      $type: "app.bsky.embed.external",
      external: {
        uri: "https://www.example.com/article",
        title: "An article",
        description: "About it",
        thumb: blob(),
      },
    };
    expect(embedFromRecord({ embed: card }, blobUrl)).toEqual({
      media: {
        external: {
          uri: "https://www.example.com/article",
          domain: "example.com",
          title: "An article",
          description: "About it",
          thumb: blobUrl(CID),
        },
      },
    });
    const withMedia = embedFromRecord(
      {
        embed: {
          $type: "app.bsky.embed.recordWithMedia",
          record: { record: { uri: quoted, cid: CID } },
          media: { $type: "app.bsky.embed.images", images: [{ image: blob(), alt: "pic" }] },
        },
      },
      blobUrl,
    );
    expect(withMedia?.media).toEqual({ images: [{ src: blobUrl(CID), full: blobUrl(CID), alt: "pic" }] });
    expect(withMedia?.quote).toMatchObject({
      uri: quoted,
      href: "https://bsky.app/profile/did%3Aplc%3Aalice/post/3kquoted",
    });
    const feed = `at://${ALICE}/app.bsky.feed.generator/3kfeed`;
    expect(
      embedFromRecord(
        { embed: { $type: "app.bsky.embed.record", record: { uri: feed, cid: CID } } },
        blobUrl,
      ),
    ).toEqual({
      record: {
        uri: feed,
        href: "https://bsky.app/profile/did%3Aplc%3Aalice/feed/3kfeed",
        label: "A feed on Bluesky",
      },
    });
    expect(embedFromRecord({ embed: card, text: "x" }, blobUrl)?.quote).toBeUndefined();
    expect(embedFromRecord({ text: "no embed" }, blobUrl)).toBeUndefined();
  });
});

describe("an AppView's embed view", () => {
  const author = {
    did: ALICE,
    handle: "alice.test",
    displayName: "Alice",
    avatar: "https://cdn.example/a.jpg",
  };
  const images = {
    $type: "app.bsky.embed.images#view",
    images: [{ thumb: "https://cdn.example/t.jpg", fullsize: "https://cdn.example/f.jpg", alt: "A door" }],
  };

  it("takes the image URLs, the quoted post and the media of a record with media", () => {
    const quoted = `at://${ALICE}/app.bsky.feed.post/3kq`;
    const view = embedFromView({
      $type: "app.bsky.embed.recordWithMedia#view",
      media: images,
      record: {
        $type: "app.bsky.embed.record#view",
        record: {
          $type: "app.bsky.embed.record#viewRecord",
          uri: quoted,
          cid: CID,
          author,
          value: { text: "quoted text", createdAt: "2026-01-01T00:00:00.000Z" },
          embeds: [images],
        },
      },
    });
    expect(view?.media).toEqual({
      images: [{ src: "https://cdn.example/t.jpg", full: "https://cdn.example/f.jpg", alt: "A door" }],
    });
    expect(view?.quote).toEqual({
      uri: quoted,
      href: "https://bsky.app/profile/alice.test/post/3kq",
      author,
      text: "quoted text",
      facets: [],
      createdAt: "2026-01-01T00:00:00.000Z",
      media: view?.media,
    });
  });

  it("says why a quoted post is not shown, and keeps no URL that is not http(s)", () => {
    const gone = embedFromView({
      $type: "app.bsky.embed.record#view",
      record: {
        $type: "app.bsky.embed.record#viewNotFound",
        uri: `at://${ALICE}/app.bsky.feed.post/3kx`,
        notFound: true,
      },
    });
    expect(gone?.quote?.unavailable).toBe("the quoted post was deleted");
    const hostile = embedFromView({
      $type: "app.bsky.embed.external#view",
      external: {
        uri: "javascript:alert(1)",
        title: "x",
        description: "",
        thumb: "https://cdn.example/t.jpg",
      },
    });
    expect(hostile).toBeUndefined();
  });
});

describe("a post as HTML", () => {
  const post: PostView = {
    uri: `at://${ALICE}/app.bsky.feed.post/3kp`,
    href: "https://bsky.app/profile/alice.test/post/3kp",
    cid: CID,
    author: { did: ALICE, handle: "alice.test", displayName: "Alice <A>", avatar: "https://pds.example/a" },
    text: "Hello",
    facets: [],
    createdAt: "2026-01-01T00:00:00.000Z",
    embed: {
      media: {
        images: [
          {
            src: "https://pds.example/1",
            full: "https://pds.example/1",
            alt: "",
            aspectRatio: { width: 400, height: 300 },
          },
          { alt: "lost <one>" },
        ],
      },
      quote: {
        uri: `at://${ALICE}/app.bsky.feed.post/3kq`,
        href: "https://bsky.app/profile/alice.test/post/3kq",
        author: { did: ALICE },
        facets: [],
        media: {
          external: {
            uri: "https://example.com/",
            domain: "example.com",
            title: "T",
            description: "",
            thumb: "https://pds.example/t",
          },
        },
      },
    },
    replyTo: {
      uri: `at://did:plc:bob/app.bsky.feed.post/3kr`,
      href: "https://bsky.app/profile/bob.test/post/3kr",
      author: { did: "did:plc:bob", handle: "bob.test" },
    },
    counts: { replies: 2, reposts: 0, quotes: 1, likes: 5 },
  };
  const markup = postItem(post).toString();
  const images = [...markup.matchAll(/<img [^>]*>/g)].map((m) => m[0]);

  it("gives every image fixed dimensions, lazy loading and alt text (or marks it decorative)", () => {
    expect(images).toHaveLength(3);
    for (const img of images) {
      expect(img).toMatch(/ width="\d+" height="\d+"/);
      expect(img).toContain('loading="lazy"');
      expect(img).toMatch(/ alt="[^"]*"/);
    }
    // The avatar and the card's thumbnail are decorative (their text is next to them); an image without a description says so.
    expect(images[0]).toContain(
      'class="avatar avatar-large" src="https://pds.example/a" width="40" height="40" alt=""',
    );
    // Two images share a grid of squares; a single one keeps its shape (within bounds).
    expect(images[1]).toContain('alt="Image (its author gave no description)" width="600" height="600"');
    const single = postItem({
      ...post,
      embed: {
        media: {
          images: [{ src: "https://pds.example/1", alt: "wide", aspectRatio: { width: 400, height: 300 } }],
        },
      },
    }).toString();
    expect(single).toContain('alt="wide" width="600" height="450"');
    expect(markup).toContain('role="img" aria-label="Image not available: lost &lt;one&gt;"');
    expect(imagesOf(post)).toEqual([
      "https://pds.example/a",
      "https://pds.example/1",
      "https://pds.example/t",
    ]);
  });

  it("names the author, the post it replies to, and the counts, and links to Bluesky", () => {
    expect(markup).toContain(
      '<span class="display-name">Alice &lt;A&gt;</span> <span class="handle">@alice.test</span>',
    );
    expect(markup).toContain(
      'Replying to <a class="person" href="https://bsky.app/profile/bob.test">@bob.test</a>',
    );
    expect(markup).toContain("2 replies · 0 reposts · 1 quote · 5 likes");
    expect(markup).toContain('<a class="post-time" href="https://bsky.app/profile/alice.test/post/3kp">');
    expect(markup).toContain(
      '<blockquote class="quote" cite="https://bsky.app/profile/alice.test/post/3kq">',
    );
  });
});
