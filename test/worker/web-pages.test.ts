// The web app's server-rendered pages, against a real PDS: what a reader
// without JavaScript (or a link-card fetcher) gets, and the OAuth settings.
import { SELF } from "cloudflare:test";
import { RpcPermission } from "@atproto/oauth-scopes";
import { beforeAll, describe, expect, it } from "vitest";
import type { CommunityView } from "../../src/lexicon/types/com/atrarium/community/defs.ts";
import { clientMetadata, instanceIsPublic } from "../../src/web/server/oauth.ts";
import { startBody } from "../../src/web/server/pages/start.ts";
import { configWith } from "./helpers/config.ts";
import { type Account, createAccount, startPds, stopPds, writeRecord } from "./helpers/network.ts";

const ORIGIN = "https://feeds.test";
const page = (path: string, init?: RequestInit) =>
  SELF.fetch(`${ORIGIN}${path}`, { headers: { accept: "text/html" }, redirect: "manual", ...init });

/** Writes a record into the account's repo and has the Worker read it from there. */
async function indexed(
  account: Account,
  collection: string,
  record: Record<string, unknown>,
  expected = "indexed",
) {
  const written = await writeRecord(account, collection, record);
  const res = await SELF.fetch(`${ORIGIN}/xrpc/com.atrarium.sync.requestIndex`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ uri: written.uri }),
  });
  expect(((await res.json()) as { status: string }).status).toBe(expected);
  return written;
}

const hex = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("");
const meta = (html: string, key: string) =>
  new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(html)?.[1];

describe("server-rendered pages", () => {
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let dave: Account;
  let davesPds: string;
  let hashtag: string;
  let path: string;
  let config: { uri: string; rkey: string };
  const posts: Record<string, string> = {};
  const say = async (who: Account, text: string, expected?: string) =>
    indexed(
      who,
      "app.bsky.feed.post",
      { text: `${text} ${hashtag}`, createdAt: new Date().toISOString() },
      expected,
    );

  beforeAll(async () => {
    const pds = await startPds();
    davesPds = await startPds();
    [alice, bob, carol, dave] = await Promise.all([
      createAccount(pds, "alice"),
      createAccount(pds, "bob"),
      createAccount(pds, "carol"),
      createAccount(davesPds, "dave"),
    ]);
    hashtag = `#atr_${hex()}`;
    path = `/c/${hashtag.slice(1)}`;
    config = await indexed(alice, "com.atrarium.community.config", {
      name: "Design <Community> & friends",
      description: 'Talk about "design" <script>alert(1)</script>',
      hashtag,
      stage: "community",
      moderators: [bob.did],
      createdAt: new Date().toISOString(),
    });
    for (const member of [alice, bob, dave]) {
      await indexed(member, "com.atrarium.community.membership", {
        community: config.uri,
        role: "member",
        joinedAt: new Date().toISOString(),
      });
    }
    posts.alice = (await say(alice, "Hello <b>designers</b>")).uri;
    posts.bob = (await say(bob, "Bob here")).uri;
    posts.carol = (await say(carol, "Not a member", "rejected")).uri;
    const hidden = await say(bob, "Hide me");
    posts.dave = (await say(dave, "Dave's post")).uri;
    await indexed(alice, "com.atrarium.moderation.action", {
      community: config.uri,
      action: "hide_post",
      target: { $type: "com.atrarium.moderation.action#postTarget", uri: hidden.uri, cid: hidden.cid },
      createdAt: new Date().toISOString(),
    });
  });

  it("renders the community page: escaped text, counts, moderators, exactly the feed's posts", async () => {
    const res = await page(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain("<h1>Design &lt;Community&gt; &amp; friends</h1>");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("3 members");
    expect(html).toContain("3 posts this week");
    expect(html).toContain(`@${alice.handle}</a> (owner)`);
    expect(html).toContain(`@${bob.handle}</a>`);
    // The feed's posts, newest first, each with its author's handle and text; nothing else.
    const shown = [...html.matchAll(/<li class="post" data-uri="([^"]+)"/g)].map((m) => m[1]);
    const feed = await SELF.fetch(
      `${ORIGIN}/xrpc/app.bsky.feed.getFeedSkeleton?feed=${encodeURIComponent(`at://${alice.did}/app.bsky.feed.generator/${config.rkey}`)}`,
    );
    expect(shown).toEqual(((await feed.json()) as { feed: { post: string }[] }).feed.map((f) => f.post));
    expect(shown).toEqual([posts.dave, posts.bob, posts.alice]);
    expect(html).toContain("Hello &lt;b&gt;designers&lt;/b&gt;");
    expect(html).toContain(`@${dave.handle}`);
    expect(html).toContain(
      `<a class="button" href="https://bsky.app/profile/${alice.handle}/feed/${config.rkey}">Open in Bluesky</a>`,
    );
    expect(html).toContain(`href="/signin?next=%2Fc%2F${hashtag.slice(1)}"`);
  });

  it("gives the page a title and link-card tags with the counts", async () => {
    const html = await (await page(path)).text();
    expect(html).toContain("<title>Design &lt;Community&gt; &amp; friends · Atrarium</title>");
    expect(meta(html, "og:title")).toBe("Design &lt;Community&gt; &amp; friends");
    expect(meta(html, "og:description")).toMatch(/3 members · 3 posts this week · #atr_/);
    expect(meta(html, "og:url")).toBe(`${ORIGIN}${path}`);
    expect(meta(html, "twitter:card")).toBe("summary");
    expect(meta(html, "twitter:description")).toBe(meta(html, "og:description"));
  });

  it("explains the hashtag where it is shown, and hides the stage, which changes nothing yet", async () => {
    const html = await (await page(path)).text();
    expect(html).toContain(
      `<p class="hashtag-line"><span class="hashtag">${hashtag}</span> <span class="hashtag-note">(members add it to a post to put the post in the community&#39;s feed)</span></p>`,
    );
    expect(html).not.toContain("Stage");
    const manage = await (await page(`${path}/manage`)).text();
    expect(manage).toContain(`<span class="hashtag">${hashtag}</span> <span class="hashtag-note">`);
  });

  it("lists the community on the home page, and asks signed-out readers to sign in to create one", async () => {
    const html = await (await page("/")).text();
    expect(html).toContain(`<a href="${path}">Design &lt;Community&gt; &amp; friends</a>`);
    expect(meta(html, "og:title")).toBe("Atrarium");
    expect(html).toContain(
      '<a class="button primary" href="/signin?next=%2F">Sign in to create a community</a>',
    );
    // The form waits in a template for the browser code: nothing greyed out is shown.
    expect(html).not.toMatch(/<fieldset disabled>/);
    expect(html).toMatch(/<template id="create-form-template"><form id="create-form"/);
    expect(html).toContain("members add it to a post to put the post in the community&#39;s feed");
  });

  it("says what to do after creating a community: share, add the feed in Bluesky, how members join", async () => {
    const res = await page(`${path}/start`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Design &lt;Community&gt; &amp; friends is ready</h1>");
    expect(html).toContain(`<input id="share-link" type="url" readonly value="${ORIGIN}${path}">`);
    expect(html).toContain('<button type="button" id="copy-link" hidden>Copy link</button>');
    // This instance is public (https, a public host): the feed opens in the Bluesky app.
    expect(html).toContain(
      `<a class="button primary" href="https://bsky.app/profile/${alice.handle}/feed/${config.rkey}">Open the feed in Bluesky</a>`,
    );
    expect(html).toContain("They open the link, sign in with their Bluesky account and press Join.");
    expect(html).toContain(`<span class="hashtag">${hashtag}</span>`);
    expect(html).toContain(`<a href="${path}/manage">Manage the community</a>`);
  });

  it("shows the community's numbers on the manage page: a chart of 30 days and the weeks", async () => {
    const html = await (await page(`${path}/manage`)).text();
    const stats = html.slice(html.indexOf('<section aria-labelledby="stats-heading" id="stats">'));
    expect(stats).toMatch(
      /<svg viewBox="0 0 600 160"[^>]* role="img" aria-labelledby="chart-title chart-summary">/,
    );
    expect(stats.match(/<rect class="chart-bar"/g)).toHaveLength(30);
    // Four posts entered the feed today (one was hidden since; Carol's never entered); three members.
    expect(stats).toContain('<figcaption id="chart-summary">4 posts in the last 30 days; 3 members now');
    expect(stats).toMatch(
      /<tr><th scope="row">This week <span class="hint">[-\d]+ – [-\d]+<\/span><\/th><td>4<\/td><td>3<\/td><td>0<\/td><td>1<\/td><\/tr>/,
    );
    // Deleting is for the owner alone: the browser code shows it to them, after asking.
    expect(html).toMatch(
      /<section id="delete-section" class="danger-zone" aria-labelledby="delete-heading" hidden>/,
    );
    expect(html).toContain('<dialog id="delete-dialog"');
  });

  it("leads the owner-and-rkey address to the readable one, and answers 404 pages for the rest", async () => {
    const moved = await page(`/c/${alice.did}/${config.rkey}`);
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe(path);
    for (const missing of ["/c/atr_00000000", "/c/nothing-here", `${path}?cursor=garbage`, "/no/such/page"]) {
      const res = await page(missing);
      expect(res.status, missing).toBe(404);
      expect(await res.text()).toContain("<h1>Not found</h1>");
    }
    // XRPC keeps its JSON errors.
    expect(await (await SELF.fetch(`${ORIGIN}/xrpc/com.example.nothing`)).json()).toMatchObject({
      error: expect.any(String),
    });
  });

  it("renders the manage page with the members and the disabled controls", async () => {
    const html = await (await page(`${path}/manage`)).text();
    expect(html).toContain("<h1>Manage Design &lt;Community&gt; &amp; friends</h1>");
    for (const member of [alice, bob, dave]) expect(html).toContain(`data-did="${member.did}"`);
    expect(html).not.toContain(`data-did="${carol.did}"`);
    expect(html).toMatch(/<form id="details-form" class="stack">\s*<fieldset disabled>/);
  });

  it("shows a post whose server is down as unavailable, and still renders the page", async () => {
    const late = await say(dave, "Written just before the server stopped");
    await stopPds(davesPds);
    const res = await page(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    const item = html.slice(html.indexOf(`data-uri="${late.uri}"`));
    expect(item).toMatch(
      /^[\s\S]*?<p class="post-unavailable">This post could not be shown \([^)]*could not be reached\)/,
    );
    expect(item.indexOf("</li>")).toBeGreaterThan(item.indexOf("post-unavailable"));
    // The other posts are still there, with their texts.
    expect(html).toContain("Bob here");
  });

  it("reads handles and post texts for the moderation log, posts only", async () => {
    const query = new URLSearchParams([
      ["did", bob.did],
      ["uri", posts.bob as string],
      ["uri", config.uri],
    ]);
    const res = await SELF.fetch(`${ORIGIN}/web/hydrate?${query}`);
    const body = (await res.json()) as {
      handles: Record<string, string>;
      posts: { uri: string; text?: string }[];
    };
    expect(body.handles[bob.did]).toBe(bob.handle);
    expect(body.posts).toMatchObject([{ uri: posts.bob, text: `Bob here ${hashtag}` }]);
  });

  it("publishes the OAuth client metadata of a deployed app", async () => {
    const res = await SELF.fetch(`${ORIGIN}/oauth-client-metadata.json`);
    const metadata = (await res.json()) as ReturnType<typeof clientMetadata>;
    expect(metadata).toMatchObject({
      client_id: `${ORIGIN}/oauth-client-metadata.json`,
      redirect_uris: [`${ORIGIN}/oauth/callback`],
      application_type: "web",
      token_endpoint_auth_method: "none",
      dpop_bound_access_tokens: true,
    });
    const scopes = metadata.scope.split(" ");
    // Permission sets first, the same rights spelled out, general access last.
    expect(scopes).toContain("include:com.atrarium.authMember?aud=did:web:feeds.test%23atrarium");
    expect(scopes).toContain("include:com.atrarium.authManager?aud=did:web:feeds.test%23atrarium");
    expect(scopes).toContain("repo:app.bsky.feed.post?action=create");
    expect(scopes).toContain("transition:generic");
    const rpc = scopes.map((s) => RpcPermission.fromString(s)).filter((p) => p !== null);
    // The feed, for a members-only feed read as its member (no set of ours can grant app.bsky.*).
    expect(rpc.flatMap((p) => p.lxm)).toEqual([
      "app.bsky.feed.getFeedSkeleton",
      "com.atrarium.moderation.getActions",
      "com.atrarium.community.getJoinRequests",
      "com.atrarium.sync.requestIndex",
    ]);
    expect(rpc.every((p) => p.aud === "did:web:feeds.test#atrarium")).toBe(true);
  });
});

describe("a local instance", () => {
  it("is not one the Bluesky app can reach: its pages give the feed's at:// URI instead of a Bluesky link", () => {
    expect(instanceIsPublic({ publicUrl: new URL("http://localhost:8787") })).toBe(false);
    expect(instanceIsPublic({ publicUrl: new URL("https://10.0.0.7") })).toBe(false);
    expect(instanceIsPublic({ publicUrl: new URL("https://feeds.example.com") })).toBe(true);
    const view = {
      uri: "at://did:plc:owner/com.atrarium.community.config/3kabc",
      feed: "at://did:plc:owner/app.bsky.feed.generator/3kabc",
      owner: "did:plc:owner",
      name: "Local",
      hashtag: "#atr_1a2b3c4d",
    } as CommunityView;
    const html = startBody({ view }, "http://127.0.0.1:8787", false).toString();
    expect(html).toContain("<code>at://did:plc:owner/app.bsky.feed.generator/3kabc</code>");
    expect(html).not.toContain("bsky.app/profile");
    expect(html).toContain('value="http://127.0.0.1:8787/c/atr_1a2b3c4d"');
  });
});

describe("the loopback OAuth client of local development", () => {
  it("uses an IP redirect and a scope whose did:web audience keeps its port", () => {
    const metadata = clientMetadata(
      configWith({ PUBLIC_URL: "http://localhost:8787", SERVICE_DID: "did:web:localhost%3A8787" }),
    );
    const id = new URL(metadata.client_id);
    expect(id.origin).toBe("http://localhost");
    expect(id.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:8787/oauth/callback");
    expect(metadata.redirect_uris).toEqual(["http://127.0.0.1:8787/oauth/callback"]);
    expect(id.searchParams.get("scope")).toBe(metadata.scope);
    // The permission sets come without the audience a port would garble; the methods are asked for directly.
    expect(metadata.scope.split(" ")).toContain("include:com.atrarium.authMember");
    const getActions = metadata.scope
      .split(" ")
      .map((s) => RpcPermission.fromString(s))
      .find((p) => p?.lxm.includes("com.atrarium.moderation.getActions"));
    expect(
      getActions?.matches({
        aud: "did:web:localhost%3A8787#atrarium",
        lxm: "com.atrarium.moderation.getActions",
      }),
    ).toBe(true);
  });
});
