// The OAuth permission sets against a real PDS (@atproto/dev-env): they are
// published by `lexicons:publish` into an authority account, and the PDS's
// lexicon authority setting points at that account (its stand-in for the
// `_lexicon` DNS lookup). An app's authorization request for `include:` of
// each set is accepted, the authorization page shows each set's title, the
// granted token scope is the sets expanded to their permissions, and the PDS
// enforces exactly that; the typed client joins a community with the session.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Agent } from "@atproto/api";
import type { TestNetworkNoAppView } from "@atproto/dev-env";
import { ScopePermissions } from "@atproto/oauth-scopes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtrariumClient } from "../../src/client/index.ts";
import { type Account, closedPort, createAccount, startNetwork } from "./client-env.ts";
import { runPublish } from "./lexicon-env.ts";
import { OAuthDriver, type OAuthSession } from "./oauth-driver.ts";

const SERVICE_DID = "did:web:feeds.test";
/** The Worker's service as an rpc audience: the sets' methods inherit it from the include: scope. */
const AUD = `${SERVICE_DID}#atrarium`;

interface PermissionSet {
  id: string;
  defs: {
    main: {
      title: string;
      detail: string;
      permissions: { resource: string; collection?: string[]; lxm?: string[] }[];
    };
  };
}
const setFile = (name: string): PermissionSet =>
  JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../lexicons/com/atrarium/${name}.json`, import.meta.url)), "utf8"),
  );
const SETS = [setFile("authMember"), setFile("authManager")];
const include = (set: PermissionSet) => `include:${set.id}?aud=${AUD.replace("#", "%23")}`;
const SCOPE = ["atproto", ...SETS.map(include)].join(" ");

describe("OAuth permission sets on a real PDS", () => {
  let network: TestNetworkNoAppView;
  let authority: Account;
  let alice: Account;
  let bob: Account;
  let redirectUri: string;
  let driver: OAuthDriver;
  let session: OAuthSession;

  beforeAll(async () => {
    network = await startNetwork("permission_sets");
    authority = await createAccount(network, "atrarium-authority");
    alice = await createAccount(network, "alice");
    bob = await createAccount(network, "bob");
    const published = await runPublish(["--apply", "--authority", authority.did, "--pds", network.pds.url], {
      ...process.env,
      ATRARIUM_HOME: "/nonexistent",
      ATRARIUM_PASSWORD: authority.password,
    });
    expect(published.stderr).toBe("");
    // The PDS resolves permission sets through this account instead of DNS.
    network.pds.ctx.cfg.lexicon.didAuthority = authority.did as `did:${string}:${string}`;
    redirectUri = `http://127.0.0.1:${await closedPort()}/`;
    driver = await OAuthDriver.create(network.pds.url, redirectUri, SCOPE);
  }, 60_000);

  afterAll(async () => {
    await network?.close();
  });

  it("accepts an authorization request for include: of each set, and shows each set's title and detail", async () => {
    const par = await driver.par(SCOPE, alice.handle);
    expect(par.status).toBe(201);
    const page = await driver.openAuthorizePage();
    expect(page.scope).toBe(SCOPE);
    for (const set of SETS) {
      expect(page.permissionSets[set.id]).toMatchObject({
        title: set.defs.main.title,
        detail: set.defs.main.detail,
      });
    }
  });

  it("grants a token whose scope is the sets expanded: every listed collection and method, nothing more", async () => {
    const code = await driver.signInAndConsent(alice.handle, alice.password);
    session = await driver.token(code, network.pds.url);
    const { scope, sub } = session.token;
    console.log(`requested: ${SCOPE}\ngranted:   ${scope}`);
    expect(sub).toBe(alice.did);
    expect(scope).not.toContain("include:");
    const granted = new ScopePermissions(scope);
    for (const set of SETS) {
      for (const p of set.defs.main.permissions) {
        for (const collection of p.collection ?? []) {
          for (const action of ["create", "update", "delete"] as const) {
            expect(granted.allowsRepo({ collection, action }), `${collection} ${action}`).toBe(true);
          }
        }
        for (const lxm of p.lxm ?? []) {
          expect(granted.allowsRpc({ aud: AUD, lxm }), lxm).toBe(true);
          expect(granted.allowsRpc({ aud: "did:web:elsewhere.test#atrarium", lxm }), `${lxm} elsewhere`).toBe(
            false,
          );
        }
      }
    }
    expect(granted.allowsRepo({ collection: "app.bsky.feed.like", action: "create" })).toBe(false);
    expect(granted.allowsRepo({ collection: "app.bsky.feed.post", action: "create" })).toBe(false);
    expect(granted.allowsRpc({ aud: AUD, lxm: "com.atrarium.admin.startFirehose" })).toBe(false);
  });

  it("the PDS enforces the expanded scope: sets' records and methods pass, others are refused", async () => {
    const write = (collection: string, record: Record<string, unknown>) =>
      session.xrpc("POST", "com.atproto.repo.createRecord", {
        repo: alice.did,
        collection,
        record: { $type: collection, ...record },
      });
    const action = await write("com.atrarium.moderation.action", {
      community: `at://${alice.did}/com.atrarium.community.config/3kabcdefghij2`,
      action: "block_user",
      target: { $type: "com.atrarium.moderation.action#userTarget", did: bob.did },
      createdAt: new Date().toISOString(),
    });
    expect(action.status).toBe(200);
    const like = await write("app.bsky.feed.like", {
      subject: { uri: action.url, cid: "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm" },
      createdAt: new Date().toISOString(),
    });
    expect(like.status).toBe(403);
    expect(await like.text()).toMatch(/app\.bsky\.feed\.like/);

    const serviceAuth = (lxm: string) =>
      session.xrpc("GET", "com.atproto.server.getServiceAuth", undefined, { aud: AUD, lxm });
    expect((await serviceAuth("com.atrarium.sync.requestIndex")).status).toBe(200);
    expect((await serviceAuth("com.atrarium.moderation.getActions")).status).toBe(200);
    expect((await serviceAuth("com.atrarium.admin.startFirehose")).status).toBe(403);
  });

  it("AtrariumClient joins and leaves a community with the OAuth session", async () => {
    const service = `http://127.0.0.1:${await closedPort()}`;
    const owner = new AtrariumClient({
      service,
      serviceDid: SERVICE_DID,
      plcUrl: network.plc.url,
      agent: bob.agent,
      requestIndex: false,
    });
    const community = (await owner.createCommunity({ name: "OAuth Garden" })).uri;
    // An @atproto/api Agent over the OAuth session, as an app with an OAuth client library has.
    const oauthAgent = new Agent({ did: alice.did, fetchHandler: (path, init) => session.fetch(path, init) });
    const client = new AtrariumClient({
      service,
      plcUrl: network.plc.url,
      agent: oauthAgent,
      requestIndex: false,
    });
    const joined = await client.join(community);
    expect(joined.alreadyMember).toBe(false);
    const stored = await alice.agent.com.atproto.repo.getRecord({
      repo: alice.did,
      collection: "com.atrarium.community.membership",
      rkey: joined.uri.split("/").pop() as string,
    });
    expect(stored.data.value).toMatchObject({ community, role: "member" });
    expect((await client.leave(community)).deleted).toEqual([joined.uri]);
  });

  it("refuses an authorization request for a permission set that does not resolve", async () => {
    const scope = `atproto include:com.atrarium.authNobody?aud=${AUD.replace("#", "%23")}`;
    const other = await OAuthDriver.create(network.pds.url, redirectUri, scope);
    const par = await other.par(scope);
    expect(par.status).toBe(400);
    expect(await par.json()).toMatchObject({ error: "invalid_scope" });
  });
});
