// A community that chooses its members, run from the web app in Chromium
// against the whole local stack (PDS and PLC, the Jetstream bridge, the
// Worker under wrangler dev). People sign in through the dev PDS's own OAuth
// pages; every decision is a record the browser writes into the signed-in
// person's repo. The owner switches to approval (the page says how many
// members it approves first), a newcomer asks to join and waits, their post
// held; a moderator approves them from the join requests and the post
// appears. A pin comes first, marked; a members-only community shows a
// signed-out visitor the pin alone and a member all of it.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtrariumClient } from "../../src/client/index.ts";
import { seriousViolations } from "./chromium.ts";
import { BrowserStack, checkPage, type Person } from "./stack.ts";

let web: BrowserStack;
let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;
let erin: Person;
/** The community's page. */
let communityUrl: string;
let community: string;

/** A poll waits on the stack as long as a locator does (BrowserStack pages: 20 s), never a fixed time. */
const WAIT = { timeout: 20_000 };

const postTexts = (page: Page) => page.locator("#feed .post-text").allTextContents();
const client = (who: Person) =>
  new AtrariumClient({ service: web.workerUrl, plcUrl: web.stack.plcUrl, agent: who.agent });

/** The index's word on someone's membership (getMembership). */
async function status(who: Person): Promise<string> {
  return (await client(who).getMembership(community, who.did)).status;
}

/** The action records in Alice's repo. */
async function alicesActions(): Promise<{ action: string; target: { did?: string } }[]> {
  const { data } = await alice.agent.com.atproto.repo.listRecords({
    repo: alice.did,
    collection: "com.atrarium.moderation.action",
  });
  return data.records.map((r) => r.value as { action: string; target: { did?: string } });
}

beforeAll(async () => {
  web = await BrowserStack.start();
  [alice, bob, carol, dave, erin] = await Promise.all([
    web.person("alice"),
    web.person("bob"),
    web.person("carol"),
    web.person("dave"),
    web.person("erin"),
  ]);
  // The community exists and has a member before it closes (the typed client writes as the CLI would).
  const created = await client(alice).createCommunity({ name: "Night Sky" });
  community = created.uri;
  communityUrl = `${web.workerUrl}/c/${created.hashtag.slice(1)}`;
  await client(bob).join(community);
  await client(alice).post(community, "Welcome to Night Sky");
  await client(bob).post(community, "Saturn tonight");
}, 180_000);

afterAll(async () => {
  await web?.close();
});

describe("a closed community in the web app", { timeout: 120_000 }, () => {
  let alicePage: Page;
  let carolPage: Page;

  it("lets the owner write the rules and switch to approval, after saying how many members it approves first", async () => {
    alicePage = await web.newPage();
    await alicePage.goto(`${communityUrl}/manage`);
    await alicePage.locator("#account").getByRole("link", { name: "Sign in" }).click();
    await web.signIn(alicePage, alice);
    await alicePage.getByText("You own this community.").waitFor();

    await alicePage.getByLabel("Rule 1").fill("Be kind");
    await alicePage.getByRole("button", { name: "Add a rule" }).click();
    await alicePage.getByLabel("Rule 2").fill("No spoilers before Sunday");
    await alicePage.getByRole("button", { name: "Save rules" }).click();
    await alicePage.getByText("Saved.").waitFor();

    await alicePage.getByLabel("People a moderator approves").check();
    await alicePage.getByRole("button", { name: "Save joining and feed" }).click();
    const dialog = alicePage.getByRole("dialog", { name: "Switch to approval?" });
    await dialog.waitFor();
    // Bob is the one member who is neither the owner nor a moderator.
    expect(await dialog.textContent()).toContain(
      "Switching first approves the 1 current member, so no one drops out.",
    );
    expect(await seriousViolations(alicePage)).toEqual([]);
    await dialog.getByRole("button", { name: "Approve 1 member and switch" }).click();
    await alicePage.getByText("Saved. 1 current member was approved first.").waitFor();

    const approvals = (await alicesActions()).filter((a) => a.action === "approve_member");
    expect(approvals.map((a) => a.target.did)).toEqual([bob.did]);
    expect((await client(alice).getCommunity(community)).joinPolicy).toBe("approval");
    expect(await status(bob)).toBe("member");
    await checkPage(alicePage, "manage-closed");
  });

  it("shows a newcomer the rules, lets them ask to join, and holds their post while they wait", async () => {
    carolPage = await web.newPage();
    await carolPage.goto(communityUrl);
    expect(await carolPage.locator("#rules li").allTextContents()).toEqual([
      "Be kind",
      "No spoilers before Sunday",
    ]);
    await carolPage.getByRole("link", { name: "Ask to join" }).click();
    await web.signIn(carolPage, carol);
    const joinButton = carolPage.locator("#join-button");
    await expect.poll(() => joinButton.textContent(), WAIT).toBe("Ask to join");
    await joinButton.click();
    await carolPage
      .locator("#composer-note")
      .getByText(/^Waiting for approval/)
      .waitFor();
    expect(await joinButton.textContent()).toBe("Cancel request");
    expect(await status(carol)).toBe("pending");

    await carolPage.getByLabel(/Your post/).fill("Hello from Carol");
    await carolPage.getByRole("button", { name: "Post", exact: true }).click();
    await carolPage.getByText("It shows here once a moderator approves you.").waitFor();
    // Held: in Carol's repo, not on the page, not in the feed.
    const { data } = await carol.agent.com.atproto.repo.listRecords({
      repo: carol.did,
      collection: "app.bsky.feed.post",
    });
    expect(data.records).toHaveLength(1);
    expect(await postTexts(carolPage)).not.toContainEqual(expect.stringMatching(/^Hello from Carol/));
    expect((await client(carol).getFeedSkeleton(community)).feed.map((f) => f.post)).not.toContain(
      data.records[0]?.uri,
    );
    await checkPage(carolPage, "community-pending");
  });

  it("lets a moderator approve a newcomer from the join requests (their held post appears) and decline another", async () => {
    await client(dave).join(community);
    await alicePage.goto(`${communityUrl}/manage`);
    const request = (handle: string) => alicePage.locator("#join-requests .row", { hasText: handle });
    await request("@dave.test").waitFor();
    expect(await request("@carol.test").textContent()).toContain("1 post held");
    expect(await request("@dave.test").textContent()).toContain("no posts held");
    expect(await seriousViolations(alicePage)).toEqual([]);
    await request("@carol.test").getByRole("button", { name: "Approve" }).click();
    await alicePage.getByText("Approved @carol.test: their posts are in the feed now.").waitFor();
    await request("@carol.test").waitFor({ state: "detached" });
    await request("@dave.test").getByRole("button", { name: "Decline" }).click();
    await alicePage.getByText(/^Declined: @dave\.test is blocked from this community/).waitFor();
    await alicePage.locator("#join-requests").getByText("No one is waiting for approval.").waitFor();
    const log = alicePage.locator("#moderation-log");
    await expect.poll(() => log.textContent(), WAIT).toContain("@alice.test approved @carol.test");
    expect(await log.textContent()).toContain(
      "@alice.test blocked @dave.test (declined their request to join)",
    );
    expect(await status(dave)).toBe("blocked");

    await carolPage.reload();
    await carolPage.locator("#composer-note").getByText("Posting as @carol.test.").waitFor();
    expect(await postTexts(carolPage)).toContainEqual(expect.stringMatching(/^Hello from Carol/));
  });

  it("lets a moderator invite someone by handle, who is told so and is a member as soon as they join", async () => {
    await alicePage.getByLabel("Invite by handle or DID").fill("erin.test");
    await alicePage.getByRole("button", { name: "Invite" }).click();
    await alicePage.getByText("Invited @erin.test: they count as soon as they join.").waitFor();
    expect(await status(erin)).toBe("invited");

    const erinPage = await web.newPage();
    await erinPage.goto(`${web.workerUrl}/signin?next=${encodeURIComponent(new URL(communityUrl).pathname)}`);
    await web.signIn(erinPage, erin);
    await erinPage
      .locator("#composer-note")
      .getByText(/^You're invited: join and you are a member at once/)
      .waitFor();
    await erinPage.locator("#join-button").getByText("Join", { exact: true }).click();
    await erinPage.locator("#composer-note").getByText("Posting as @erin.test.").waitFor();
    await erinPage
      .locator("#toast")
      .getByText(/^You joined “Night Sky”/)
      .waitFor();
    await expect.poll(() => status(erin), WAIT).toBe("member");
  });

  it("puts a pinned post on top of the page, marked as pinned", async () => {
    await alicePage.goto(communityUrl);
    const saturn = alicePage.locator("#feed .post", { hasText: "Saturn tonight" });
    await saturn.getByRole("button", { name: "Pin", exact: true }).click();
    const first = alicePage.locator("#feed .post").first();
    await expect.poll(() => first.textContent(), WAIT).toContain("Saturn tonight");
    expect(await first.locator(".post-pin").textContent()).toBe("Pinned");
    expect(await first.getAttribute("class")).toBe("post pinned");
    // Now it can be unpinned from the same place.
    await first.getByRole("button", { name: "Unpin" }).waitFor();
    await checkPage(alicePage, "community-pinned");
  });

  it("shows a signed-out visitor of a members-only community the pin alone, and a member all of it", async () => {
    await alicePage.goto(`${communityUrl}/manage`);
    await alicePage.getByLabel("Members only").check();
    await alicePage.getByRole("button", { name: "Save joining and feed" }).click();
    await alicePage.getByText("Saved.").waitFor();

    const visitor = await web.newPage();
    await visitor.goto(communityUrl);
    expect(await postTexts(visitor)).toEqual([expect.stringMatching(/^Saturn tonight/)]);
    expect(await visitor.locator("#feed .post.pinned").count()).toBe(1);
    expect(await visitor.locator("#members-only-note").textContent()).toMatch(
      /^Only members see all of this community/,
    );
    await visitor.getByRole("link", { name: "Ask to join" }).waitFor();
    await checkPage(visitor, "community-members-only-signed-out");

    // Bob, a member, signs in: his browser reads the feed as him, through his PDS.
    const bobPage = await web.newPage();
    await bobPage.goto(communityUrl);
    await bobPage.locator("#account").getByRole("link", { name: "Sign in" }).click();
    await web.signIn(bobPage, bob);
    await expect
      .poll(() => postTexts(bobPage), WAIT)
      .toEqual([
        expect.stringMatching(/^Saturn tonight/),
        expect.stringMatching(/^Hello from Carol/),
        expect.stringMatching(/^Welcome to Night Sky/),
      ]);
    expect(await bobPage.locator("#feed .post").first().getAttribute("class")).toBe("post pinned");
    expect(await bobPage.locator("#members-only-note").count()).toBe(0);
    await checkPage(bobPage, "community-members-only-member");
  });

  it("blocks for a chosen time from a post, and the log says until when", async () => {
    await alicePage.goto(communityUrl);
    const carols = alicePage.locator("#feed .post", { hasText: "Hello from Carol" });
    await carols.getByRole("button", { name: "Block…" }).click();
    const dialog = alicePage.getByRole("dialog", { name: /^Block/ });
    await dialog.waitFor();
    expect(await seriousViolations(alicePage)).toEqual([]);
    await dialog.getByLabel("1 day").check();
    await dialog.getByRole("button", { name: "Block", exact: true }).click();
    await alicePage.getByText(/^The account is blocked until /).waitFor();
    await expect
      .poll(() => postTexts(alicePage), WAIT)
      .not.toContainEqual(expect.stringMatching(/^Hello from Carol/));
    const block = (await alicesActions()).find((a) => a.action === "block_user") as { expiresAt?: string };
    const hours = (Date.parse(block.expiresAt ?? "") - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThanOrEqual(24);

    await alicePage.goto(`${communityUrl}/manage`);
    await expect
      .poll(() => alicePage.locator("#moderation-log").textContent(), WAIT)
      .toMatch(/@alice\.test blocked @carol\.test until .+ · in effect/);
    await alicePage
      .locator("#moderation-log .row", { hasText: "blocked @carol.test until" })
      .getByRole("button", { name: "Unblock" })
      .waitFor();
  });

  it("reads each new action in the log: an unpin, an approval taken back, a block that ended by itself", async () => {
    const log = alicePage.locator("#moderation-log");
    await log
      .locator(".row", { hasText: "pinned a post by @bob.test" })
      .getByRole("button", { name: "Unpin" })
      .click();
    await expect.poll(() => log.textContent(), WAIT).toContain("@alice.test unpinned a post by @bob.test");
    await log
      .locator(".row", { hasText: "approved @carol.test" })
      .getByRole("button", { name: "Take back" })
      .click();
    await expect
      .poll(() => log.textContent(), WAIT)
      .toContain("@alice.test took back the approval of @carol.test");

    // A block that ends a few seconds from now; the index lets Bob back by itself.
    await client(alice).blockMember(community, bob.did, { expiresAt: new Date(Date.now() + 3_000) });
    await expect.poll(() => status(bob), { timeout: 30_000 }).toBe("member");
    await alicePage.reload();
    const ended = log.locator(".row", { hasText: "blocked @bob.test until" });
    await expect.poll(() => ended.textContent(), WAIT).toContain("over: the block ended by itself");
    expect(await ended.getByRole("button").count()).toBe(0);
    await checkPage(alicePage, "manage-log-closed");
  });
});
