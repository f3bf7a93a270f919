// A DID for what a person types to name an account: a DID as is, or a
// handle (with or without its @), resolved by the handle resolver the
// server configured.
import type { WebConfig } from "./config.ts";
import { Problem } from "./errors.ts";

export async function resolveActor(config: WebConfig, input: string): Promise<string> {
  const value = input.trim().replace(/^@/, "");
  if (value.startsWith("did:")) return value;
  const url = new URL("/xrpc/com.atproto.identity.resolveHandle", config.handleResolver);
  url.searchParams.set("handle", value.toLowerCase());
  const res = await fetch(url).catch(() => null);
  const body = (await res?.json().catch(() => null)) as { did?: string } | null;
  if (!res)
    throw new Problem("network", "The handle could not be looked up right now. Try again, or paste the DID.");
  if (!body?.did) throw new Problem("invalid", `No account has the handle “${value}”.`);
  return body.did;
}
