// A hot feed: when a feed goes viral its first page is asked for many times a
// second. The first page is kept per isolate, and requests for it share one
// read of the community object at a time.
//
// Fresh enough: a kept page is served as it is for FRESH_MS; after that the
// next request starts one read to renew it and, while that read is under
// way, requests still get the kept page, until it is MAX_AGE_MS old (then
// they wait for the read). So no request waits for the community object while
// a page younger than MAX_AGE_MS is at hand, and a new post or moderation
// change shows within about a second everywhere; in the isolate that applied
// it, at once (the apply path calls invalidate(), and nothing older is served).
//
// Never the wrong answer: the key holds the community, the page size and the
// audience, "full" (the whole feed) or "pins-only" (what a non-member of a
// members-only community gets). The handler decides the audience per request;
// a public feed is "full" for everyone, so all its readers share one entry,
// and a members-only feed's two answers never meet.
//
// What is kept is the answer as sent: checked against the method's output
// lexicon and serialized once per read of the community, not once per
// request (checking a page of 50 posts was a third of a request's cost).

import { waitUntil } from "cloudflare:workers";
import type { HandlerPipeThroughBuffer } from "@atproto/xrpc-server";
import type { FeedAudience } from "./community/feed-page.ts";
import { lexicons } from "./lexicon/lexicons.ts";

export type { FeedAudience };

export interface HotFeedKey {
  community: string;
  audience: FeedAudience;
  limit: number;
}

export const FRESH_MS = 250;
export const MAX_AGE_MS = 1_000;
/** A read this old is taken for lost (its request was cancelled) and another one starts. */
const READ_LOST_MS = 5_000;
const MAX_COMMUNITIES = 1_000;

interface Entry<P> {
  /** The kept page and when its read finished, once there is one. */
  kept?: { value: P; at: number };
  /** The read under way, if any, and when it started. */
  reading?: { page: Promise<P>; since: number };
}

export interface HotFeedOptions {
  freshMs?: number;
  maxAgeMs?: number;
  now?: () => number;
  /**
   * Keeps the request that started a read alive until the read settles: the
   * Workers runtime ends a request's I/O with it, and a request that answered
   * from the kept page does not wait for its read. Default: waitUntil.
   */
  keepAlive?: (promise: Promise<unknown>) => void;
}

export class HotFeedCache<P> {
  /** Per community, the entries by audience and page size (Map order: least recently used first). */
  private readonly communities = new Map<string, Map<string, Entry<P>>>();
  private readonly freshMs: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly keepAlive: (promise: Promise<unknown>) => void;

  constructor(options: HotFeedOptions = {}) {
    this.freshMs = options.freshMs ?? FRESH_MS;
    this.maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS;
    this.now = options.now ?? Date.now;
    this.keepAlive = options.keepAlive ?? waitUntil;
  }

  /**
   * The first page for this key: the kept one while it is fresh, or while a
   * read renews it and it is not too old; else the read's (one at a time). A
   * read that fails is not kept.
   */
  get(key: HotFeedKey, read: () => Promise<P>): Promise<P> {
    const entries = this.entriesOf(key.community);
    const subkey = `${key.audience} ${key.limit}`;
    const entry = entries.get(subkey) ?? {};
    entries.set(subkey, entry);
    const now = this.now();
    const age = entry.kept ? now - entry.kept.at : Number.POSITIVE_INFINITY;
    if (entry.kept && age < this.freshMs) return Promise.resolve(entry.kept.value);
    const under = entry.reading && now - entry.reading.since < READ_LOST_MS ? entry.reading.page : null;
    const reading = under ?? this.startRead(entry, read, now);
    return entry.kept && age < this.maxAgeMs ? Promise.resolve(entry.kept.value) : reading;
  }

  /** The community's feed changed (a post, a moderation decision, its config): forget its pages. */
  invalidate(community: string): void {
    // Reads under way finish into entries no one can reach any more.
    this.communities.delete(community);
  }

  private startRead(entry: Entry<P>, read: () => Promise<P>, now: number): Promise<P> {
    const page = read();
    const reading = { page, since: now };
    entry.reading = reading;
    const done = page.then(
      (value) => {
        if (entry.reading === reading) entry.reading = undefined;
        entry.kept = { value, at: this.now() };
      },
      () => {
        if (entry.reading === reading) entry.reading = undefined;
      },
    );
    this.keepAlive(done);
    return page;
  }

  private entriesOf(community: string): Map<string, Entry<P>> {
    let entries = this.communities.get(community);
    if (entries) {
      this.communities.delete(community);
    } else {
      entries = new Map();
      if (this.communities.size >= MAX_COMMUNITIES) {
        const oldest = this.communities.keys().next();
        if (!oldest.done) this.communities.delete(oldest.value);
      }
    }
    this.communities.set(community, entries);
    return entries;
  }
}

/** An XRPC answer to send many times, as a handler may return it (xrpc-server sends the bytes as they are). */
export type KeptAnswer = HandlerPipeThroughBuffer;

/** Checks `body` against the output lexicon of `nsid` (throws when it does not fit) and serializes it, once. */
export function keptAnswer(nsid: string, body: unknown): KeptAnswer {
  lexicons.assertValidXrpcOutput(nsid, body);
  return { encoding: "application/json", buffer: Buffer.from(JSON.stringify(body)) };
}

/**
 * The isolate's one cache of first pages. Every AppContext of the isolate
 * shares it (tests build contexts of their own), so an apply anywhere in the
 * isolate invalidates what its feed requests read.
 */
export const isolateHotFeeds = new HotFeedCache<KeptAnswer>();
