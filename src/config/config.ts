// The settings the code reads: the Worker's variables once every one parsed
// (variables.ts) and every rule between them held (rules.ts), under the names
// the code uses. Nothing outside src/config/ reads a variable's text from env;
// bindings (Durable Objects, the queue) stay on env.
import type { ParsedVariables, ServiceDid } from "./variables.ts";

export type { ServiceDid };

/** Where the web app resolves a handle at sign-in when HANDLE_RESOLVER_URL is unset. */
const DEFAULT_HANDLE_RESOLVER = "https://public.api.bsky.app";

export interface Config {
  /** SERVICE_DID: the DID the AppView and PDSes know this Worker by, with its method (and a did:web's host). */
  readonly serviceDid: ServiceDid;
  /** PUBLIC_URL: the origin the AppView, PDSes and browsers reach this Worker at. */
  readonly publicUrl: Readonly<URL>;
  /** JETSTREAM_URL: Jetstream /subscribe URLs, the first preferred, the others fallbacks. */
  readonly jetstreamUrls: readonly Readonly<URL>[];
  /** PLC_URL: the PLC directory did:plc identities are resolved with. */
  readonly plcUrl: Readonly<URL>;
  /** ALLOW_PRIVATE_PDS: PDSes on loopback or private addresses may be reached (local development only). */
  readonly allowPrivatePds: boolean;
  /** ADMIN_PASSWORD: the secret of HTTP Basic user "admin". */
  readonly adminPassword: string;
  /** APPVIEW_URL: an AppView the web pages read posts and handles from; unset: each author's PDS. */
  readonly appviewUrl: Readonly<URL> | undefined;
  /** HANDLE_RESOLVER_URL: the resolveHandle service the browser asks at sign-in. */
  readonly handleResolverUrl: Readonly<URL>;
}

export function configOf(variables: ParsedVariables): Config {
  return Object.freeze({
    serviceDid: variables.SERVICE_DID,
    publicUrl: variables.PUBLIC_URL,
    jetstreamUrls: Object.freeze([...variables.JETSTREAM_URL]),
    plcUrl: variables.PLC_URL,
    allowPrivatePds: variables.ALLOW_PRIVATE_PDS,
    adminPassword: variables.ADMIN_PASSWORD,
    appviewUrl: variables.APPVIEW_URL,
    handleResolverUrl: variables.HANDLE_RESOLVER_URL ?? new URL(DEFAULT_HANDLE_RESOLVER),
  });
}
