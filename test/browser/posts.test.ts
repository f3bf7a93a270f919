// Posts in Chromium as people know them, from records a dev-env PDS really
// stores: an image (a real uploaded blob, shown from the author's PDS), a link
// card, a quote and a reply; and a community page with 20 image posts, whose
// Largest Contentful Paint is measured (printed, not asserted) while nothing
// may move as its images arrive.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradientPng } from "../fixtures/png.ts";
import { layoutShift, seriousViolations, watchLayoutShifts } from "./chromium.ts";
import { BrowserStack, checkPage, type Person } from "./stack.ts";

let web: BrowserStack;
let alice: Person;
let bob: Person;

const hex = () => Math.random().toString(16).slice(2, 10).padEnd(8, "0");

/** Writes a record into the person's repo and has the Worker index it now. */
async function write(who: Person, collection: string, record: Record<string, unknown>) {
  const { data } = await who.agent.com.atproto.repo.createRecord({
    repo: who.did,
    collection,
    record: { $type: collection, ...record },
  });
  expect(await web.index(data.uri), `indexing ${data.uri}`).toBe("indexed");
  return { uri: data.uri, cid: data.cid };
}

async function picture(who: Person, seed: number, width = 800, height = 600) {
  const { data } = await who.agent.uploadBlob(gradientPng(width, height, seed), { encoding: "image/png" });
  return data.blob;
}

/** A community owned by Alice, with Bob as a member; its page. */
async function newCommunity(name: string, description?: string): Promise<{ hashtag: string; url: string }> {
  const hashtag = `#atr_${hex()}`;
  const config = await write(alice, "com.atrarium.community.config", {
    name,
    ...(description ? { description } : {}),
    hashtag,
    stage: "theme",
    createdAt: new Date().toISOString(),
  });
  for (const member of [alice, bob]) {
    await write(member, "com.atrarium.community.membership", {
      community: config.uri,
      role: "member",
      joinedAt: new Date().toISOString(),
    });
  }
  return { hashtag, url: `${web.workerUrl}/c/${hashtag.slice(1)}` };
}

/** Every image of the page has an alt attribute (text, or empty for a decorative one). */
const imagesWithoutAlt = (page: Page) =>
  page.evaluate(() => [...document.images].filter((img) => !img.hasAttribute("alt")).map((img) => img.src));

beforeAll(async () => {
  web = await BrowserStack.start();
  [alice, bob] = await Promise.all([web.person("alice"), web.person("bob")]);
  await alice.agent.com.atproto.repo.putRecord({
    repo: alice.did,
    collection: "app.bsky.actor.profile",
    rkey: "self",
    record: {
      $type: "app.bsky.actor.profile",
      displayName: "Alice Example",
      avatar: await picture(alice, 0, 96, 96),
    },
  });
}, 180_000);

afterAll(async () => {
  await web?.close();
});

describe("posts in Chromium", { timeout: 120_000 }, () => {
  it("shows an image, a link card, a quote and a reply from real records", async () => {
    // Also the README's screenshots (docs/web-community-*.png come from community-posts-*.png).
    const { hashtag, url } = await newCommunity("Design Community", "Typography, colour and layout.");
    const image = await write(alice, "app.bsky.feed.post", {
      text: `A gradient for the new poster series ${hashtag}`,
      embed: {
        $type: "app.bsky.embed.images",
        images: [
          {
            image: await picture(alice, 1),
            alt: "A gradient from dark to light",
            aspectRatio: { width: 800, height: 600 },
          },
        ],
      },
      createdAt: new Date().toISOString(),
    });
    await write(alice, "app.bsky.feed.post", {
      text: `Worth reading before Thursday ${hashtag}`,
      embed: {
        $type: "app.bsky.embed.external",
        external: {
          uri: "https://example.com/article",
          title: "An article worth reading",
          description: "Grids, baselines and why they still matter",
          thumb: await picture(alice, 2, 600, 314),
        },
      },
      createdAt: new Date().toISOString(),
    });
    await write(bob, "app.bsky.feed.post", {
      text: `Look at this one ${hashtag}`,
      embed: { $type: "app.bsky.embed.record", record: image },
      createdAt: new Date().toISOString(),
    });
    await write(bob, "app.bsky.feed.post", {
      text: `Lovely colours! ${hashtag}`,
      reply: { root: image, parent: image },
      createdAt: new Date().toISOString(),
    });

    const page = await web.newPage();
    await page.goto(url);
    const post = (text: string) => page.locator("#feed > ol > .post", { hasText: text });
    const imagePost = page.locator(`#feed .post[data-uri="${image.uri}"]`);
    // The image, from Alice's PDS, with its alt text; it loaded (the page's CSP allows its origin).
    const shown = imagePost.locator(".post-body > .embed img");
    await shown.scrollIntoViewIfNeeded();
    await expect
      .poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(800);
    expect(await shown.getAttribute("alt")).toBe("A gradient from dark to light");
    expect(await shown.getAttribute("src")).toContain(
      `${new URL(web.stack.pds.url).origin}/xrpc/com.atproto.sync.getBlob?`,
    );
    await imagePost.getByRole("link", { name: "Alice Example @alice.test" }).waitFor();
    // The link card.
    const card = post("Worth reading").getByRole("link", { name: /An article worth reading/ });
    expect(await card.getAttribute("href")).toBe("https://example.com/article");
    expect(await card.textContent()).toContain("example.com");
    // The quote, with the quoted post's author, text and image.
    const quote = post("Look at this one").locator("blockquote.quote");
    expect(await quote.textContent()).toContain("A gradient");
    expect(await quote.textContent()).toContain("@alice.test");
    expect(await quote.getByRole("img", { name: "A gradient from dark to light" }).count()).toBe(1);
    // The reply.
    expect(await post("Lovely").locator(".post-reply").textContent()).toBe(
      "Replying to @alice.test (their post)",
    );
    expect(await imagesWithoutAlt(page)).toEqual([]);
    await checkPage(page, "community-posts");
  });

  it("paints a community page with 20 image posts quickly, and nothing moves as the images arrive", async () => {
    const { hashtag, url } = await newCommunity("Pictures");
    for (let i = 0; i < 20; i++) {
      const author = i % 2 === 0 ? alice : bob;
      await write(author, "app.bsky.feed.post", {
        text: `Picture ${i + 1} ${hashtag}`,
        embed: {
          $type: "app.bsky.embed.images",
          images: [
            {
              image: await picture(author, 10 + i),
              alt: `Picture ${i + 1}`,
              aspectRatio: { width: 800, height: 600 },
            },
          ],
        },
        createdAt: new Date().toISOString(),
      });
    }
    const page = await web.newPage();
    await watchLayoutShifts(page);
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number };
      w.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__lcp = Math.max(w.__lcp, entry.startTime);
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    await page.goto(url, { waitUntil: "load" });
    expect(await page.locator("#feed .post").count()).toBe(20);
    // Wait for the images in view to have loaded, then for two frames, so the last candidate is painted.
    await page.waitForFunction(() =>
      [...document.images]
        .filter((img) => img.getBoundingClientRect().top < innerHeight)
        .every((img) => img.complete && img.naturalWidth > 0),
    );
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    const lcp = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp);
    const firstByte = await page.evaluate(
      () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).responseStart,
    );
    console.log(
      `LCP of a community page with 20 image posts: ${lcp.toFixed(0)} ms (first byte of the page at ${firstByte.toFixed(0)} ms)`,
    );
    expect(lcp).toBeGreaterThan(0);
    // Images further down load as they come into view, in boxes reserved for them.
    const pictures = page.locator("#feed .images img");
    for (let i = 0; i < (await pictures.count()); i++) {
      await pictures.nth(i).scrollIntoViewIfNeeded();
      await page.waitForFunction(
        (img) => (img as HTMLImageElement).complete,
        await pictures.nth(i).elementHandle(),
      );
    }
    expect(await layoutShift(page)).toBeLessThan(0.01);
    expect(await imagesWithoutAlt(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
