// What every browser test file needs: the whole local stack (a PDS and PLC,
// the Jetstream bridge, the Worker under wrangler dev, the firehose started),
// accounts on its PDS, headless Chromium, sign-in through the PDS's own OAuth
// pages, and the checks every page passes (axe, no sideways scroll on a phone).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AtpAgent } from "@atproto/api";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local-stack.ts";
import {
  DESKTOP,
  launchChromium,
  overflowsSideways,
  PHONE,
  screenshot,
  seriousViolations,
} from "./chromium.ts";

export interface Person {
  handle: string;
  password: string;
  did: string;
  agent: AtpAgent;
}

const ADMIN_PASSWORD = "web-admin-password";

export class BrowserStack {
  private readonly contexts: BrowserContext[] = [];

  private constructor(
    readonly stack: LocalStack,
    readonly browser: Browser,
    private readonly persistDir: string,
  ) {}

  static async start(): Promise<BrowserStack> {
    const persistDir = mkdtempSync(join(tmpdir(), "atrarium-web-"));
    const stack = await startLocalStack({ persistDir, adminPassword: ADMIN_PASSWORD });
    const started = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.startFirehose`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}` },
    });
    expect(started.status).toBe(200);
    return new BrowserStack(stack, await launchChromium(), persistDir);
  }

  get workerUrl(): string {
    return this.stack.workerUrl;
  }

  async person(name: string): Promise<Person> {
    const agent = new AtpAgent({ service: this.stack.pds.url });
    const handle = `${name}.test`;
    const password = `${name}-password`;
    await agent.createAccount({ handle, email: `${name}@example.test`, password });
    return { handle, password, did: agent.assertDid, agent };
  }

  async newPage(
    options: { viewport?: typeof DESKTOP; javaScriptEnabled?: boolean; colorScheme?: "dark" } = {},
  ): Promise<Page> {
    const context = await this.browser.newContext({ viewport: options.viewport ?? DESKTOP, ...options });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  /** Through the app's sign-in page and the PDS's own sign-in and consent pages, back to where it started. */
  async signIn(page: Page, who: Person): Promise<void> {
    // On a slow machine the page can be clicked before its script takes the form over;
    // the form would then go to the server, which can only say that sign-in needs JavaScript.
    await page.locator("#signin-form[data-ready]").waitFor();
    await page.getByLabel("Your handle").fill(who.handle);
    await page.getByRole("button", { name: "Sign in with Bluesky" }).click();
    await page.waitForURL((url) => url.origin === new URL(this.stack.pds.url).origin);
    await page.getByRole("textbox", { name: "Password" }).fill(who.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The consent page shows our permission sets (resolved from the published lexicons), one line each.
    await page.getByText("Take part in Atrarium communities").first().waitFor();
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.waitForURL((url) => url.origin === this.workerUrl && url.pathname !== "/oauth/callback");
    await page.locator("#account").getByText(`@${who.handle}`).waitFor();
  }

  /**
   * Has the Worker read a record from its author's PDS now (com.atrarium.sync.requestIndex); its
   * status. requestIndex allows a burst of 30 calls per client, then one a second: past the burst,
   * each 429 is followed as the Worker asks (wait a little, retry).
   */
  async index(uri: string): Promise<string> {
    for (;;) {
      const res = await fetch(`${this.workerUrl}/xrpc/com.atrarium.sync.requestIndex`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ uri }),
      });
      if (res.status !== 429) return ((await res.json()) as { status: string }).status;
      await res.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => {});
    await this.browser.close();
    await this.stack.close();
    rmSync(this.persistDir, { recursive: true, force: true });
  }
}

/** axe finds nothing serious; the page does not scroll sideways on a phone; screenshots of both widths. */
export async function checkPage(page: Page, name: string): Promise<void> {
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
