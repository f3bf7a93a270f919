import type { Config } from "./config/config.ts";

/**
 * Whether a hostname (as URL gives it) is an IP address. A did:web may not
 * name one in practice: PDSes refuse to mint service-auth tokens for it.
 */
export function isIpAddress(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith("[");
}

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
export function serviceDidDocument(config: Pick<Config, "serviceDid" | "publicUrl">) {
  if (config.serviceDid.method !== "web") return null;
  const origin = config.publicUrl.origin;
  return {
    "@context": ["https://www.w3.org/ns/did/v1"],
    id: config.serviceDid.did,
    service: [
      { id: "#bsky_fg", type: "BskyFeedGenerator", serviceEndpoint: origin },
      { id: "#atrarium", type: "AtrariumService", serviceEndpoint: origin },
    ],
  };
}
