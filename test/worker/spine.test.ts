import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { didWebForUrl, serviceDidDocument } from "../../src/well-known.ts";
import { configWith } from "./helpers/config.ts";

const xrpc = (path: string, init?: RequestInit) => SELF.fetch(`https://feeds.test/xrpc/${path}`, init);

describe("did:web", () => {
  it("serves did.json for SERVICE_DID with the #bsky_fg and #atrarium services", async () => {
    const res = await SELF.fetch("https://feeds.test/.well-known/did.json");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      "@context": ["https://www.w3.org/ns/did/v1"],
      id: "did:web:feeds.test",
      service: [
        { id: "#bsky_fg", type: "BskyFeedGenerator", serviceEndpoint: "https://feeds.test" },
        { id: "#atrarium", type: "AtrariumService", serviceEndpoint: "https://feeds.test" },
      ],
    });
  });

  it("writes a port as %3A", () => {
    expect(didWebForUrl("http://localhost:8787/")).toBe("did:web:localhost%3A8787");
    const doc = serviceDidDocument(
      configWith({ SERVICE_DID: "did:web:localhost%3A8787", PUBLIC_URL: "http://localhost:8787" }),
    );
    expect(doc?.id).toBe("did:web:localhost%3A8787");
    expect(doc?.service[0]?.serviceEndpoint).toBe("http://localhost:8787");
  });

  it("serves nothing for a did:plc service identity", () => {
    const plc = configWith({ SERVICE_DID: "did:plc:ewvi7nxzyoun6zhxrhs64oiz", PUBLIC_URL: "https://x.test" });
    expect(serviceDidDocument(plc)).toBeNull();
  });
});

describe("XRPC spine", () => {
  it("answers the health check", async () => {
    const res = await xrpc("_health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: "atrarium" });
  });

  it("describes the feed generator with no feeds before anything is indexed", async () => {
    const res = await xrpc("app.bsky.feed.describeFeedGenerator");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ did: "did:web:feeds.test", feeds: [] });
  });

  it("rejects a bad param with 400 InvalidRequest", async () => {
    const res = await xrpc("com.atrarium.community.getCommunity?community=not-a-uri");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe("InvalidRequest");
    expect(body.message).toMatch(/community/);
  });

  it("rejects a missing required param with 400", async () => {
    const res = await xrpc("com.atrarium.community.getMembers");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("InvalidRequest");
  });

  it("rejects an out-of-range limit with 400", async () => {
    const res = await xrpc("com.atrarium.community.listCommunities?limit=101");
    expect(res.status).toBe(400);
  });

  it("answers an unknown method with 501 MethodNotImplemented", async () => {
    const res = await xrpc("com.atrarium.nope.doesNotExist");
    expect(res.status).toBe(501);
    expect(((await res.json()) as { error: string }).error).toBe("MethodNotImplemented");
  });

  it("rejects a procedure without a body with 400", async () => {
    const res = await xrpc("com.atrarium.sync.requestIndex", { method: "POST" });
    expect(res.status).toBe(400);
  });
});

describe("admin auth", () => {
  const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

  it("refuses admin methods without credentials", async () => {
    const res = await xrpc("com.atrarium.admin.getFirehoseStatus");
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("AuthRequired");
  });

  it("refuses a wrong password and a wrong user", async () => {
    for (const header of [basic("admin", "wrong"), basic("root", "test-admin-password"), "Bearer x"]) {
      const res = await xrpc("com.atrarium.admin.getFirehoseStatus", { headers: { authorization: header } });
      expect(res.status).toBe(401);
    }
  });

  it("accepts the admin password", async () => {
    const res = await xrpc("com.atrarium.admin.getFirehoseStatus", {
      headers: { authorization: basic("admin", "test-admin-password") },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { connected: boolean }).connected).toBe(false);
  });
});
