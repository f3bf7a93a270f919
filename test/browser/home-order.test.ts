// The home page in Chromium against the local stack: signed in, your
// communities come first; searching and paging work without JavaScript.
// Signing in itself is covered by web-app.test.ts; here the browser only
// remembers who is signed in (what the sign-in leaves behind), which is all
// the ordering reads.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AtpAgent } from "@atproto/api";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local-stack.ts";
import { AtrariumClient } from "../../src/client/index.ts";
import { DESKTOP, launchChromium, seriousViolations } from "./chromium.ts";

let stack: LocalStack;
let persistDir: string;
let browser: Browser;
let alice: { did: string; client: AtrariumClient };
const contexts: BrowserContext[] = [];

async function member(name: string) {
  const agent = new AtpAgent({ service: stack.pds.url });
  await agent.createAccount({
    handle: `${name}.test`,
    email: `${name}@example.test`,
    password: `${name}-pw`,
  });
  const client = new AtrariumClient({ service: stack.workerUrl, plcUrl: stack.plcUrl, agent });
  return { did: agent.assertDid, client };
}

async function newPage(options: { javaScriptEnabled?: boolean; signedInAs?: string } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: DESKTOP,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  contexts.push(context);
  if (options.signedInAs) {
    const account = JSON.stringify({ did: options.signedInAs });
    await context.addInitScript((value) => localStorage.setItem("atrarium:signed-in", value), account);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** The names of the communities in one list of the page (by its heading), or in the only one. */
const namesUnder = (page: Page, heading?: string) =>
  page
    .locator(heading ? `h2:text-is("${heading}") + ul.cards li h2` : "#communities ul.cards li h2")
    .allTextContents();

beforeAll(async () => {
  persistDir = mkdtempSync(join(tmpdir(), "atrarium-home-"));
  stack = await startLocalStack({ persistDir, adminPassword: "home-admin-password" });
  alice = await member("alice");
  const bob = await member("bob");
  // Claimed in this order: Bob's three, then Alice's own; Alice joins Bob's second.
  const bobs = [];
  for (const name of ["Bob one", "Bob two", "Bob three"])
    bobs.push(await bob.client.createCommunity({ name }));
  await alice.client.createCommunity({ name: "Alice's own" });
  await alice.client.join((bobs[1] as { uri: string }).uri);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await stack?.close();
  rmSync(persistDir, { recursive: true, force: true });
});

describe("the home page", { timeout: 90_000 }, () => {
  it("signed in, lists your communities first, then the others", async () => {
    const page = await newPage({ signedInAs: alice.did });
    await page.goto(`${stack.workerUrl}/`);
    await page.getByRole("heading", { name: "Your communities" }).waitFor();
    expect(await namesUnder(page, "Your communities")).toEqual(["Bob two", "Alice's own"]);
    expect(await namesUnder(page, "Other communities")).toEqual(["Bob one", "Bob three"]);
    // The address now says whose list it is, so a reload or a shared link shows the same.
    expect(new URL(page.url()).searchParams.get("viewer")).toBe(alice.did);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("signed out, lists them in the order they were made", async () => {
    const page = await newPage();
    await page.goto(`${stack.workerUrl}/`);
    expect(await namesUnder(page)).toEqual(["Bob one", "Bob two", "Bob three", "Alice's own"]);
    expect(await page.getByRole("heading", { name: "Your communities" }).count()).toBe(0);
  });

  it("searches names without JavaScript, keeping the viewer's order", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${stack.workerUrl}/?viewer=${alice.did}`);
    expect(await namesUnder(page, "Your communities")).toEqual(["Bob two", "Alice's own"]);
    await page.getByLabel("Find a community").fill("bob");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === "bob");
    expect(new URL(page.url()).searchParams.get("viewer")).toBe(alice.did);
    expect(await namesUnder(page, "Your communities")).toEqual(["Bob two"]);
    expect(await namesUnder(page, "Other communities")).toEqual(["Bob one", "Bob three"]);
  });
});
