// The web app's OAuth client, described once: the scopes it asks for, the
// client metadata document a PDS reads, and the settings the browser code
// receives. Local development differs only in values (a loopback client id,
// an http PLC and handle resolver), never in code.
import type { Config } from "../../config/config.ts";
import { isPrivateHost } from "../../net/address.ts";
import { COLLECTIONS } from "../../records/address.ts";
import type { ClientMetadata, WebConfig } from "../shared/contract.ts";

/** Where the PDS sends the browser back after sign-in. */
export const CALLBACK_PATH = "/oauth/callback";
/** Where a deployed app publishes its client metadata (its client_id). */
export const CLIENT_METADATA_PATH = "/oauth-client-metadata.json";
/** The service id a user's PDS proxies com.atrarium.* calls to (`atproto-proxy: <did>#atrarium`). */
export const PROXY_SERVICE_ID = "atrarium";

/** For PDSes that do not know granular scopes: full access to the repo, said so in the UI. */
export const FALLBACK_SCOPE = "atproto transition:generic";

/**
 * The com.atrarium methods the app calls through the user's PDS, which signs a
 * service-auth token for each (our permission sets grant them too).
 */
const PROXIED_METHODS = [
  "com.atrarium.moderation.getActions",
  "com.atrarium.community.getJoinRequests",
  "com.atrarium.sync.requestIndex",
];

/**
 * The feed read as the signed-in person, so that a members-only feed gives a
 * member all of it: app.bsky.* is outside our namespace, so no set of ours can
 * grant it, and it is always asked for as a granular scope.
 */
const FEED_METHOD = "app.bsky.feed.getFeedSkeleton";

/**
 * A scope parameter value: `%` and `#` must be escaped, so that a did:web
 * with a port (`did:web:localhost%3A8787`) survives the PDS's decoding.
 */
const scopeParam = (value: string) => value.replace(/%/g, "%25").replace(/#/g, "%23");

/** The feed record of a community: created with it, kept in step with its name, deleted with it. */
const FEED_RECORD_SCOPE = `repo:${COLLECTIONS.feedGenerator}?action=create&action=update&action=delete`;

/** Our OAuth permission sets (lexicons/com/atrarium/auth*.json), published with `lexicons:publish`. */
const PERMISSION_SETS = ["com.atrarium.authMember", "com.atrarium.authManager"];

/**
 * What the app asks for first: our two permission sets, which the user's PDS
 * shows as one line each, plus what a set of ours cannot grant (a set may
 * only name NSIDs under its own namespace): two Bluesky records and the feed.
 */
export function permissionSetScopes(serviceDid: string): string[] {
  const audience = `${serviceDid}#${PROXY_SERVICE_ID}`;
  // A set's rpc permissions take their audience from the include. The PDS writes
  // that audience back out without escaping `%` (@atproto/oauth-scopes 0.5), so a
  // did:web with a port, which only local development has, would not match its own
  // check: there the sets come without an audience and our methods are asked for directly.
  const inherit = !audience.includes("%");
  return [
    "atproto",
    ...PERMISSION_SETS.map((set) =>
      inherit ? `include:${set}?aud=${scopeParam(audience)}` : `include:${set}`,
    ),
    ...(inherit ? [] : PROXIED_METHODS.map((lxm) => `rpc:${lxm}?aud=${scopeParam(audience)}`)),
    FEED_RECORD_SCOPE,
    `repo:${COLLECTIONS.post}?action=create`,
    `rpc:${FEED_METHOD}?aud=${scopeParam(audience)}`,
  ];
}

/**
 * The same rights spelled out, for a PDS that cannot resolve our permission
 * sets: each record type with only the actions the app performs, and the
 * Worker methods that need the caller's identity.
 */
export function grantedScopes(serviceDid: string): string[] {
  const aud = scopeParam(`${serviceDid}#${PROXY_SERVICE_ID}`);
  return [
    "atproto",
    `repo:${COLLECTIONS.config}?action=create&action=update&action=delete`,
    FEED_RECORD_SCOPE,
    `repo:${COLLECTIONS.membership}?action=create&action=update&action=delete`,
    `repo:${COLLECTIONS.action}?action=create`,
    `repo:${COLLECTIONS.post}?action=create`,
    ...[...PROXIED_METHODS, FEED_METHOD].map((lxm) => `rpc:${lxm}?aud=${aud}`),
  ];
}

/** What sign-in asks for, best first: the permission sets, the granular scopes, then general access. */
export function scopeChoices(serviceDid: string): string[] {
  return [permissionSetScopes(serviceDid).join(" "), grantedScopes(serviceDid).join(" "), FALLBACK_SCOPE];
}

/** The app's address: PUBLIC_URL, except that a loopback app is reached by IP (RFC 8252 §7.3). */
export function appOrigin(config: Pick<Config, "publicUrl">): string {
  const url = new URL(config.publicUrl.href);
  if (url.hostname === "localhost") url.hostname = "127.0.0.1";
  return url.origin;
}

const isLoopback = (origin: string) => ["127.0.0.1", "[::1]"].includes(new URL(origin).hostname);

/** Whether the Bluesky app can reach this instance's feeds: an https origin on a public host. */
export function instanceIsPublic(config: Pick<Config, "publicUrl">): boolean {
  const url = new URL(appOrigin(config));
  return url.protocol === "https:" && !isPrivateHost(url.hostname);
}

/**
 * The public-client metadata. A deployed app's client_id is the URL of this
 * document; an app on a loopback address uses the loopback client id the
 * atproto OAuth profile defines (`http://localhost?redirect_uri=…&scope=…`),
 * which no PDS fetches. The scope lists everything the app may request: the
 * granular scopes and the fallback.
 */
export function clientMetadata(config: Pick<Config, "publicUrl" | "serviceDid">): ClientMetadata {
  const origin = appOrigin(config);
  const redirectUri = `${origin}${CALLBACK_PATH}`;
  const choices = scopeChoices(config.serviceDid.did);
  const scope = [...new Set(choices.flatMap((choice) => choice.split(" ")))].join(" ");
  const common = {
    redirect_uris: [redirectUri] as [string],
    scope,
    grant_types: ["authorization_code", "refresh_token"] as ["authorization_code", "refresh_token"],
    response_types: ["code"] as ["code"],
    token_endpoint_auth_method: "none" as const,
    dpop_bound_access_tokens: true as const,
  };
  if (isLoopback(origin)) {
    const query = new URLSearchParams({ redirect_uri: redirectUri, scope });
    return { client_id: `http://localhost?${query}`, application_type: "native", ...common };
  }
  return {
    client_id: `${origin}${CLIENT_METADATA_PATH}`,
    client_name: "Atrarium",
    client_uri: origin,
    application_type: "web",
    ...common,
  };
}

/** What the browser code is configured with (embedded in each page as JSON). */
export function webConfig(config: Config): WebConfig {
  const metadata = clientMetadata(config);
  const serviceDid = config.serviceDid.did;
  return {
    serviceDid,
    proxy: `${serviceDid}#${PROXY_SERVICE_ID}`,
    clientMetadata: metadata,
    scopes: scopeChoices(serviceDid),
    handleResolver: config.handleResolverUrl.href,
    plcDirectoryUrl: config.plcUrl.href,
    allowHttp: isLoopback(appOrigin(config)),
  };
}
