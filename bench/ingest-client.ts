// The Worker as bench:ingest sees it from Node: its routes (Api), waiting for
// a condition, and watching feeds to time when each post first shows.
import type { FirehoseStatus } from "../src/firehose/receiver-status.ts";

/** The admin password the bench Workers are started with. */
export const ADMIN_PASSWORD = "bench-admin-password";
/** How often feeds and counts are polled. */
export const POLL_MS = 100;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` the first time only. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  return Number.isFinite(value) ? value : null;
}

/** The Worker's routes, as a client sees them. */
export class Api {
  private readonly auth = { authorization: `Basic ${btoa(`admin:${ADMIN_PASSWORD}`)}` };
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async startFirehose(): Promise<void> {
    const res = await fetch(`${this.url}/xrpc/com.atrarium.admin.startFirehose`, {
      method: "POST",
      headers: this.auth,
    });
    if (!res.ok) throw new Error(`startFirehose: ${res.status} ${await res.text()}`);
  }

  async status(timeoutMs = 30_000): Promise<FirehoseStatus> {
    const res = await fetch(`${this.url}/xrpc/com.atrarium.admin.getFirehoseStatus`, {
      headers: this.auth,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`getFirehoseStatus: ${res.status} ${await res.text()}`);
    return (await res.json()) as FirehoseStatus;
  }

  /**
   * A feed's posts: the newest 100 (new posts come first, and the steady
   * phase never writes 100 to one feed between two polls), or every page.
   * A feed the index does not know yet shows nothing; any other failure throws.
   */
  async feed(feed: string, pages: "first" | "all"): Promise<string[]> {
    const posts: string[] = [];
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams({ feed, limit: "100", ...(cursor ? { cursor } : {}) });
      const res = await fetch(`${this.url}/xrpc/app.bsky.feed.getFeedSkeleton?${params}`, {
        signal: AbortSignal.timeout(30_000),
      });
      const body = await res.text();
      if (res.status === 400 && body.includes('"UnknownFeed"')) return [];
      if (!res.ok) throw new Error(`getFeedSkeleton ${feed}: ${res.status} ${body}`);
      const page = JSON.parse(body) as { feed: { post: string }[]; cursor?: string };
      posts.push(...page.feed.map((f) => f.post));
      cursor = pages === "all" ? page.cursor : undefined;
    } while (cursor);
    return posts;
  }

  async postCount(community: string): Promise<number | null> {
    const res = await fetch(
      `${this.url}/xrpc/com.atrarium.community.getCommunity?community=${encodeURIComponent(community)}`,
      { signal: AbortSignal.timeout(30_000) },
    );
    if (res.status === 400) {
      await res.body?.cancel();
      return null; // not indexed yet
    }
    if (!res.ok) throw new Error(`getCommunity: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { postCount: number }).postCount;
  }

  async listed(): Promise<string[]> {
    const res = await fetch(`${this.url}/xrpc/com.atrarium.community.listCommunities?limit=100`);
    if (!res.ok) throw new Error(`listCommunities: ${res.status}`);
    return ((await res.json()) as { communities: { uri: string }[] }).communities.map((c) => c.uri);
  }
}

export async function until(what: string, seconds: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(100);
  }
}

/** Polls feeds and remembers when each post first showed. */
export class FeedWatch {
  readonly seenAt = new Map<string, number>();
  private running = true;
  private readonly loops: Promise<void>[];

  /**
   * `listed`, when given, holds the first feed request back until the
   * community is listed: the Worker remembers a feed it was asked about too
   * early as unknown for a few seconds, which would time that cache, not indexing.
   */
  constructor(api: Api, feeds: string[], pages: "first" | "all", listed?: string, pollMs = POLL_MS) {
    this.loops = feeds.map(async (feed, i) => {
      await sleep((i * pollMs) / feeds.length);
      while (this.running && listed && !(await api.listed()).includes(listed)) await sleep(pollMs);
      while (this.running) {
        const asked = Date.now();
        const posts = await api.feed(feed, pages);
        const now = Date.now();
        for (const uri of posts) if (!this.seenAt.has(uri)) this.seenAt.set(uri, now);
        await sleep(Math.max(0, pollMs - (now - asked)));
      }
    });
  }

  /** Waits up to `seconds` for every post to show, then stops polling. */
  async settle(uris: string[], seconds: number): Promise<void> {
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end && uris.some((u) => !this.seenAt.has(u))) await sleep(100);
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Latency of each post (Infinity when it never showed), sorted. */
  latencies(posts: { uri: string; sentAt: number }[]): number[] {
    return posts
      .map((p) => (this.seenAt.has(p.uri) ? (this.seenAt.get(p.uri) as number) - p.sentAt : Infinity))
      .sort((a, b) => a - b);
  }
}
