import { timingSafeEqual } from "node:crypto";
import { AuthRequiredError } from "@atproto/xrpc-server";
import type { AppContext } from "../context.ts";

export type AdminAuth = { credentials: { type: "admin" } };

interface RequestLike {
  headers: { authorization?: string | undefined };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * HTTP Basic with user "admin" and the ADMIN_PASSWORD secret, as the reference
 * PDS does for its admin routes. The configuration gate refuses to serve
 * without the secret (src/config/), so there is always one to compare with.
 */
export function adminAuth(ctx: AppContext) {
  return ({ req }: { req: RequestLike }): AdminAuth => {
    const expected = ctx.config.adminPassword;
    const header = req.headers.authorization ?? "";
    if (!header.startsWith("Basic "))
      throw new AuthRequiredError("Admin authentication required", "AuthRequired");
    const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? "" : decoded.slice(colon + 1);
    if (user !== "admin" || !sameSecret(password, expected)) {
      throw new AuthRequiredError("Invalid admin credentials", "AuthRequired");
    }
    return { credentials: { type: "admin" } };
  };
}
