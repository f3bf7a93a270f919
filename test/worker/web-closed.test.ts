// The server-rendered pages of communities that choose their members, against
// a real PDS: the rules where people join, pinned posts on top and marked,
// what a signed-out reader of a members-only community gets (the pins and a
// way to join, nothing else), and the manage page's new sections, rendered
// with the community's current choices.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { scopeChoices } from "../../src/web/server/oauth.ts";
import { type Account, createAccount, putRecord, startPds, writeRecord } from "./helpers/network.ts";
import { requestIndex } from "./helpers/xrpc.ts";

const ORIGIN = "https://feeds.test";
const CONFIG = "com.atrarium.community.config";
const MEMBERSHIP = "com.atrarium.community.membership";
const ACTION = "com.atrarium.moderation.action";
const POST = "app.bsky.feed.post";

const page = async (path: string) => {
  const res = await SELF.fetch(`${ORIGIN}${path}`, { headers: { accept: "text/html" } });
  expect(res.status, path).toBe(200);
  return { html: await res.text(), csp: res.headers.get("content-security-policy") ?? "" };
};
const now = () => new Date().toISOString();
const newHashtag = () =>
  `#atr_${Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("")}`;

async function indexed(account: Account, collection: string, record: Record<string, unknown>) {
  const written = await writeRecord(account, collection, record);
  expect((await requestIndex(written.uri)).body.status, collection).toBe("indexed");
  return written;
}

/** The post URIs of a page's feed, in order, each with whether it is marked as pinned. */
function feedOf(html: string): { uri: string; pinned: boolean }[] {
  const feed = html.slice(html.indexOf('<div id="feed">'));
  return [...feed.matchAll(/<li class="(post(?: pinned)?)" data-uri="([^"]+)"/g)].map((m) => ({
    uri: m[2] as string,
    pinned: m[1] === "post pinned",
  }));
}

/** The `<li>` of one post. */
const itemOf = (html: string, uri: string) => {
  const from = html.indexOf(`data-uri="${uri}"`);
  return html.slice(from, html.indexOf("</li>", from));
};

describe("the pages of a community that chooses its members", () => {
  let alice: Account;
  let bob: Account;
  let hashtag: string;
  let path: string;
  let config: { uri: string; rkey: string; record: Record<string, unknown> };
  const posts: Record<string, { uri: string; cid: string }> = {};

  const say = (who: Account, text: string) =>
    indexed(who, POST, { text: `${text} ${hashtag}`, createdAt: now() });
  const pin = (post: { uri: string; cid: string }) =>
    indexed(alice, ACTION, {
      community: config.uri,
      action: "pin_post",
      target: { $type: `${ACTION}#postTarget`, ...post },
      createdAt: now(),
    });
  /** Changes the config (the owner's record, same rkey) and has it indexed. */
  const reconfigure = async (change: Record<string, unknown>) => {
    config.record = { ...config.record, ...change, updatedAt: now() };
    const written = await putRecord(alice, config.uri, config.record);
    expect((await requestIndex(written.uri)).body.status).toBe("indexed");
  };

  beforeAll(async () => {
    const pds = await startPds();
    [alice, bob] = await Promise.all([createAccount(pds, "alice"), createAccount(pds, "bob")]);
    hashtag = newHashtag();
    path = `/c/${hashtag.slice(1)}`;
    const record = {
      name: "Night Sky",
      hashtag,
      stage: "community",
      rules: ["Be kind <b>always</b>", "No spoilers before Sunday"],
      createdAt: now(),
    };
    config = { ...(await indexed(alice, CONFIG, record)), record };
    for (const member of [alice, bob])
      await indexed(member, MEMBERSHIP, { community: config.uri, role: "member", joinedAt: now() });
    posts.first = await say(alice, "Welcome, read the rules");
    posts.saturn = await say(bob, "Saturn tonight");
    posts.moon = await say(bob, "The moon is up");
    await pin(posts.first);
  });

  it("shows the rules where people join, in their order, escaped, above the Join link", async () => {
    const { html } = await page(path);
    const rules = html.indexOf('<section class="rules" aria-labelledby="rules-heading">');
    expect(rules).toBeGreaterThan(0);
    expect(html).toContain(
      '<ol id="rules"><li>Be kind &lt;b&gt;always&lt;/b&gt;</li><li>No spoilers before Sunday</li></ol>',
    );
    expect(rules).toBeLessThan(html.indexOf('id="join-button"'));
    // An open community is joined with "Join", and no policy is announced.
    expect(html).toMatch(/<a class="button primary" id="join-button" href="[^"]+">Join<\/a>/);
    expect(html).not.toContain('id="policies"');
  });

  it("puts the pinned post on top, marked as pinned, and the rest in their order", async () => {
    const { html } = await page(path);
    expect(feedOf(html)).toEqual([
      { uri: posts.first?.uri, pinned: true },
      { uri: posts.moon?.uri, pinned: false },
      { uri: posts.saturn?.uri, pinned: false },
    ]);
    expect(itemOf(html, posts.first?.uri ?? "")).toContain('data-pinned="true"');
    expect(itemOf(html, posts.first?.uri ?? "")).toContain('<p class="post-pin">Pinned</p>');
    expect(itemOf(html, posts.moon?.uri ?? "")).not.toContain("post-pin");
    // No note for members-only: this feed is everyone's.
    expect(html).not.toContain('id="members-only-note"');
  });

  it("renders the manage page's new sections with the current choices, disabled until the browser enables them", async () => {
    const { html } = await page(`${path}/manage`);
    const policy = html.slice(
      html.indexOf('<form id="policy-form"'),
      html.indexOf("</form>", html.indexOf('<form id="policy-form"')),
    );
    expect(policy).toMatch(/^<form id="policy-form" class="stack">\s*<fieldset disabled>/);
    expect(policy).toContain('id="joinPolicy-open" name="joinPolicy" value="open" checked');
    expect(policy).not.toContain('value="approval" checked');
    expect(policy).toContain('id="feedVisibility-public" name="feedVisibility" value="public" checked');
    expect(html).toContain('<dialog id="approval-dialog"');
    // The rules, one field each, and one more to fill in.
    const rules = html.slice(html.indexOf('<form id="rules-form"'));
    expect(rules).toMatch(/^<form id="rules-form" class="stack">\s*<fieldset disabled>/);
    expect(
      [...rules.slice(0, rules.indexOf("</form>")).matchAll(/name="rule" type="text" value="([^"]*)"/g)].map(
        (m) => m[1],
      ),
    ).toEqual(["Be kind &lt;b&gt;always&lt;/b&gt;", "No spoilers before Sunday", ""]);
    // Join requests: none under an open policy, and the invitation form.
    expect(html).toContain('<h2 id="requests-heading">Join requests</h2>');
    expect(html).toContain("Anyone who joins is a member now, so no one waits for approval.");
    expect(html).toMatch(/<form id="invite-form" class="inline-form">\s*<fieldset disabled>/);
    expect(html).toContain('<label for="invite-handle">Invite by handle or DID</label>');
    // For how long a block lasts.
    expect(html).toContain('<dialog id="block-dialog" aria-labelledby="block-dialog-title">');
    for (const value of ["day", "week", "custom", "forever"])
      expect(html).toContain(`name="block-for" value="${value}"`);
  });

  it("asks to join a community that approves its members, and says what that means", async () => {
    await reconfigure({ joinPolicy: "approval" });
    const { html } = await page(path);
    expect(html).toMatch(/<a class="button primary" id="join-button" href="[^"]+">Ask to join<\/a>/);
    expect(html).toContain('<ul class="policies" id="policies"><li>Moderators approve new members');
    const manage = (await page(`${path}/manage`)).html;
    expect(manage).toContain('id="joinPolicy-approval" name="joinPolicy" value="approval" checked');
    expect(manage).toContain(
      "The people waiting for approval are shown to the owner and moderators once signed in.",
    );
  });

  it("shows a signed-out reader of a members-only community the pin, a way to join, and nothing else", async () => {
    await reconfigure({ feedVisibility: "members" });
    const { html, csp } = await page(path);
    expect(feedOf(html)).toEqual([{ uri: posts.first?.uri, pinned: true }]);
    expect(html).not.toContain("Saturn tonight");
    expect(html).not.toContain("The moon is up");
    expect(html).toContain(
      '<p class="panel members-only" id="members-only-note">Only members see all of this community',
    );
    expect(html).toMatch(/id="join-button" href="\/signin\?next=[^"]+">Ask to join<\/a>/);
    // No way on to the members' posts: no "Older posts", no "No posts yet".
    expect(html).not.toContain('rel="next"');
    expect(html).not.toContain("No posts yet");
    expect(html).toContain("The feed is for members: everyone else sees its pinned posts.");
    // The page tells the browser code, which gets a member the whole feed.
    expect(html).toMatch(/"feedVisibility":"members"/);
    expect(html).toContain(`"feed":"at://${alice.did}/app.bsky.feed.generator/${config.rkey}"`);
    expect(csp).toContain("img-src 'self' data:");
    // Exactly what getFeedSkeleton gives a reader without a token.
    const skeleton = await SELF.fetch(
      `${ORIGIN}/xrpc/app.bsky.feed.getFeedSkeleton?feed=${encodeURIComponent(`at://${alice.did}/app.bsky.feed.generator/${config.rkey}`)}`,
    );
    expect(((await skeleton.json()) as { feed: { post: string }[] }).feed.map((f) => f.post)).toEqual(
      feedOf(html).map((f) => f.uri),
    );
    const manage = (await page(`${path}/manage`)).html;
    expect(manage).toContain('id="feedVisibility-members" name="feedVisibility" value="members" checked');
  });

  it("asks for the feed and the join requests in the scopes the app signs in with", () => {
    const [sets, spelledOut] = scopeChoices("did:web:feeds.test");
    expect(sets?.split(" ")).toContain("rpc:app.bsky.feed.getFeedSkeleton?aud=did:web:feeds.test%23atrarium");
    expect(spelledOut?.split(" ")).toContain(
      "rpc:com.atrarium.community.getJoinRequests?aud=did:web:feeds.test%23atrarium",
    );
    expect(spelledOut?.split(" ")).toContain(
      "rpc:app.bsky.feed.getFeedSkeleton?aud=did:web:feeds.test%23atrarium",
    );
  });
});
