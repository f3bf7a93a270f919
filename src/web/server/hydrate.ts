// Turns the feed's post URIs into what a page shows: each post with its
// author (verified handle, name, avatar), its text and facets, its embed
// (images, link card, quoted post), the post it replies to, and its counts
// when an AppView tells them. Read from a ContentSource (and, without an
// AppView, the authors' profiles from an AuthorSource) through per-isolate
// caches, in two rounds: the posts (with their authors, when those are read
// apart), then what the posts name (quoted posts, the people replied to). A
// page never waits long: answers that miss the deadline are shown as
// unavailable (and still fill the cache for the next page); when a server
// fails, the last good copy is shown with its age.
import { parseRecordUri } from "../../records/address.ts";
import {
  type Author,
  authorFromView,
  type BlobUrl,
  countsFromView,
  embeddedUri,
  embedFromRecord,
  embedFromView,
  type PostView,
  type Quote,
  quoteFromRecord,
  readFacets,
  recordHref,
  replyParentUri,
  unavailableQuote,
} from "../shared/post.ts";
import { type AuthorRecord, type AuthorSource, blobUrl } from "./authors.ts";
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

export interface HydratorOptions {
  /** How long a page waits for its servers, both rounds together (default 2.5 s). */
  deadlineMs?: number;
  /** The clock (tests move it). */
  now?: () => number;
  /** Names, avatars and blob addresses from the authors' PDSes (pages read without an AppView). */
  authors?: AuthorSource;
}

interface Resolved<T> {
  lookup: Lookup<T>;
  staleSince?: number;
}

/** What the second round found: the posts' quoted posts, handles and authors' records. */
interface Named {
  quotes: Map<string, Resolved<PostRecord>>;
  handles: Map<string, string>;
  authors: Map<string, Resolved<AuthorRecord>>;
}

const didOf = (uri: string) => parseRecordUri(uri)?.did ?? "";
const found = <T>(resolved: Resolved<T> | undefined): T | undefined =>
  resolved && "found" in resolved.lookup ? resolved.lookup.found : undefined;
const why = <T>(resolved: Resolved<T> | undefined): string => {
  const lookup = resolved?.lookup ?? { failed: "not looked up" };
  return "missing" in lookup ? lookup.missing : "failed" in lookup ? lookup.failed : "";
};

export class Hydrator {
  private readonly source: ContentSource;
  private readonly authorSource: AuthorSource | undefined;
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
  private readonly authorCache = new StaleCache<string, Lookup<AuthorRecord>>({
    maxEntries: MAX_ENTRIES,
    ttlMs: HANDLE_TTL_MS,
  });

  constructor(source: ContentSource, options: HydratorOptions = {}) {
    this.source = source;
    this.authorSource = options.authors;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.now = options.now ?? Date.now;
  }

  /** The posts, in the order given, as a page shows them; `budget` bounds the upstream lookups. */
  async posts(uris: string[], budget?: LookupBudget): Promise<PostView[]> {
    const until = this.now() + this.deadlineMs;
    const writers = uris.map(didOf);
    // Without an AppView, authors are read apart from their posts: ask at once, alongside the posts.
    const early = this.authorSource ? writers : [];
    const [records, writerHandles, writerRecords] = await Promise.all([
      this.lookup(this.postCache, POST_TTL_MS, uris, (keys) => this.source.posts(keys), until, budget),
      this.handles(early, until, budget),
      this.authorRecords(early, until, budget),
    ]);
    this.learnHandles(records.values());
    const shown = [...records.values()].map(found).filter((r) => r !== undefined);
    // A source with views (an AppView) has read the quoted posts already.
    const quoteUris = shown
      .filter((r) => !r.view)
      .map((r) => embeddedUri(r.record))
      .filter(
        (uri) => uri !== undefined && parseRecordUri(uri)?.collection === "app.bsky.feed.post",
      ) as string[];
    const parents = shown.map((r) => replyParentUri(r.record)).filter((uri) => uri !== undefined);
    const asked = new Set(early);
    const fresh = (dids: string[]) => dids.filter((did) => !asked.has(did));
    const [quotes, moreHandles, moreRecords] = await Promise.all([
      this.lookup(this.postCache, POST_TTL_MS, quoteUris, (keys) => this.source.posts(keys), until, budget),
      this.handles(fresh([...writers, ...quoteUris.map(didOf), ...parents.map(didOf)]), until, budget),
      this.authorRecords(fresh(quoteUris.map(didOf)), until, budget),
    ]);
    this.learnHandles(quotes.values());
    const named: Named = {
      quotes,
      handles: new Map([...writerHandles, ...moreHandles]),
      authors: new Map([...writerRecords, ...moreRecords]),
    };
    return uris.map((uri) => this.view(uri, records.get(uri), named));
  }

  /** Verified handles by DID; a DID without one (or whose server did not answer) is left out. */
  async handles(
    dids: string[],
    until = this.now() + this.deadlineMs,
    budget?: LookupBudget,
  ): Promise<Map<string, string>> {
    const wanted = dids.filter((did) => did.startsWith("did:"));
    const resolved = await this.lookup(
      this.handleCache,
      HANDLE_TTL_MS,
      wanted,
      (keys) => this.source.handles(keys),
      until,
      budget,
    );
    const out = new Map<string, string>();
    for (const [did, { lookup }] of resolved) if ("found" in lookup) out.set(did, lookup.found);
    return out;
  }

  /** A source that tells handles along with posts saves the handle lookups. */
  private learnHandles(resolved: Iterable<Resolved<PostRecord>>): void {
    for (const { lookup } of resolved) {
      if ("found" in lookup && lookup.found.authorHandle) {
        const did = didOf(lookup.found.uri);
        if (did) this.handleCache.set(did, { found: lookup.found.authorHandle }, this.now());
      }
    }
  }

  private authorRecords(
    dids: string[],
    until: number,
    budget?: LookupBudget,
  ): Promise<Map<string, Resolved<AuthorRecord>>> {
    const source = this.authorSource;
    if (!source) return Promise.resolve(new Map());
    return this.lookup(
      this.authorCache,
      HANDLE_TTL_MS,
      dids.filter((d) => d.startsWith("did:")),
      (keys) => source.authors(keys),
      until,
      budget,
    );
  }

  /** A DID's images, read from its PDS; none when its PDS is unknown (or refused by the guard). */
  private blobs(did: string, named: Named): BlobUrl {
    const pds = found(named.authors.get(did))?.pds;
    return (cid) => (pds ? blobUrl(pds, did, cid) : undefined);
  }

  private author(did: string, view: unknown, named: Named): Author {
    const handle = named.handles.get(did);
    const fromView = view === undefined ? undefined : authorFromView((view as { author?: unknown }).author);
    if (fromView) return { ...fromView, ...(handle ? { handle } : {}) };
    const record = found(named.authors.get(did));
    const avatar = record?.avatarCid ? this.blobs(did, named)(record.avatarCid) : undefined;
    return {
      did,
      ...(handle ? { handle } : {}),
      ...(record?.displayName ? { displayName: record.displayName } : {}),
      ...(avatar ? { avatar } : {}),
    };
  }

  private quote(uri: string | undefined, named: Named): Quote | undefined {
    if (!uri || !named.quotes.has(uri)) return undefined;
    const resolved = named.quotes.get(uri);
    const did = didOf(uri);
    const author = this.author(did, undefined, named);
    const record = found(resolved);
    if (!record) return { ...unavailableQuote(uri, why(resolved)), author };
    return quoteFromRecord(uri, record.record ?? record, author, this.blobs(did, named));
  }

  private view(uri: string, resolved: Resolved<PostRecord> | undefined, named: Named): PostView {
    const did = didOf(uri);
    const record = found(resolved);
    const author = this.author(did, record?.view, named);
    const href = recordHref(uri, author.handle);
    if (!record) return { uri, href, author, facets: [], unavailable: why(resolved) };
    const value = record.record ?? record;
    const embed = record.view
      ? embedFromView((record.view as { embed?: unknown }).embed)
      : embedFromRecord(value, this.blobs(did, named), this.quote(embeddedUri(value), named));
    const parent = replyParentUri(value);
    const parentHandle = parent ? named.handles.get(didOf(parent)) : undefined;
    const counts = record.view ? countsFromView(record.view) : undefined;
    return {
      uri,
      href,
      cid: record.cid,
      author,
      ...(record.text !== undefined ? { text: record.text } : {}),
      facets: readFacets((value as { facets?: unknown }).facets),
      ...(record.createdAt !== undefined ? { createdAt: record.createdAt } : {}),
      ...(embed ? { embed } : {}),
      ...(parent
        ? {
            replyTo: {
              uri: parent,
              href: recordHref(parent, parentHandle),
              author: { did: didOf(parent), ...(parentHandle ? { handle: parentHandle } : {}) },
            },
          }
        : {}),
      ...(counts ? { counts } : {}),
      ...(resolved?.staleSince ? { staleSince: new Date(resolved.staleSince).toISOString() } : {}),
    };
  }

  private async lookup<T>(
    cache: StaleCache<string, Lookup<T>>,
    ttlMs: number,
    keys: string[],
    ask: (keys: string[]) => Map<string, Promise<Lookup<T>>>,
    until: number,
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
      timer = setTimeout(
        () => resolve({ failed: "its server took too long to answer" }),
        Math.max(0, until - this.now()),
      );
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
