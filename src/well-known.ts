import type { Env } from "./env.ts";

/** The did:web a host is known by: `did:web:` + host, with a port written `%3A`. */
export function didWebForUrl(url: string): string {
  const { hostname, port } = new URL(url);
  return `did:web:${hostname}${port ? `%3A${port}` : ""}`;
}

/**
 * The DID document that makes SERVICE_DID resolvable, with two services at
 * PUBLIC_URL: #bsky_fg, where the AppView asks for feeds, and #atrarium, where
 * a user's PDS forwards an app's com.atrarium.* calls (`atproto-proxy`). Only a
 * did:web is served from here; a did:plc service identity is published in the
 * PLC directory instead.
 */
export function serviceDidDocument(env: Pick<Env, "SERVICE_DID" | "PUBLIC_URL">) {
  if (!env.SERVICE_DID.startsWith("did:web:")) return null;
  const origin = new URL(env.PUBLIC_URL).origin;
  return {
    "@context": ["https://www.w3.org/ns/did/v1"],
    id: env.SERVICE_DID,
    service: [
      { id: "#bsky_fg", type: "BskyFeedGenerator", serviceEndpoint: origin },
      { id: "#atrarium", type: "AtrariumService", serviceEndpoint: origin },
    ],
  };
}
