// Rules between variables: values each valid alone but wrong together. Each
// rule looks only at variables that parsed, so it runs whatever else is wrong.
import { isLocalDevelopmentHost, isLoopbackHost } from "../net/hosts.ts";
import { didWebForUrl, isIpAddress } from "../well-known.ts";
import type { ConfigProblem } from "./check.ts";
import type { ParsedVariables } from "./variables.ts";

type Parsed = Partial<ParsedVariables>;
type Raw = Record<string, unknown>;
/** A rule sees the variables that parsed, the raw values, and whether this is local development. */
type Rule = (variables: Parsed, env: Raw, local: boolean | undefined) => ConfigProblem[];

/** Every value of a (comma-separated) variable that is a URL at all, whatever else is wrong with it. */
function urlsIn(env: Raw, variable: string): URL[] {
  const value = env[variable];
  if (typeof value !== "string") return [];
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => URL.canParse(s))
    .map((s) => new URL(s));
}

/**
 * Whether this is local development: PUBLIC_URL (else a did:web SERVICE_DID)
 * names this machine or a name reserved for tests. Read from the raw values,
 * so that a PUBLIC_URL with a problem of its own (http, a path) still says
 * where the Worker runs. Undefined when neither names a host.
 */
export function isLocalDeployment(env: Raw): boolean | undefined {
  const { PUBLIC_URL: url, SERVICE_DID: did } = env;
  if (typeof url === "string" && URL.canParse(url)) return isLocalDevelopmentHost(new URL(url).hostname);
  if (typeof did === "string" && did.startsWith("did:web:")) {
    const hostname = decodeURIComponent(did.slice("did:web:".length)).split(":")[0] ?? "";
    return isLocalDevelopmentHost(hostname);
  }
  return undefined;
}

/** A did:web names the host the AppView fetches did.json from: this Worker's, PUBLIC_URL's. */
const didWebNamesPublicHost: Rule = ({ SERVICE_DID: did, PUBLIC_URL: url }) => {
  if (did?.method !== "web" || !url) return [];
  const didHost = `${did.hostname}${did.port ? `:${did.port}` : ""}`;
  if (didHost === url.host.toLowerCase()) return [];
  return [
    {
      variable: "SERVICE_DID",
      problem: `names the host ${didHost}, but PUBLIC_URL is ${url.origin}: the AppView reads did.json from ${didHost}, which this Worker does not serve`,
      fix: isIpAddress(url.hostname)
        ? hostNameFix(did.hostname, didHost, url)
        : `set SERVICE_DID = "${didWebForUrl(url.href)}", or PUBLIC_URL to the host the DID names`,
    },
  ];
};

/**
 * What to do when PUBLIC_URL names an IP address, which the DID cannot
 * follow: PUBLIC_URL to the host the DID names, or, on this machine,
 * localhost for both.
 */
function hostNameFix(didHostname: string, didHost: string, url: URL): string {
  const ways: string[] = [];
  const toDidHost = `${url.protocol}//${didHost}`;
  if (!isIpAddress(didHostname)) ways.push(`set PUBLIC_URL = "${toDidHost}", the host the DID names`);
  if (isLoopbackHost(url.hostname)) {
    const local = new URL(url.href);
    local.hostname = "localhost";
    if (local.origin !== toDidHost)
      ways.push(
        `use localhost for both: PUBLIC_URL = "${local.origin}" and SERVICE_DID = "${didWebForUrl(local.href)}"`,
      );
  }
  if (ways.length === 0)
    ways.push('serve the Worker under a host name and set SERVICE_DID = "did:web:<that name>"');
  return `${ways.join(", or ")} (a PDS refuses a did:web of an IP address such as ${url.hostname})`;
}

const privatePdsOnlyLocally: Rule = ({ ALLOW_PRIVATE_PDS: allow }, env, local) => {
  if (allow !== true || local !== false) return [];
  const host = urlsIn(env, "PUBLIC_URL")[0]?.host ?? String(env.SERVICE_DID);
  return [
    {
      variable: "ALLOW_PRIVATE_PDS",
      problem: `is "true" on a public host (${host}): anyone could make the Worker fetch from your private network through a DID document`,
      fix: 'set ALLOW_PRIVATE_PDS = "false" (only local development needs "true")',
    },
  ];
};

/** What a public deployment reaches must be public and encrypted. */
function publicUpstream(
  variable: keyof ParsedVariables,
  url: URL,
  secure: "https:" | "wss:",
  example: string,
) {
  const problems: ConfigProblem[] = [];
  if (isLocalDevelopmentHost(url.hostname)) {
    problems.push({
      variable,
      problem: `"${url.href}" is on this machine or a test name (${url.hostname}), which a deployed Worker cannot reach`,
      fix: `set ${variable} = "${example}"`,
    });
  } else if (url.protocol !== secure) {
    problems.push({
      variable,
      problem: `"${url.href}" is unencrypted (${url.protocol}//) on a public deployment`,
      fix: `use ${secure}//${url.host}${url.pathname}`,
    });
  }
  return problems;
}

/** What a public deployment reaches: its plain and secure schemes, and an example of a good value. */
const UPSTREAMS: [
  variable: keyof ParsedVariables,
  plain: "http:" | "ws:",
  secure: "https:" | "wss:",
  example: string,
][] = [
  ["JETSTREAM_URL", "ws:", "wss:", "wss://jetstream2.us-east.bsky.network/subscribe"],
  ["PLC_URL", "http:", "https:", "https://plc.directory"],
  ["APPVIEW_URL", "http:", "https:", "https://public.api.bsky.app"],
  ["HANDLE_RESOLVER_URL", "http:", "https:", "https://public.api.bsky.app"],
];

const upstreamsArePublic: Rule = (_config, env, local) => {
  if (local !== false) return [];
  return UPSTREAMS.flatMap(([variable, plain, secure, example]) =>
    urlsIn(env, variable)
      // Another scheme is the variable's own problem (variables.ts).
      .filter((url) => url.protocol === plain || url.protocol === secure)
      .flatMap((url) => publicUpstream(variable, url, secure, example)),
  );
};

export const RULES: Rule[] = [didWebNamesPublicHost, privatePdsOnlyLocally, upstreamsArePublic];
