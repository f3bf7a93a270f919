// The web app in a real browser (headless Chromium), against the whole local
// stack: a PDS and PLC, the Jetstream bridge, the Worker under wrangler dev.
// People sign in through the dev PDS's own OAuth pages; every record is
// written by the browser into the signed-in person's own repo.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { layoutShift, screenshot, seriousViolations, watchLayoutShifts } from "./chromium.ts";
import { BrowserStack, checkPage, type Person } from "./stack.ts";

let web: BrowserStack;
let alice: Person;
let bob: Person;
let carol: Person;
/** The community's page, as Alice would share it. */
let communityUrl: string;
/** Its feed (at://…/app.bsky.feed.generator/…), as the page after "Create" gives it. */
let feedUri: string;

const postTexts = (page: Page) => page.locator("#feed .post-text").allTextContents();

beforeAll(async () => {
  web = await BrowserStack.start();
  [alice, bob, carol] = await Promise.all([web.person("alice"), web.person("bob"), web.person("carol")]);
}, 180_000);

afterAll(async () => {
  await web?.close();
});

describe("the web app in Chromium", { timeout: 90_000 }, () => {
  let alicePage: Page;

  it("lets Alice sign in with OAuth, create a community, see what to do next, and post to it", async () => {
    alicePage = await web.newPage();
    await alicePage.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await alicePage.goto(`${web.workerUrl}/`);
    // Signed out: a way to sign in, not a greyed-out form.
    await alicePage.getByRole("link", { name: "Sign in to create a community" }).waitFor();
    expect(await alicePage.locator("#create-form").count()).toBe(0);
    await checkPage(alicePage, "home-signed-out");
    await alicePage.getByRole("link", { name: "Sign in" }).first().click();
    await checkPage(alicePage, "signin");
    await web.signIn(alicePage, alice);
    expect(new URL(alicePage.url()).pathname).toBe("/");
    await alicePage.getByLabel("Name").waitFor();
    await checkPage(alicePage, "home-signed-in");

    await alicePage.getByLabel("Name").fill("Design Community");
    await alicePage.getByLabel("Description (optional)").fill("Typography, colour & <layout>.");
    await alicePage.getByRole("button", { name: "Create community" }).click();
    // What to do next: the link to share, the feed (its at:// URI: a local instance), how members join.
    await alicePage.waitForURL(/\/c\/atr_[0-9a-f]{8}\/start$/);
    await alicePage.getByRole("heading", { level: 1, name: "Design Community is ready" }).waitFor();
    communityUrl = alicePage.url().replace(/\/start$/, "");
    expect(await alicePage.getByLabel("The community's link").inputValue()).toBe(communityUrl);
    await alicePage.getByRole("button", { name: "Copy link" }).click();
    await alicePage.getByText("Link copied.").waitFor();
    expect(await alicePage.evaluate(() => navigator.clipboard.readText())).toBe(communityUrl);
    feedUri = (await alicePage.locator(".start code").textContent()) ?? "";
    expect(feedUri).toMatch(new RegExp(`^at://${alice.did}/app\\.bsky\\.feed\\.generator/`));
    await alicePage
      .getByText("They open the link, sign in with their Bluesky account and press Join.")
      .waitFor();
    await checkPage(alicePage, "start");

    await alicePage.getByRole("link", { name: "← Design Community" }).click();
    await alicePage.getByRole("heading", { level: 1, name: "Design Community" }).waitFor();
    // The owner: Manage in the header, no Leave.
    await alicePage.locator("#composer-note").getByText("Posting as @alice.test.").waitFor();
    await alicePage.locator("#community-actions").getByRole("link", { name: "Manage" }).waitFor();
    expect(await alicePage.locator("#join-button").count()).toBe(0);

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
    // The facet is a link to the community's page.
    expect(await alicePage.locator("#feed .post-text a.facet-tag").getAttribute("href")).toBe(
      new URL(communityUrl).pathname,
    );
    await checkPage(alicePage, "community-owner");
  });

  it("lets Bob open the shared link, sign in, join and post, with the keyboard alone", async () => {
    const page = await web.newPage();
    await watchLayoutShifts(page);
    await page.goto(communityUrl);
    await checkPage(page, "community-signed-out");
    await page.getByRole("link", { name: "Join" }).click();
    await web.signIn(page, bob);
    expect(page.url()).toBe(communityUrl);
    // Signing-in state arrives after the page: nothing may move.
    await expect.poll(() => page.locator("#join-button").textContent()).toBe("Join");
    expect(await layoutShift(page)).toBeLessThan(0.01);
    // Manage is for the owner and moderators.
    expect(await page.locator("#manage-link").count()).toBe(0);

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
    const indexed = await fetch(`${web.workerUrl}/xrpc/com.atrarium.sync.requestIndex`, {
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
    const page = await web.newPage({ javaScriptEnabled: false });
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
    await alicePage.getByLabel("Handle or DID", { exact: true }).fill("bob.test");
    await alicePage.getByRole("button", { name: "Add moderator" }).click();
    await expect.poll(() => alicePage.locator("#moderator-list").textContent()).toContain("@bob.test");
    const log = alicePage.locator("#moderation-log");
    await log.getByRole("button", { name: "Unhide" }).click();
    await expect.poll(() => log.textContent()).toContain("@alice.test showed again a post by @bob.test");
    // The hide is marked undone, with who undid it, and can no longer be undone.
    const hide = log.locator(".row", { hasText: "hid a post by @bob.test" });
    await expect.poll(() => hide.getAttribute("class")).toBe("row undone");
    expect(await hide.locator(".row-meta").textContent()).toMatch(/ · undone by @alice\.test /);
    expect(await hide.getByRole("button").count()).toBe(0);
    await checkPage(alicePage, "manage-undone");

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

  it("gives Bob, now a moderator, Manage next to Leave", async () => {
    const page = await web.newPage();
    await page.goto(`${web.workerUrl}/signin?next=${encodeURIComponent(new URL(communityUrl).pathname)}`);
    await web.signIn(page, bob);
    await expect.poll(() => page.locator("#join-button").textContent()).toBe("Leave");
    await page.locator("#community-actions").getByRole("link", { name: "Manage" }).waitFor();
  });

  it("shows the owner how the community is doing: the chart and the weeks, with the right totals", async () => {
    await alicePage.goto(`${communityUrl}/manage`);
    const stats = alicePage.locator("#stats");
    // Alice's and Bob's posts entered the feed (Carol's did not); two members joined; one hide.
    expect(await stats.locator("figcaption").textContent()).toMatch(
      /^2 posts in the last 30 days; 2 members now, 0 members on /,
    );
    expect(await stats.locator("svg rect.chart-bar").count()).toBe(30);
    expect(await stats.getByRole("img").getAttribute("aria-labelledby")).toBe("chart-title chart-summary");
    const thisWeek = stats.locator("table.weeks tbody tr").first();
    expect(await thisWeek.locator("td").allTextContents()).toEqual(["2", "2", "0", "1"]);
    expect(await seriousViolations(alicePage)).toEqual([]);
    await screenshot(alicePage, "manage-stats-desktop");
  });

  it("answers an unknown community with a page that says so", async () => {
    const page = await web.newPage();
    const res = await page.goto(`${web.workerUrl}/c/atr_00000000`);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Not found");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("follows the system's dark mode", async () => {
    const page = await web.newPage({ colorScheme: "dark" });
    await page.goto(communityUrl);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(15, 20, 25)");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "community-dark-desktop");
  });

  it("lets Alice delete the community, after asking: the feed then answers UnknownFeed", async () => {
    await alicePage.goto(`${communityUrl}/manage`);
    const open = alicePage.getByRole("button", { name: "Delete this community…" });
    const dialog = alicePage.getByRole("dialog", { name: "Delete Design Community?" });
    // Keeping it deletes nothing.
    await open.click();
    await dialog.getByRole("button", { name: "Keep it" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await alicePage.goto(communityUrl))?.status()).toBe(200);

    await alicePage.goto(`${communityUrl}/manage`);
    await open.click();
    expect(await seriousViolations(alicePage)).toEqual([]);
    await dialog.getByRole("button", { name: "Delete the community" }).click();
    await alicePage.waitForURL(`${web.workerUrl}/`);
    await alicePage.getByText("Deleted “Design Community”.").waitFor();
    // Gone from Alice's repo: the config, the feed record, her membership.
    for (const collection of [
      "com.atrarium.community.config",
      "app.bsky.feed.generator",
      "com.atrarium.community.membership",
    ]) {
      const { data } = await alice.agent.com.atproto.repo.listRecords({ repo: alice.did, collection });
      expect(data.records, collection).toEqual([]);
    }
    expect((await alicePage.goto(communityUrl))?.status()).toBe(404);
    const feed = await fetch(
      `${web.workerUrl}/xrpc/app.bsky.feed.getFeedSkeleton?feed=${encodeURIComponent(feedUri)}`,
    );
    expect(feed.status).toBe(400);
    expect(((await feed.json()) as { error: string }).error).toBe("UnknownFeed");
  });
});
