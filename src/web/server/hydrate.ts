// Turns the feed's post URIs into what a page shows: text, time and the
// author's handle, read from a ContentSource through per-isolate caches.
// A page never waits long: answers that miss the deadline are shown as
// unavailable (and still fill the cache for the next page); when a server
// fails, the last good copy is shown with its age.
import { parseRecordUri } from "../../records/address.ts";
import { type Cached, StaleCache } from "./cache.ts";
import { type LookupBudget, NOT_LOOKED_UP } from "./lookup-budget.ts";
import type { ContentSource, Lookup, PostRecord } from "./sources/source.ts";

const POST_TTL_MS = 10 * 60_000;
const HANDLE_TTL_MS = 60 * 60_000;
/** How long "this does not exist" is believed. */
const MISSING_TTL_MS = 60_000;
/** How long a failed server is left alone before it is asked again. */
const RETRY_AFTER_MS = 30_000;
const MAX_ENTRIES = 5_000;
export const DEFAULT_DEADLINE_MS = 2_500;

export interface AuthorView {
  did: string;
  handle?: string;
}

export interface PostView {
  uri: string;
  author: AuthorView;
  cid?: string;
  text?: string;
  createdAt?: string;
  /** Why the post's text is not shown. */
  unavailable?: string;
  /** When the copy shown was read, if its server did not answer just now. */
  staleSince?: string;
}

interface Resolved<T> {
  lookup: Lookup<T>;
  staleSince?: number;
}

export interface HydratorOptions {
  /** How long a page waits for its servers (default 2.5 s). */
  deadlineMs?: number;
  /** The clock (tests move it). */
  now?: () => number;
}

export class Hydrator {
  private readonly source: ContentSource;
  private readonly deadlineMs: number;
  private readonly now: () => number;
  private readonly postCache = new StaleCache<string, Lookup<PostRecord>>({
    maxEntries: MAX_ENTRIES,
    ttlMs: POST_TTL_MS,
  });
  private readonly handleCache = new StaleCache<string, Lookup<string>>({
    maxEntries: MAX_ENTRIES,
    ttlMs: HANDLE_TTL_MS,
  });

  constructor(source: ContentSource, options: HydratorOptions = {}) {
    this.source = source;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.now = options.now ?? Date.now;
  }

  /** The posts, in the order given, each with its author's handle; `budget` bounds the upstream lookups. */
  async posts(uris: string[], budget?: LookupBudget): Promise<PostView[]> {
    const records = await this.lookup(
      this.postCache,
      POST_TTL_MS,
      uris,
      (keys) => this.source.posts(keys),
      budget,
    );
    // A source that tells handles along with posts saves the handle lookups.
    for (const { lookup } of records.values()) {
      if ("found" in lookup && lookup.found.authorHandle) {
        const did = parseRecordUri(lookup.found.uri)?.did;
        if (did) this.handleCache.set(did, { found: lookup.found.authorHandle }, this.now());
      }
    }
    const handles = await this.handles(
      uris.map((uri) => parseRecordUri(uri)?.did ?? ""),
      budget,
    );
    return uris.map((uri) => {
      const did = parseRecordUri(uri)?.did ?? "";
      const handle = handles.get(did);
      const author = handle ? { did, handle } : { did };
      const resolved = records.get(uri);
      const lookup = resolved?.lookup ?? { failed: "not looked up" };
      if (!("found" in lookup)) {
        return { uri, author, unavailable: "missing" in lookup ? lookup.missing : lookup.failed };
      }
      const { cid, text, createdAt } = lookup.found;
      return {
        uri,
        author,
        cid,
        ...(text !== undefined ? { text } : {}),
        ...(createdAt !== undefined ? { createdAt } : {}),
        ...(resolved?.staleSince ? { staleSince: new Date(resolved.staleSince).toISOString() } : {}),
      };
    });
  }

  /** Verified handles by DID; a DID without one (or whose server did not answer) is left out. */
  async handles(dids: string[], budget?: LookupBudget): Promise<Map<string, string>> {
    const wanted = dids.filter((did) => did.startsWith("did:"));
    const resolved = await this.lookup(
      this.handleCache,
      HANDLE_TTL_MS,
      wanted,
      (keys) => this.source.handles(keys),
      budget,
    );
    const out = new Map<string, string>();
    for (const [did, { lookup }] of resolved) if ("found" in lookup) out.set(did, lookup.found);
    return out;
  }

  private async lookup<T>(
    cache: StaleCache<string, Lookup<T>>,
    ttlMs: number,
    keys: string[],
    ask: (keys: string[]) => Map<string, Promise<Lookup<T>>>,
    budget?: LookupBudget,
  ): Promise<Map<string, Resolved<T>>> {
    const out = new Map<string, Resolved<T>>();
    const misses: string[] = [];
    for (const key of new Set(keys)) {
      const hit = cache.get(key, this.now());
      if (hit?.fresh) out.set(key, settled(hit, ttlMs, this.now()));
      else misses.push(key);
    }
    // Past the request's budget, a miss is not looked up (its last good copy still shows).
    const toAsk = budget ? misses.slice(0, budget.take(misses.length)) : misses;
    for (const key of misses.slice(toAsk.length))
      out.set(key, withStaleCopy(cache, key, { failed: NOT_LOOKED_UP }, this.now()));
    if (toAsk.length === 0) return out;
    const pending = ask(toAsk);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<Lookup<T>>((resolve) => {
      timer = setTimeout(() => resolve({ failed: "its server took too long to answer" }), this.deadlineMs);
    });
    try {
      await Promise.all(
        toAsk.map(async (key) => {
          const answer = pending.get(key) ?? Promise.resolve<Lookup<T>>({ failed: "not looked up" });
          // An answer that misses the deadline still serves the next page.
          void answer.then((a) => remember(cache, key, a, this.now()));
          const first = await Promise.race([answer, deadline]);
          out.set(key, withStaleCopy(cache, key, first, this.now()));
        }),
      );
    } finally {
      clearTimeout(timer);
    }
    return out;
  }
}

/** A cached answer; one kept past its own lifetime (its server failed since) says how old it is. */
function settled<T>(hit: Cached<Lookup<T>>, ttlMs: number, now: number): Resolved<T> {
  const held = now - hit.storedAt > ttlMs;
  return held ? { lookup: hit.value, staleSince: hit.storedAt } : { lookup: hit.value };
}

function remember<T>(
  cache: StaleCache<string, Lookup<T>>,
  key: string,
  answer: Lookup<T>,
  now: number,
): void {
  if ("found" in answer) cache.set(key, answer, now);
  else if ("missing" in answer) cache.set(key, answer, now, MISSING_TTL_MS);
  // A failure keeps the last good copy (its age unchanged) and leaves the server alone for a while.
  else if (!cache.hold(key, RETRY_AFTER_MS, now)) cache.set(key, answer, now, RETRY_AFTER_MS);
}

/** A failed answer falls back on the last good copy, marked with its age. */
function withStaleCopy<T>(
  cache: StaleCache<string, Lookup<T>>,
  key: string,
  answer: Lookup<T>,
  now: number,
): Resolved<T> {
  if (!("failed" in answer)) return { lookup: answer };
  const previous = cache.get(key, now);
  if (previous && "found" in previous.value) return { lookup: previous.value, staleSince: previous.storedAt };
  return { lookup: answer };
}
