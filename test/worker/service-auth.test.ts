// Service auth's clock leeway: a token just past its `exp` is re-checked by
// hand (verifyJwt has no leeway), and must be refused for everything
// verifyJwt refuses, the token types that are no service tokens included.
import { Secp256k1Keypair } from "@atproto/crypto";
import { XRPCError } from "@atproto/xrpc-server";
import { describe, expect, inject, it } from "vitest";
import { createIdResolver, verifyExpiredWithinLeeway } from "../../src/auth/service.ts";
import { publishDidWeb } from "./helpers/network.ts";
import { xrpc } from "./helpers/xrpc.ts";

// A method that requires service auth (getFeedSkeleton ignores a bad token: design.md).
const LXM = "com.atrarium.moderation.getActions";
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A token signed with `keypair`, with the header type given, that expired ten seconds ago. */
async function justExpired(keypair: Secp256k1Keypair, iss: string, typ: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64url({ alg: keypair.jwtAlg, typ })}.${b64url({ iss, aud: "did:web:feeds.test", lxm: LXM, iat: now - 70, exp: now - 10 })}`;
  const sig = Buffer.from(await keypair.sign(Buffer.from(head, "utf8"))).toString("base64url");
  return `${head}.${sig}`;
}

describe("service auth within the clock leeway", () => {
  it("refuses at+jwt, refresh+jwt and dpop+jwt tokens, and takes a JWT", async () => {
    const keypair = await Secp256k1Keypair.create();
    const iss = await publishDidWeb(keypair);
    const resolver = createIdResolver(inject("plcUrl"), true);
    const getKey = (did: string, force: boolean) => resolver.did.resolveAtprotoKey(did, force);
    for (const typ of ["at+jwt", "refresh+jwt", "dpop+jwt"]) {
      const token = await justExpired(keypair, iss, typ);
      const refused = await verifyExpiredWithinLeeway(token, LXM, getKey).then(
        () => null,
        (err: unknown) => err,
      );
      expect(refused, typ).toBeInstanceOf(XRPCError);
      expect((refused as XRPCError).customErrorName, typ).toBe("BadJwtType");
      const community = "at://did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/com.atrarium.community.config/3kabc";
      const res = await xrpc(LXM, { params: { community }, headers: { authorization: `Bearer ${token}` } });
      expect(res, typ).toMatchObject({ status: 401, body: { error: "BadJwtType" } });
    }
    expect(await verifyExpiredWithinLeeway(await justExpired(keypair, iss, "JWT"), LXM, getKey)).toBe(iss);
  });
});
