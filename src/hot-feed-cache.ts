// A hot feed: when a feed goes viral its first page is asked for many times a
// second. The first page is kept for a moment per isolate, and concurrent
// requests for the same page share one read of the community object.
//
// Fresh enough: an entry lives TTL_MS (half a second), so a new post or a
// moderation change shows within that everywhere, and at once in the isolate
// that applied it (the apply path calls invalidate()).
//
// Never the wrong answer: the key holds the community, the page size and the
// audience, "full" (the whole feed) or "pins-only" (what a non-member of a
// members-only community gets). The handler decides the audience per request;
// a public feed is "full" for everyone, so all its readers share one entry,
// and a members-only feed's two answers never meet.

import type { FeedPage } from "./community/views.ts";

export type FeedAudience = "full" | "pins-only";

export interface HotFeedKey {
  community: string;
  audience: FeedAudience;
  limit: number;
}

export const HOT_FEED_TTL_MS = 500;
const MAX_COMMUNITIES = 1_000;

interface Entry<P> {
  page: Promise<P>;
  /** Until when a settled page is served; Infinity while the read is in flight. */
  freshUntil: number;
}

export class HotFeedCache<P> {
  /** Per community, the entries by audience and page size (Map order: least recently used first). */
  private readonly communities = new Map<string, Map<string, Entry<P>>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? HOT_FEED_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The first page for this key: a fresh kept one, the one being read for an
   * earlier request, or a new read. A read that fails is not kept.
   */
  get(key: HotFeedKey, read: () => Promise<P>): Promise<P> {
    const entries = this.entriesOf(key.community);
    const subkey = `${key.audience} ${key.limit}`;
    const hit = entries.get(subkey);
    if (hit && hit.freshUntil > this.now()) return hit.page;
    const entry: Entry<P> = { page: read(), freshUntil: Number.POSITIVE_INFINITY };
    entries.set(subkey, entry);
    entry.page.then(
      () => {
        // Only if it is still the entry: an invalidation meanwhile dropped it.
        if (entries.get(subkey) === entry) entry.freshUntil = this.now() + this.ttlMs;
      },
      () => {
        if (entries.get(subkey) === entry) entries.delete(subkey);
      },
    );
    return entry.page;
  }

  /** The community's feed changed (a post, a moderation decision, its config): forget its pages. */
  invalidate(community: string): void {
    this.communities.delete(community);
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

/**
 * The isolate's one cache of first pages. Every AppContext of the isolate
 * shares it (tests build contexts of their own), so an apply anywhere in the
 * isolate invalidates what its feed requests read.
 */
export const isolateHotFeeds = new HotFeedCache<FeedPage>();
