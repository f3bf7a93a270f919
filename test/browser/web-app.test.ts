// The web app in a real browser (headless Chromium), against the whole local
// stack: a PDS and PLC, the Jetstream bridge, the Worker under wrangler dev.
// People sign in through the dev PDS's own OAuth pages; every record is
// written by the browser into the signed-in person's own repo.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AtpAgent } from "@atproto/api";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local-stack.ts";
import {
  DESKTOP,
  launchChromium,
  layoutShift,
  overflowsSideways,
  PHONE,
  screenshot,
  seriousViolations,
  watchLayoutShifts,
} from "./chromium.ts";

interface Person {
  handle: string;
  password: string;
  did: string;
  agent: AtpAgent;
}

let stack: LocalStack;
let persistDir: string;
let browser: Browser;
let alice: Person;
let bob: Person;
let carol: Person;
/** The community's page, as Alice would share it. */
let communityUrl: string;
const contexts: BrowserContext[] = [];
const ADMIN_PASSWORD = "web-admin-password";

async function person(name: string): Promise<Person> {
  const agent = new AtpAgent({ service: stack.pds.url });
  const handle = `${name}.test`;
  const password = `${name}-password`;
  await agent.createAccount({ handle, email: `${name}@example.test`, password });
  return { handle, password, did: agent.assertDid, agent };
}

async function newPage(
  options: { viewport?: typeof DESKTOP; javaScriptEnabled?: boolean; colorScheme?: "dark" } = {},
) {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Through the app's sign-in page and the PDS's own sign-in and consent pages, back to `next`. */
async function signIn(page: Page, who: Person): Promise<void> {
  await page.getByLabel("Your handle").fill(who.handle);
  await page.getByRole("button", { name: "Sign in with Bluesky" }).click();
  await page.waitForURL((url) => url.origin === new URL(stack.pds.url).origin);
  await page.getByRole("textbox", { name: "Password" }).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The consent page shows our permission sets (resolved from the published lexicons), one line each.
  await page.getByText("Take part in Atrarium communities").first().waitFor();
  await page.getByRole("button", { name: "Authorize" }).click();
  await page.waitForURL((url) => url.origin === stack.workerUrl && url.pathname !== "/oauth/callback");
  await page.locator("#account").getByText(`@${who.handle}`).waitFor();
}

const postTexts = (page: Page) => page.locator("#feed .post-text").allTextContents();

async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  // A message from the last action would cover the page in its screenshots: dismiss it.
  const toast = page.locator("#toast");
  if (await toast.isVisible()) {
    await toast.getByRole("button", { name: "Dismiss" }).click();
    await toast.waitFor({ state: "hidden" });
  }
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  expect(await overflowsSideways(page), `${name} scrolls sideways on a phone`).toBe(false);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

beforeAll(async () => {
  persistDir = mkdtempSync(join(tmpdir(), "atrarium-web-"));
  stack = await startLocalStack({ persistDir, adminPassword: ADMIN_PASSWORD });
  const started = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.startFirehose`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}` },
  });
  expect(started.status).toBe(200);
  [alice, bob, carol] = await Promise.all([person("alice"), person("bob"), person("carol")]);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await stack?.close();
  rmSync(persistDir, { recursive: true, force: true });
});

describe("the web app in Chromium", { timeout: 90_000 }, () => {
  let alicePage: Page;

  it("lets Alice sign in with OAuth, create a community and post to it", async () => {
    alicePage = await newPage();
    await alicePage.goto(`${stack.workerUrl}/`);
    await checkPage(alicePage, "home-signed-out");
    await alicePage.getByRole("link", { name: "Sign in" }).first().click();
    await checkPage(alicePage, "signin");
    await signIn(alicePage, alice);
    expect(new URL(alicePage.url()).pathname).toBe("/");
    await checkPage(alicePage, "home-signed-in");

    await alicePage.getByLabel("Name").fill("Design Community");
    await alicePage.getByLabel("Description (optional)").fill("Typography, colour & <layout>.");
    await alicePage.getByRole("button", { name: "Create community" }).click();
    await alicePage.waitForURL(/\/c\/atr_[0-9a-f]{8}$/);
    communityUrl = alicePage.url();
    await alicePage.getByRole("heading", { level: 1, name: "Design Community" }).waitFor();
    await expect.poll(() => alicePage.locator("#join-button").textContent()).toBe("Leave");

    await alicePage.getByLabel(/Your post/).fill("Welcome to Design Community!");
    await alicePage.getByRole("button", { name: "Post", exact: true }).click();
    await expect
      .poll(() => postTexts(alicePage))
      .toEqual([expect.stringMatching(/^Welcome to Design Community! #atr_/)]);
    // The post is Alice's own record, with the hashtag facet over its UTF-8 bytes.
    const { data } = await alice.agent.com.atproto.repo.listRecords({
      repo: alice.did,
      collection: "app.bsky.feed.post",
    });
    const record = data.records[0]?.value as {
      text: string;
      facets: { index: { byteStart: number; byteEnd: number } }[];
    };
    const bytes = new TextEncoder().encode(record.text);
    const tag = new TextDecoder().decode(
      bytes.slice(record.facets[0]?.index.byteStart, record.facets[0]?.index.byteEnd),
    );
    expect(communityUrl.endsWith(tag.slice(1))).toBe(true);
    await checkPage(alicePage, "community-owner");
  });

  it("lets Bob open the shared link, sign in, join and post, with the keyboard alone", async () => {
    const page = await newPage();
    await watchLayoutShifts(page);
    await page.goto(communityUrl);
    await checkPage(page, "community-signed-out");
    await page.getByRole("link", { name: "Join" }).click();
    await signIn(page, bob);
    expect(page.url()).toBe(communityUrl);
    // Signing-in state arrives after the page: nothing may move.
    await expect.poll(() => page.locator("#join-button").textContent()).toBe("Join");
    expect(await layoutShift(page)).toBeLessThan(0.01);

    await page.getByRole("button", { name: "Join" }).click();
    await expect.poll(() => page.locator("#join-button").textContent()).toBe("Leave");
    await expect.poll(() => page.locator("#facts").textContent()).toContain("2 members");

    // Keyboard only, on a fresh load: the skip link comes first, then Tab reaches the post box and Post.
    await page.reload();
    await expect.poll(() => page.locator("#join-button").textContent()).toBe("Leave");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    for (let i = 0; i < 30; i++) {
      if (await page.evaluate(() => document.activeElement?.id === "post-text")) break;
      await page.keyboard.press("Tab");
    }
    await page.keyboard.type("Hello from Bob, typed without a mouse");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Post");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => postTexts(page))
      .toContainEqual(expect.stringMatching(/^Hello from Bob, typed without a mouse #atr_/));
    await checkPage(page, "community-member");
  });

  it("keeps Carol's hashtagged post out: she is not a member", async () => {
    const hashtag = `#${communityUrl.split("/c/")[1]}`;
    const { data } = await carol.agent.com.atproto.repo.createRecord({
      repo: carol.did,
      collection: "app.bsky.feed.post",
      record: {
        $type: "app.bsky.feed.post",
        text: `Carol was here ${hashtag}`,
        createdAt: new Date().toISOString(),
      },
    });
    const indexed = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.sync.requestIndex`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uri: data.uri }),
    });
    expect(((await indexed.json()) as { status: string }).status).toBe("rejected");
    await alicePage.reload();
    const texts = await postTexts(alicePage);
    expect(texts).toHaveLength(2);
    expect(texts.join("\n")).not.toContain("Carol was here");
  });

  it("lets Alice hide Bob's post from the page, and shows it in the moderation log", async () => {
    await alicePage.reload();
    const bobsPost = alicePage.locator("#feed .post", { hasText: "Hello from Bob" });
    await bobsPost.getByRole("button", { name: "Hide" }).click();
    await expect
      .poll(() => postTexts(alicePage))
      .toEqual([expect.stringMatching(/^Welcome to Design Community!/)]);

    await alicePage.goto(`${communityUrl}/manage`);
    const log = alicePage.locator("#moderation-log");
    await expect
      .poll(() => log.textContent(), { timeout: 15_000 })
      .toContain("@alice.test hid a post by @bob.test");
    expect(await log.textContent()).toContain("in effect");
    await checkPage(alicePage, "manage");
  });

  it("serves the public page without JavaScript, with its link-card tags", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(communityUrl);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Design Community");
    expect(await postTexts(page)).toEqual([expect.stringMatching(/^Welcome to Design Community!/)]);
    const tag = (property: string) =>
      page.locator(`meta[property="${property}"], meta[name="${property}"]`).getAttribute("content");
    expect(await tag("og:title")).toBe("Design Community");
    expect(await tag("og:description")).toMatch(
      /^Typography, colour & <layout>\. — 2 members · 1 post this week · #atr_/,
    );
    expect(await tag("og:url")).toBe(communityUrl);
    expect(await tag("twitter:card")).toBe("summary");
    expect(await page.title()).toBe("Design Community · Atrarium");
  });

  it("lets Alice edit the details, add a moderator and undo the hide from the manage page", async () => {
    await alicePage.goto(`${communityUrl}/manage`);
    await alicePage.getByLabel("Description").fill("Typography and colour.");
    await alicePage.getByRole("button", { name: "Save details" }).click();
    await alicePage.getByText("Saved.").waitFor();
    await alicePage.getByLabel("Handle or DID").fill("bob.test");
    await alicePage.getByRole("button", { name: "Add moderator" }).click();
    await expect.poll(() => alicePage.locator("#moderator-list").textContent()).toContain("@bob.test");
    const log = alicePage.locator("#moderation-log");
    await log.getByRole("button", { name: "Unhide" }).click();
    await expect.poll(() => log.textContent()).toContain("@alice.test showed again a post by @bob.test");

    await alicePage.goto(communityUrl);
    expect(await alicePage.locator(".description").textContent()).toBe("Typography and colour.");
    expect(await postTexts(alicePage)).toHaveLength(2);
    expect(await alicePage.locator(".moderated-by").textContent()).toContain("@bob.test");
    // The feed record in Alice's repo follows the new description.
    const feeds = await alice.agent.com.atproto.repo.listRecords({
      repo: alice.did,
      collection: "app.bsky.feed.generator",
    });
    const feed = feeds.data.records[0]?.value as { description?: string } | undefined;
    expect(feed?.description).toMatch(/^Typography and colour\./);
  });

  it("answers an unknown community with a page that says so", async () => {
    const page = await newPage();
    const res = await page.goto(`${stack.workerUrl}/c/atr_00000000`);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Not found");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("follows the system's dark mode", async () => {
    const page = await newPage({ colorScheme: "dark" });
    await page.goto(communityUrl);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(15, 20, 25)");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "community-dark-desktop");
  });
});
