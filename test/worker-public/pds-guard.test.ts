import { SELF } from "cloudflare:test";
import { Secp256k1Keypair } from "@atproto/crypto";
import { createServiceJwt } from "@atproto/xrpc-server";
import { describe, expect, inject, it } from "vitest";
import { publishDidWeb } from "../worker/helpers/network.ts";
import { didWithPds, hits } from "./helpers.ts";

// The address guard as production runs it (ALLOW_PRIVATE_PDS = "false"),
// through the real request path: requestIndex and resyncCommunity resolve a
// real DID on the test PLC, read its DID document and refuse to go where it
// points when that is not a public https address. The public internet is
// scripted by test/setup/public-network.ts, which also counts the hosts the
// Worker asked: a refused address must never have been contacted.

const ADMIN = { authorization: `Basic ${btoa("admin:test-admin-password")}` };

interface XrpcError {
  error?: string;
  message?: string;
  status?: string;
}

let client = 0;

async function xrpc(method: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await SELF.fetch(`https://feeds.test/xrpc/${method}`, {
    method: "POST",
    // Each call is its own client, so requestIndex's per-client limit never answers instead.
    headers: { "content-type": "application/json", "cf-connecting-ip": `198.51.100.${++client}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as XrpcError };
}

const requestIndex = (uri: string) => xrpc("com.atrarium.sync.requestIndex", { uri });

describe("the PDS address guard, with ALLOW_PRIVATE_PDS false", () => {
  it("refuses every textual form of a private PDS endpoint with a 502 naming it, before contacting it", async () => {
    const forms: [endpoint: string, shownAs: string][] = [
      ["https://[::ffff:127.0.0.1]", "[::ffff:7f00:1]"],
      ["https://[::ffff:7f00:1]", "[::ffff:7f00:1]"],
      ["https://[::127.0.0.1]", "[::7f00:1]"],
      ["https://[::1]", "[::1]"],
      ["https://[::]", "[::]"],
      ["https://[fd12:3456::1]", "[fd12:3456::1]"],
      ["https://[fc00::1]", "[fc00::1]"],
      ["https://[fe80::1]", "[fe80::1]"],
      ["https://[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]"],
      ["https://[::ffff:0:169.254.169.254]", "[::ffff:0:a9fe:a9fe]"],
      ["https://[64:ff9b::8.8.8.8]", "[64:ff9b::808:808]"],
      ["https://[2001::1]", "[2001::1]"],
      ["https://[64:ff9b:1::a00:1]", "[64:ff9b:1::a00:1]"],
      ["https://[2002:a00:1::1]", "[2002:a00:1::1]"],
      ["https://[2002:808:808::1]", "[2002:808:808::1]"],
      ["https://192.88.99.1", "192.88.99.1"],
      ["https://2130706433", "127.0.0.1"],
      ["https://0177.0.0.1", "127.0.0.1"],
      ["https://0x7f.0.0.1", "127.0.0.1"],
      ["https://127.1", "127.0.0.1"],
      ["https://10.0.0.7", "10.0.0.7"],
      ["https://169.254.169.254", "169.254.169.254"],
      ["https://0.0.0.0", "0.0.0.0"],
      ["https://localhost", "localhost"],
      ["https://pds.localhost", "pds.localhost"],
      ["https://printer.local", "printer.local"],
      ["http://plain-http.guard.test", "plain-http.guard.test"],
    ];
    for (const [endpoint, shownAs] of forms) {
      const did = await didWithPds(endpoint);
      const answer = await requestIndex(`at://${did}/app.bsky.feed.post/3kguard00001`);
      expect(answer.status, endpoint).toBe(502);
      expect(answer.body.error, endpoint).toBe("PdsRefused");
      expect(answer.body.message, endpoint).toContain(shownAs);
    }
    const asked = Object.keys(await hits());
    for (const [, shownAs] of forms) expect(asked, shownAs).not.toContain(shownAs);
  });

  it("checks every redirect hop with the same guard and follows at most three", async () => {
    const toPrivate = await didWithPds("https://redirect-private.guard.test");
    const refused = await requestIndex(`at://${toPrivate}/app.bsky.feed.post/3kguard00002`);
    expect(refused.status).toBe(502);
    expect(refused.body.error).toBe("PdsRefused");
    expect(refused.body.message).toContain("redirected");
    expect(refused.body.message).toContain("127.0.0.1:9");

    const toMapped = await didWithPds("https://redirect-mapped.guard.test");
    const mapped = await requestIndex(`at://${toMapped}/app.bsky.feed.post/3kguard00003`);
    expect(mapped.body).toMatchObject({ error: "PdsRefused" });
    expect(mapped.body.message).toContain("[::ffff:7f00:1]");

    const looping = await didWithPds("https://redirect-loop.guard.test");
    const before = (await hits())["redirect-loop.guard.test"] ?? 0;
    const loop = await requestIndex(`at://${looping}/app.bsky.feed.post/3kguard00004`);
    expect(loop.status).toBe(502);
    expect(loop.body.error).toBe("PdsUnreachable");
    expect(loop.body.message).toContain("more than 3 redirects");
    const after = await hits();
    expect((after["redirect-loop.guard.test"] ?? 0) - before).toBe(4); // the request and three hops, no retry
    expect(after["127.0.0.1:9"]).toBeUndefined();
    expect(after["[::ffff:7f00:1]"]).toBeUndefined();

    // Between public hosts, the hops are followed and the record is read.
    const hopping = await didWithPds("https://redirect-hop.guard.test");
    const config = `at://${hopping}/com.atrarium.community.config/3kguard00005`;
    const indexed = await requestIndex(config);
    expect(indexed).toMatchObject({ status: 200, body: { status: "indexed" } });
    expect((await hits())["records.guard.test"]).toBeGreaterThan(0);
  });

  it("refuses a did:web on a private host before fetching its document, for requestIndex and for service auth", async () => {
    const keypair = await Secp256k1Keypair.create();
    const local = await publishDidWeb(keypair); // did:web:localhost%3A<port>, served by the test network
    const control = inject("networkControlUrl");
    const fetched = async () =>
      ((await (await fetch(`${control}/did-web/hits`)).json()) as { hits: number }).hits;
    const before = await fetched();
    for (const did of [local, "did:web:169.254.169.254", "did:web:printer.local"]) {
      const answer = await requestIndex(`at://${did}/app.bsky.feed.post/3kguard00006`);
      expect(answer.status, did).toBe(502);
      expect(answer.body.error, did).toBe("DidResolutionFailed");
      expect(answer.body.message, did).toContain("refusing did:web host");
    }
    const lxm = "com.atrarium.moderation.getActions";
    const jwt = await createServiceJwt({ iss: local, aud: "did:web:feeds.test", lxm, keypair });
    const res = await SELF.fetch(
      `https://feeds.test/xrpc/${lxm}?community=${encodeURIComponent("at://did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/com.atrarium.community.config/3k")}`,
      { headers: { authorization: `Bearer ${jwt}` } },
    );
    expect(res.status).toBe(401);
    expect(((await res.json()) as XrpcError).message).toContain("refusing did:web host");
    expect(await fetched()).toBe(before);
  });

  it("answers 400 UnknownDid for a DID that does not exist, and 502 naming the cause when a PDS is refused", async () => {
    const unknown = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa";
    const answer = await requestIndex(`at://${unknown}/app.bsky.feed.post/3kguard00007`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe("UnknownDid");
    expect(answer.body.message).toContain(unknown);
    expect(answer.body.message).toMatch(/does not exist/i);

    const refusedOwner = await didWithPds("https://[::ffff:10.0.0.1]");
    const resync = await xrpc(
      "com.atrarium.admin.resyncCommunity",
      { community: `at://${refusedOwner}/com.atrarium.community.config/3kguard00008` },
      ADMIN,
    );
    expect(resync.status).toBe(502);
    expect(resync.body.error).toBe("PdsRefused");
    expect(resync.body.message).toContain("[::ffff:a00:1]");
  });
});
