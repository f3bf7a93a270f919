// Posts on a community page as a real PDS stores them, each embed kind: an
// image (a real uploaded blob, served by the author's PDS), a link card, a
// quote, a quote with media, a reply; the author's name and avatar from their
// profile record; facets as links. Then the same records through a DID whose
// PDS the address guard refuses: no address of it reaches the page.
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { AppContext } from "../../src/context.ts";
import { pdsAuthors } from "../../src/web/server/authors.ts";
import { Hydrator } from "../../src/web/server/hydrate.ts";
import { pdsSource } from "../../src/web/server/sources/pds.ts";
import { imagesOf, type PostView } from "../../src/web/shared/post.ts";
import { gradientPng } from "../fixtures/png.ts";
import { configWith } from "./helpers/config.ts";
import { type Account, createAccount, startPds, writeRecord } from "./helpers/network.ts";

const ORIGIN = "https://feeds.test";
const hex = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("");

async function indexed(account: Account, collection: string, record: Record<string, unknown>) {
  const written = await writeRecord(account, collection, record);
  const res = await SELF.fetch(`${ORIGIN}/xrpc/com.atrarium.sync.requestIndex`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ uri: written.uri }),
  });
  expect(((await res.json()) as { status: string }).status).toBe("indexed");
  return written;
}

async function upload(account: Account, seed: number) {
  const { data } = await account.agent.uploadBlob(gradientPng(64, 48, seed), { encoding: "image/png" });
  return { ref: data.blob, cid: data.blob.ref.toString() };
}

/** The `<li>` of one post in the page. */
function item(html: string, uri: string): string {
  const start = html.indexOf(`<li class="post" data-uri="${uri}"`);
  expect(start, `post ${uri} on the page`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf("\n</li>", start));
}

describe("posts on a community page, from the records a PDS stores", () => {
  let pds: string;
  let alice: Account;
  let bob: Account;
  let hashtag: string;
  let html: string;
  let csp: string;
  const blobUrl = (did: string, cid: string) =>
    `${pds}/xrpc/com.atproto.sync.getBlob?did=${encodeURIComponent(did)}&amp;cid=${cid}`;
  const uris: Record<string, string> = {};
  const cids: Record<string, string> = {};

  beforeAll(async () => {
    pds = await startPds();
    [alice, bob] = await Promise.all([createAccount(pds, "alice"), createAccount(pds, "bob")]);
    hashtag = `#atr_${hex()}`;
    const [avatar, picture, thumb, second] = await Promise.all([
      upload(alice, 1),
      upload(alice, 2),
      upload(alice, 3),
      upload(bob, 4),
    ]);
    Object.assign(cids, { avatar: avatar.cid, picture: picture.cid, thumb: thumb.cid, second: second.cid });
    await alice.agent.com.atproto.repo.putRecord({
      repo: alice.did,
      collection: "app.bsky.actor.profile",
      rkey: "self",
      record: { $type: "app.bsky.actor.profile", displayName: "Alice Example", avatar: avatar.ref },
    });
    const config = await indexed(alice, "com.atrarium.community.config", {
      name: "Posts",
      hashtag,
      stage: "theme",
      createdAt: new Date().toISOString(),
    });
    for (const member of [alice, bob]) {
      await indexed(member, "com.atrarium.community.membership", {
        community: config.uri,
        role: "member",
        joinedAt: new Date().toISOString(),
      });
    }
    const now = () => new Date().toISOString();
    const text = `A picture ${hashtag}`;
    const tag = { byteStart: text.indexOf("#"), byteEnd: text.length };
    const image = await indexed(alice, "app.bsky.feed.post", {
      text,
      facets: [{ index: tag, features: [{ $type: "app.bsky.richtext.facet#tag", tag: hashtag.slice(1) }] }],
      embed: {
        $type: "app.bsky.embed.images",
        images: [
          {
            image: picture.ref,
            alt: "A gradient, from dark to light",
            aspectRatio: { width: 64, height: 48 },
          },
        ],
      },
      createdAt: now(),
    });
    const card = await indexed(alice, "app.bsky.feed.post", {
      text: `Read this ${hashtag}`,
      embed: {
        $type: "app.bsky.embed.external",
        external: {
          uri: "https://www.example.com/article",
          title: "An article worth reading",
          description: "What it is about",
          thumb: thumb.ref,
        },
      },
      createdAt: now(),
    });
    const quote = await indexed(bob, "app.bsky.feed.post", {
      text: `Look at this ${hashtag}`,
      embed: { $type: "app.bsky.embed.record", record: { uri: image.uri, cid: image.cid } },
      createdAt: now(),
    });
    const withMedia = await indexed(bob, "app.bsky.feed.post", {
      text: `Mine too ${hashtag}`,
      embed: {
        $type: "app.bsky.embed.recordWithMedia",
        record: { $type: "app.bsky.embed.record", record: { uri: card.uri, cid: card.cid } },
        media: { $type: "app.bsky.embed.images", images: [{ image: second.ref, alt: "Bob's picture" }] },
      },
      createdAt: now(),
    });
    const reply = await indexed(bob, "app.bsky.feed.post", {
      text: `Nice one ${hashtag}`,
      reply: { root: { uri: image.uri, cid: image.cid }, parent: { uri: image.uri, cid: image.cid } },
      createdAt: now(),
    });
    Object.assign(uris, {
      image: image.uri,
      card: card.uri,
      quote: quote.uri,
      withMedia: withMedia.uri,
      reply: reply.uri,
    });
    const res = await SELF.fetch(`${ORIGIN}/c/${hashtag.slice(1)}`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    csp = res.headers.get("content-security-policy") ?? "";
    html = await res.text();
  });

  it("shows an image with its alt text, lazy and with fixed dimensions, read from the author's PDS", async () => {
    const post = item(html, uris.image as string);
    expect(post).toContain(
      `<img src="${blobUrl(alice.did, cids.picture as string)}" alt="A gradient, from dark to light" width="600" height="450" loading="lazy"`,
    );
    // The URL on the page serves the uploaded PNG.
    const image = await fetch(blobUrl(alice.did, cids.picture as string).replace("&amp;", "&"));
    expect(image.status).toBe(200);
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(gradientPng(64, 48, 2));
    // The page may load images from that PDS, and from nowhere else.
    expect(csp).toContain(`img-src 'self' data: ${new URL(pds).origin};`);
  });

  it("names the author with the profile's display name and avatar, and links the hashtag facet", () => {
    const post = item(html, uris.image as string);
    expect(post).toContain(
      `<img class="avatar avatar-large" src="${blobUrl(alice.did, cids.avatar as string)}" width="40" height="40" alt=""`,
    );
    expect(post).toContain(
      `<span class="display-name">Alice Example</span> <span class="handle">@${alice.handle}</span>`,
    );
    expect(post).toContain(`<a class="facet-tag" href="/c/${hashtag.slice(1)}">${hashtag}</a>`);
  });

  it("shows a link card with its title, description, site and thumbnail", () => {
    const post = item(html, uris.card as string);
    expect(post).toContain(
      '<a class="card-link" href="https://www.example.com/article" rel="nofollow ugc noopener">',
    );
    expect(post).toContain(
      `<img class="card-thumb" src="${blobUrl(alice.did, cids.thumb as string)}" alt=""`,
    );
    expect(post).toContain('<span class="card-title">An article worth reading</span>');
    expect(post).toContain('<span class="card-description">What it is about</span>');
    expect(post).toContain('<span class="card-domain">example.com</span>');
  });

  it("shows a quoted post with its author, text and image", () => {
    const post = item(html, uris.quote as string);
    const quote = post.slice(post.indexOf("<blockquote"));
    expect(quote).toContain(`<blockquote class="quote" cite="https://bsky.app/profile/${alice.handle}/post/`);
    expect(quote).toContain("Alice Example");
    expect(quote).toContain(`>A picture <a class="facet-tag"`);
    expect(quote).toContain(
      `src="${blobUrl(alice.did, cids.picture as string)}" alt="A gradient, from dark to light"`,
    );
  });

  it("shows a quote with media: the media, then the quoted link card", () => {
    const post = item(html, uris.withMedia as string);
    const media = post.indexOf(`src="${blobUrl(bob.did, cids.second as string)}" alt="Bob&#39;s picture"`);
    const quoted = post.indexOf("<blockquote");
    expect(media).toBeGreaterThan(-1);
    expect(quoted).toBeGreaterThan(media);
    // The page's first posts are in view at once: their images are not held back.
    expect(post).toMatch(/alt="Bob&#39;s picture" width="600" height="600" loading="eager"/);
    expect(post.slice(quoted)).toContain('<span class="card-title">An article worth reading</span>');
  });

  it("says which post a reply answers", () => {
    const post = item(html, uris.reply as string);
    const rkey = (uris.image as string).split("/").pop();
    expect(post).toContain(
      `<p class="post-reply">Replying to <a class="person" href="https://bsky.app/profile/${alice.handle}">@${alice.handle}</a> (<a href="https://bsky.app/profile/${alice.handle}/post/${rkey}">their post</a>)</p>`,
    );
  });

  it("makes no image address of a PDS the address guard refuses", async () => {
    // The post itself read as local development allows; the authors' PDSes judged as production does,
    // where a PDS on localhost is a private address.
    const open = new AppContext(configWith({}), env);
    const guarded = new AppContext(configWith({ ALLOW_PRIVATE_PDS: "false" }), env);
    const hydrator = new Hydrator(pdsSource(open), { authors: pdsAuthors(guarded) });
    const [post] = await hydrator.posts([uris.image as string]);
    expect(post?.text).toBe(`A picture ${hashtag}`);
    expect(post?.embed?.media).toEqual({
      images: [{ alt: "A gradient, from dark to light", aspectRatio: { width: 64, height: 48 } }],
    });
    expect(post?.author.avatar).toBeUndefined();
    expect(imagesOf(post as PostView)).toEqual([]);
  });
});
