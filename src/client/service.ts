// The client's dealings with the Worker itself: its service DID, service-auth
// tokens minted by the user's PDS for its methods, and requestIndex, which
// every write flow calls so a fresh record shows up at once.
import { requireRecordUri } from "./addresses.ts";
import type { ClientContext } from "./context.ts";
import { AtrariumError, toAtrariumError } from "./errors.ts";
import type { RequestIndexResult } from "./types.ts";

/** The Worker's service DID: the option if given, else describeFeedGenerator. */
export function serviceDid(ctx: ClientContext): Promise<string> {
  if (ctx.options.serviceDid) return Promise.resolve(ctx.options.serviceDid);
  if (!ctx.serviceDidPromise) {
    const learned = ctx.onWorker("learning its service DID", async () => {
      const res = await ctx.worker.app.bsky.feed.describeFeedGenerator();
      return res.data.did;
    });
    ctx.serviceDidPromise = learned;
    learned.catch(() => {
      ctx.serviceDidPromise = undefined;
    });
  }
  return ctx.serviceDidPromise;
}

/**
 * A service-auth JWT from the user's PDS for one Worker method, addressed to
 * one of the Worker's services: `#atrarium` (the default) is the form an
 * OAuth session's rpc scopes (and our permission sets) grant, and an
 * app-password session may use too; `#bsky_fg` is the feed generator, whom a
 * reader's token for getFeedSkeleton names.
 */
export async function serviceAuthHeaders(
  ctx: ClientContext,
  lxm: string,
  service: "atrarium" | "bsky_fg" = "atrarium",
): Promise<Record<string, string>> {
  const { agent } = ctx.session(`call ${lxm}`);
  const aud = `${await serviceDid(ctx)}#${service}`;
  try {
    const res = await agent.com.atproto.server.getServiceAuth({ aud, lxm });
    return { authorization: `Bearer ${res.data.token}` };
  } catch (err) {
    throw toAtrariumError(err, `getting a service-auth token for ${lxm}`, "your PDS");
  }
}

/**
 * Who reads a feed, for a members-only community: with a session, a token from
 * the reader's PDS like the one the AppView forwards for the Bluesky app;
 * without one, or when the PDS will not mint it, nothing (the public answer,
 * the pinned posts alone).
 */
export async function readerHeaders(ctx: ClientContext): Promise<Record<string, string>> {
  if (!ctx.agent?.did) return {};
  try {
    return await serviceAuthHeaders(ctx, "app.bsky.feed.getFeedSkeleton", "bsky_fg");
  } catch {
    return {};
  }
}

/**
 * Asks the Worker to fetch one record from its author's PDS and apply it now.
 * Sends a service-auth JWT when signed in (the Worker treats it as optional).
 */
export async function requestIndex(ctx: ClientContext, uri: string): Promise<RequestIndexResult> {
  requireRecordUri(uri);
  let headers: Record<string, string> = {};
  if (ctx.agent?.did) headers = await serviceAuthHeaders(ctx, "com.atrarium.sync.requestIndex");
  return ctx.onWorker(`indexing ${uri}`, async () => {
    return (
      await ctx.worker.com.atrarium.sync.requestIndex({ uri }, { headers, encoding: "application/json" })
    ).data;
  });
}

/**
 * requestIndex for each record a write produced, unless the client was made
 * with `requestIndex: false`. Failures are warnings, never errors: the record
 * is in the user's repo and the firehose will deliver it.
 */
export async function indexAfterWrite(
  ctx: ClientContext,
  uris: string[],
  warnings: string[],
): Promise<RequestIndexResult[]> {
  if (ctx.options.requestIndex === false) return [];
  const indexed: RequestIndexResult[] = [];
  for (const [i, uri] of uris.entries()) {
    try {
      const result = await requestIndex(ctx, uri);
      indexed.push(result);
      if (result.status === "rejected") {
        ctx.warn(warnings, `The index rejected ${uri}${result.reason ? `: ${result.reason}` : ""}`);
      }
    } catch (err) {
      const e = err instanceof AtrariumError ? err : toAtrariumError(err, `indexing ${uri}`, ctx.workerName);
      const rest = uris.length - i - 1;
      const also = rest > 0 ? ` (and ${rest} more written after it)` : "";
      ctx.warn(
        warnings,
        `Saved in your repo, but not indexed yet${also} (${e.message}); it will appear once the firehose delivers it`,
      );
      // The Worker is down, or busy (a 5xx or its rate limit): the rest would fare the same.
      if (e.kind === "network" || e.kind === "server") break;
    }
  }
  return indexed;
}
