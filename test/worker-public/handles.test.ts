import { SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { createIdResolver } from "../../src/auth/service.ts";
import { HandleVerifier } from "../../src/net/verified-handles.ts";
import { didWithPds, hits } from "./helpers.ts";

// A handle is shown for a DID only when both directions agree, as the AppView
// checks them: the DID document names the handle (alsoKnownAs), and the
// handle resolves back to the DID (DNS TXT over HTTPS, or
// https://<handle>/.well-known/atproto-did). The author's own PDS may claim
// any handle (describeRepo's handleIsCorrect is its word, not a check), so it
// is not asked. Handles, well-known files and DNS answers are scripted by
// test/setup/scripted-identity.ts; the PDS by test/setup/scripted-pds.ts.

const script = (path: string, body: unknown) =>
  fetch(`https://script.guard.test${path}`, { method: "PUT", body: JSON.stringify(body) });

async function shownHandles(...dids: string[]): Promise<Record<string, string>> {
  const query = new URLSearchParams(dids.map((did) => ["did", did]));
  const res = await SELF.fetch(`https://feeds.test/web/hydrate?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { handles: Record<string, string> }).handles;
}

describe("handles on the pages", () => {
  it("does not show a handle the DID's own PDS claims when the handle belongs to someone else", async () => {
    const owner = await didWithPds("https://repo.guard.test", "famous.handles.guard.test");
    await script("/well-known", { handle: "famous.handles.guard.test", did: owner });
    // Anyone can write any handle into their own DID document, and their own PDS vouches for it.
    const impostor = await didWithPds("https://repo.guard.test", "famous.handles.guard.test");
    await script("/claims", { did: impostor, handle: "famous.handles.guard.test" });
    const shown = await shownHandles(impostor, owner);
    expect(shown[impostor]).toBeUndefined();
    expect(shown[owner]).toBe("famous.handles.guard.test");
  });

  it("shows a handle that resolves back through DNS, and none whose DNS names another DID", async () => {
    const did = await didWithPds("https://repo.guard.test", "by-dns.handles.guard.test");
    await script("/dns", { handle: "by-dns.handles.guard.test", did });
    const other = await didWithPds("https://repo.guard.test", "taken.handles.guard.test");
    await script("/dns", { handle: "taken.handles.guard.test", did });
    await script("/claims", { did: other, handle: "taken.handles.guard.test" });
    expect(await shownHandles(did, other)).toEqual({ [did]: "by-dns.handles.guard.test" });
    expect((await hits())["cloudflare-dns.com"]).toBeGreaterThan(0);
  });

  it("shows no handle for a DID whose handle resolves nowhere", async () => {
    const did = await didWithPds("https://repo.guard.test", "nowhere.handles.guard.test");
    await script("/claims", { did, handle: "nowhere.handles.guard.test" });
    expect(await shownHandles(did)).toEqual({});
  });

  it("asks the DNS-over-HTTPS service it is given", async () => {
    const did = await didWithPds("https://repo.guard.test", "own-doh.handles.guard.test");
    await script("/dns", { handle: "own-doh.handles.guard.test", did });
    const verifier = new HandleVerifier(createIdResolver(inject("plcUrl"), false).did, {
      allowPrivate: false,
      dohUrl: "https://doh.guard.test/dns-query",
    });
    const before = (await hits())["doh.guard.test"] ?? 0;
    expect(await verifier.verifiedHandle(did)).toBe("own-doh.handles.guard.test");
    expect(await verifier.verifiedHandle("did:plc:notanatprotodid!")).toBeNull();
    expect((await hits())["doh.guard.test"]).toBe(before + 1);
  });
});
