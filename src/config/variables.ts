// The Worker's variables, one zod schema each: what a value must look like on
// its own, parsed into what the code uses (a URL, a list, a boolean). Each
// problem is a zod issue whose message says what is wrong with the value and
// whose `params.fix` says what to do; a variable's `fix` covers the rest
// (a missing value). Rules between variables are in rules.ts.
import { isValidDid } from "@atproto/syntax";
import { z } from "zod";
import { isLocalDevelopmentHost } from "../net/hosts.ts";
import { isIpAddress } from "../well-known.ts";

/** A service DID, split into what the rules compare. */
export type ServiceDid =
  | { did: string; method: "web"; hostname: string; port: string }
  | { did: string; method: "plc" };

const WRANGLER_VARS = "in wrangler.toml [vars] (or with --var for wrangler dev)";
const PUBLIC_JETSTREAM = "wss://jetstream2.us-east.bsky.network/subscribe";

type Ctx = z.RefinementCtx;

/** Records one problem with the value, and what to do about it when the variable's own fix does not say. */
function problem(ctx: Ctx, message: string, fix?: string): void {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message, ...(fix ? { params: { fix } } : {}) });
}

/** A required text value: absent and empty are both "not set". */
const text = () =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string({ required_error: "is not set", invalid_type_error: "is not text" }),
  );

/** An optional text value: empty means unset (wrangler.toml keeps commented-out examples empty). */
const optionalText = () =>
  z.preprocess((v) => (v === "" ? undefined : v), z.string({ invalid_type_error: "is not text" }).optional());

function parseUrl(ctx: Ctx, value: string, schemes: string[], example: string): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problem(ctx, `"${value}" is not a URL`, `write the whole URL, e.g. "${example}"`);
    return null;
  }
  if (!schemes.includes(url.protocol)) {
    const allowed = schemes.map((s) => s.replace(":", "://")).join(" or ");
    problem(
      ctx,
      `"${value}" is ${url.protocol}//, not ${allowed}`,
      `write a ${allowed} URL, e.g. "${example}"`,
    );
    return null;
  }
  return url;
}

function parseServiceDid(value: string, ctx: Ctx): ServiceDid | undefined {
  if (!isValidDid(value)) {
    problem(
      ctx,
      `"${value}" is not a DID`,
      'write "did:web:" and the host, e.g. "did:web:feeds.example.com"',
    );
    return undefined;
  }
  const [, method, rest = ""] = value.split(/^did:([a-z]+):/);
  if (method === "plc") {
    if (/^[a-z2-7]{24}$/.test(rest)) return { did: value, method: "plc" };
    problem(ctx, `"${value}" is not a did:plc (24 characters a-z and 2-7)`, "copy the DID as PLC shows it");
    return undefined;
  }
  if (method !== "web") {
    problem(
      ctx,
      `is a did:${method}; a feed generator's service DID is a did:web (or a did:plc)`,
      'use the did:web of the Worker\'s host, e.g. "did:web:feeds.example.com"',
    );
    return undefined;
  }
  if (rest.includes(":")) {
    problem(
      ctx,
      `"${value}" has a path; atproto resolves a did:web only at a host's root`,
      'name the bare host, e.g. "did:web:feeds.example.com"',
    );
    return undefined;
  }
  const [hostname = "", port = ""] = decodeURIComponent(rest).toLowerCase().split(":");
  if (port !== "" && !/^\d{1,5}$/.test(port)) {
    problem(
      ctx,
      `"${value}" has a malformed port`,
      'write a port as %3A and digits, e.g. "did:web:localhost%3A8787"',
    );
    return undefined;
  }
  if (port !== "" && !isLocalDevelopmentHost(hostname)) {
    problem(
      ctx,
      `"${value}" has a port; the AppView resolves a did:web only over https on the default port (443)`,
      isIpAddress(hostname)
        ? 'serve the Worker on port 443 under a host name and set SERVICE_DID = "did:web:<that name>" (a PDS refuses a did:web of an IP address)'
        : `serve the Worker on port 443 and drop the port: "did:web:${hostname}"`,
    );
  }
  return { did: value, method: "web", hostname, port };
}

function parsePublicUrl(value: string, ctx: Ctx): URL | undefined {
  const url = parseUrl(ctx, value, ["https:", "http:"], "https://feeds.example.com");
  if (!url) return undefined;
  const extra = [
    url.username || url.password ? "credentials" : "",
    url.pathname !== "/" ? `the path ${url.pathname}` : "",
    url.search ? "a query" : "",
    url.hash ? "a fragment" : "",
  ].filter(Boolean);
  if (extra.length > 0) {
    problem(
      ctx,
      `"${value}" has ${extra.join(" and ")}; the AppView calls PUBLIC_URL + /xrpc/… and did.json sits at the host's root`,
      `set PUBLIC_URL = "${url.origin}"`,
    );
  }
  if (isLocalDevelopmentHost(url.hostname)) return url;
  if (url.protocol !== "https:") {
    problem(
      ctx,
      `"${value}" is http on a public host; the AppView calls feed generators only over https`,
      `serve the Worker over https (a custom domain or route does) and set PUBLIC_URL = "https://${url.host}"`,
    );
  }
  if (url.port) {
    problem(
      ctx,
      `"${value}" has the port ${url.port}; the AppView calls feed generators only on the default https port`,
      `serve the Worker on port 443 and set PUBLIC_URL = "https://${url.hostname}"`,
    );
  }
  return url;
}

function parseJetstreamUrls(value: string, ctx: Ctx): URL[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) problem(ctx, "names no URL", `set JETSTREAM_URL = "${PUBLIC_JETSTREAM}"`);
  const urls: URL[] = [];
  for (const item of items) {
    const url = parseUrl(ctx, item, ["wss:", "ws:"], PUBLIC_JETSTREAM);
    if (!url) continue;
    if (!url.pathname.endsWith("/subscribe")) {
      problem(
        ctx,
        `"${item}" does not end in /subscribe, Jetstream's only WebSocket endpoint`,
        `write "${url.origin}${url.pathname.replace(/\/$/, "")}/subscribe"`,
      );
    }
    if (url.search) {
      problem(
        ctx,
        `"${item}" has a query; the receiver sets wantedCollections and cursor itself`,
        `drop "${url.search}"`,
      );
    }
    urls.push(url);
  }
  return urls;
}

const httpUrl = (example: string) => (value: string, ctx: Ctx) =>
  parseUrl(ctx, value, ["https:", "http:"], example) ?? undefined;

/** One variable: its schema and what to do when it is missing or unusable. */
interface Variable<T> {
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  fix: string;
}
const variable = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, fix: string): Variable<T> => ({
  schema,
  fix,
});

/** A binding declared in wrangler.toml: present or not (workerd checks the rest). */
const binding = (declaration: string) =>
  variable(
    z.custom<object>((v) => typeof v === "object" && v !== null, { message: "is not bound" }),
    `declare it in wrangler.toml: ${declaration}`,
  );

/**
 * The Worker's environment as a schema: one zod schema per variable (with
 * the wrangler.toml bindings it needs). check.ts parses them one by one, so
 * that a bad variable hides neither another's problem nor a rule between the
 * others.
 */
export const VARIABLES = {
  SERVICE_DID: variable(
    text().transform((v, ctx) => parseServiceDid(v, ctx) ?? z.NEVER),
    `set SERVICE_DID ${WRANGLER_VARS} to the did:web of PUBLIC_URL's host, e.g. "did:web:feeds.example.com"`,
  ),
  PUBLIC_URL: variable(
    text().transform((v, ctx) => parsePublicUrl(v, ctx) ?? z.NEVER),
    `set PUBLIC_URL ${WRANGLER_VARS} to the https origin the AppView reaches, e.g. "https://feeds.example.com"`,
  ),
  JETSTREAM_URL: variable(
    text().transform(parseJetstreamUrls),
    `set JETSTREAM_URL ${WRANGLER_VARS}, e.g. "${PUBLIC_JETSTREAM}" (a comma-separated list adds fallbacks)`,
  ),
  PLC_URL: variable(
    text().transform((v, ctx) => httpUrl("https://plc.directory")(v, ctx) ?? z.NEVER),
    `set PLC_URL ${WRANGLER_VARS}, normally "https://plc.directory"`,
  ),
  ALLOW_PRIVATE_PDS: variable(
    optionalText()
      .refine((v) => v === undefined || v === "true" || v === "false", {
        message: 'is neither "true" nor "false"',
      })
      .transform((v) => v === "true"),
    'set ALLOW_PRIVATE_PDS = "false" (only local development sets "true")',
  ),
  ADMIN_PASSWORD: variable(
    text().superRefine((value, ctx) => {
      // Never echo the value: it is a secret.
      if (value.length < 16) problem(ctx, `is ${value.length} characters; it must be at least 16`);
      if (value.trim() !== value) problem(ctx, "starts or ends with white space (a pasted newline?)");
    }),
    'set it as a secret: `openssl rand -base64 24 | npx wrangler secret put ADMIN_PASSWORD` (locally: ADMIN_PASSWORD = "…" in .dev.vars)',
  ),
  APPVIEW_URL: variable(
    optionalText().transform((v, ctx) =>
      v === undefined ? undefined : httpUrl("https://public.api.bsky.app")(v, ctx),
    ),
    'leave APPVIEW_URL unset, or set it to an AppView, e.g. "https://public.api.bsky.app"',
  ),
  HANDLE_RESOLVER_URL: variable(
    optionalText().transform((v, ctx) =>
      v === undefined ? undefined : httpUrl("https://public.api.bsky.app")(v, ctx),
    ),
    'leave HANDLE_RESOLVER_URL unset, or set it to a resolveHandle service, e.g. "https://public.api.bsky.app"',
  ),
  COMMUNITY_FEED: binding(
    '[[durable_objects.bindings]] name = "COMMUNITY_FEED", class_name = "CommunityFeed"',
  ),
  DIRECTORY: binding('[[durable_objects.bindings]] name = "DIRECTORY", class_name = "Directory"'),
  FIREHOSE_RECEIVER: binding(
    '[[durable_objects.bindings]] name = "FIREHOSE_RECEIVER", class_name = "FirehoseReceiver"',
  ),
  DEAD_LETTERS: binding('[[durable_objects.bindings]] name = "DEAD_LETTERS", class_name = "DeadLetters"'),
  REQUEST_METRICS: binding(
    '[[durable_objects.bindings]] name = "REQUEST_METRICS", class_name = "RequestMetrics"',
  ),
  FIREHOSE_QUEUE: binding('[[queues.producers]] binding = "FIREHOSE_QUEUE", queue = "firehose-events"'),
};

type Parsed<V> = V extends Variable<infer T> ? T : never;

/** Every variable once parsed, by its name: what the rules between variables see (config.ts renames them for the code). */
export type ParsedVariables = { [K in keyof typeof VARIABLES]: Parsed<(typeof VARIABLES)[K]> };
