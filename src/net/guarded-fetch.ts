// The one way the Worker fetches from a host someone else named: a PDS in a
// DID document, the host of a did:web or of a handle, every redirect hop from
// them. Before anything is sent, the address guard (address.ts) judges the
// URL; redirects are followed by hand, at most MAX_REDIRECTS, each hop judged
// again; the whole exchange has a deadline; and a host that keeps failing is
// left alone for a while (circuit.ts), so one dead server cannot tie up every
// request that touches it. Hosts the operator chose (PLC_URL, APPVIEW_URL, a
// DNS-over-HTTPS service) are `trusted`: their own address is not judged, the
// hops they redirect to are.
import { checkPublicUrl } from "./address.ts";
import { circuitOpen, recordFailure, recordSuccess } from "./circuit.ts";

export const DEFAULT_TIMEOUT_MS = 5_000;
export const MAX_REDIRECTS = 3;

export interface GuardOptions {
  /** Local development (ALLOW_PRIVATE_PDS): private, loopback and plain-http hosts are allowed. */
  allowPrivate: boolean;
  /** Origins the operator configured, whose own address is not judged. */
  trusted?: readonly string[];
  /** What the URL is, for the refusal message ("PDS endpoint", "did:web host"). */
  what?: string;
  /** Deadline for the whole exchange, redirects included (default 5 s). */
  timeoutMs?: number;
}

/** The guard refused the URL, or a redirect hop from it. Nothing was sent there. */
export class AddressRefusedError extends Error {}

/** The host failed to answer: network failure, timeout, redirect loop, or its breaker is open. */
export class UnreachableError extends Error {
  readonly host: string;
  /** Why, without the host (the message starts with it). */
  readonly detail: string;
  /** Whether trying again soon could help (not for a redirect loop or an open breaker). */
  readonly retryable: boolean;
  constructor(host: string, detail: string, retryable = true) {
    super(`${host} ${detail}`);
    this.host = host;
    this.detail = detail;
    this.retryable = retryable;
  }
}

const isOutage = (status: number) => status >= 500 || status === 429;

function judge(url: URL, allowPrivate: boolean, what: string): URL {
  const verdict = checkPublicUrl(url, allowPrivate, what);
  if (!verdict.ok) throw new AddressRefusedError(verdict.reason);
  return verdict.url;
}

/**
 * fetch() through the guard. A caller's `redirect: "error"` makes any
 * redirect a failure; otherwise GET and HEAD redirects are followed by hand.
 * Answers are returned whatever their status; 5xx and 429 count against the
 * host's breaker.
 */
export async function guardedFetch(
  input: string | URL | Request,
  init: RequestInit | undefined,
  options: GuardOptions,
): Promise<Response> {
  const start = new URL(input instanceof Request ? input.url : input);
  const what = options.what ?? "host";
  if (!options.trusted?.includes(start.origin)) judge(start, options.allowPrivate, what);
  const host = start.host;
  if (circuitOpen(host)) throw new UnreachableError(host, "is not answering (retrying later)", false);
  // From a public https start (the only kind production takes), every hop must be public too.
  const hopsMayBePrivate = options.allowPrivate && !checkPublicUrl(start, false).ok;
  // workerd has no redirect: "error" (libraries ask for it): redirects are handled below.
  const { redirect, signal: callerSignal, ...rest } = init ?? {};
  const base = input instanceof Request ? new Request(input, rest) : new Request(start, rest);
  const deadline = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
  const follows = redirect !== "error" && (base.method === "GET" || base.method === "HEAD");
  let current = start;
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await fetch(new Request(current, base), { redirect: "manual", signal });
    } catch {
      callerSignal?.throwIfAborted();
      recordFailure(host);
      const detail = deadline.aborted ? "did not answer in time" : "could not be reached";
      throw new UnreachableError(host, detail);
    }
    const location = res.status >= 300 && res.status < 400 ? res.headers.get("location") : null;
    if (location === null) {
      if (isOutage(res.status)) recordFailure(host);
      else recordSuccess(host);
      return res;
    }
    await res.body?.cancel();
    if (!follows)
      throw new UnreachableError(
        host,
        `redirected to ${location}, which this request does not follow`,
        false,
      );
    if (hop >= MAX_REDIRECTS) {
      recordFailure(host);
      throw new UnreachableError(
        host,
        `sent more than ${MAX_REDIRECTS} redirects (last to ${location})`,
        false,
      );
    }
    try {
      current = judge(new URL(location, current), hopsMayBePrivate, "redirect target");
    } catch (err) {
      if (err instanceof AddressRefusedError)
        throw new AddressRefusedError(`${host} redirected: ${err.message}`);
      throw new UnreachableError(host, `redirected to ${location}, which is no URL`, false);
    }
  }
}

/** A fetch function for libraries (identity and handle resolvers), through the guard. */
export function guardedFetcher(options: GuardOptions): typeof fetch {
  return (input, init) => guardedFetch(input, init, options);
}
