// Events that cannot be applied yet, kept instead of dropped, so that the
// index ends up the same whatever order queue messages are processed in:
//   - memberships and actions naming a community whose config has not been
//     seen (applied by the community once its config claims its hashtag);
//   - posts carrying a hashtag no config holds yet (applied by the config
//     that claims it);
//   - deletes and edits by a DID no community knows yet (applied by every
//     community that comes to know it, until they expire: a delete handed to
//     the first community must still reach a second that takes the post later);
//     every delete of a known DID waits the same way, marked handed out, for
//     a community that takes a parked post or membership it removes.
// Anyone can make up a community URI, a hashtag or a DID, so every kind is
// bounded (per key, per author, in total); posts and DID events also expire
// after a few minutes. Nothing leaves unnoticed: every eviction and every
// expiry of an event never handed out is counted per kind and logged.
//
// Fairness. A bound over the newest inserts lets whoever writes fastest push
// everyone else out (random #atr_ hashtags at 17/s emptied the 10,000 parked
// posts in ten minutes), and keys cost nothing to make up, so a bound per key
// alone does not help either. The author's DID is the dimension a flooder
// cannot multiply for free: each one is an account that some PDS hosts and
// the relay carries. So each author has a quota, and when a kind is full the
// row that goes is the oldest of the author holding the most. One flooding
// DID is held to its quota; a flood from many DIDs evicts from the flooders
// first, and reaches a real author's few rows only once every flooding DID is
// down to as few.
import type { IndexEvent } from "../firehose/events.ts";
import { type Fragment, raw, type Sql } from "../storage.ts";

/** How much one kind of parked event may hold, and for how long. */
export interface Bounds {
  perKey: number;
  perAuthor: number;
  total: number;
  ttlMs?: number;
  /** Events handed out stay until they expire (another community may need them). */
  keepDelivered?: boolean;
}

/** Posts and DID events wait this long for their hashtag's config or their author's community. */
export const PARKED_TTL_MS = 10 * 60_000;
export const BOUNDS = {
  forCommunity: { perKey: 1_000, perAuthor: 1_000, total: 100_000 },
  posts: { perKey: 1_000, perAuthor: 200, total: 10_000, ttlMs: PARKED_TTL_MS },
  byDid: { perKey: 200, perAuthor: 200, total: 10_000, ttlMs: PARKED_TTL_MS, keepDelivered: true },
} as const satisfies Record<string, Bounds>;

/** The three kinds, as getFirehoseStatus names them. */
export type ParkedKind = keyof typeof BOUNDS;
type Table = "parked" | "parked_posts" | "parked_by_did";
const TABLES: Record<ParkedKind, Table> = {
  forCommunity: "parked",
  posts: "parked_posts",
  byDid: "parked_by_did",
};

/** Why a parked event left before it could be applied. */
export type LossReason = "key" | "author" | "total" | "expired";
export type Loss = { kind: ParkedKind; reason: LossReason; count: number; authors: string[] };

type Waiting = { events: IndexEvent[]; upTo: number };
type Victim = { id: number; author: string };

/**
 * One table of parked events, each filed under a key (a community URI, a
 * hashtag or a DID) and its author. Events come back in arrival order with
 * the last id seen, and are released up to that id once applied, so events
 * parked meanwhile stay. The per-author and total counts of rows no community
 * has taken are kept by triggers (schema versions 5 and 6), so every way a
 * row leaves keeps them exact. Rows already taken (kinds that keep them) are
 * bounded apart, oldest first, and losing them loses nothing.
 */
class ParkedEvents {
  private readonly table: Fragment;
  private readonly name: Table;
  /** Restricts a statement to rows no community has taken. */
  private readonly waitingOnly: Fragment;

  constructor(
    private readonly sql: Sql,
    readonly kind: ParkedKind,
    private readonly bounds: Bounds,
    private readonly lost: (loss: Loss) => void,
  ) {
    this.name = TABLES[kind];
    this.table = raw(this.name);
    this.waitingOnly = raw(bounds.keepDelivered ? "AND delivered = 0" : "");
  }

  park(key: string, events: readonly IndexEvent[], now: number): void {
    for (const event of events) {
      this.sql.run`INSERT INTO ${this.table} (key, author, event, parked_at)
        VALUES (${key}, ${event.did}, ${JSON.stringify(event)}, ${now})`;
      this.bound(key, event.did);
    }
  }

  /** Events some community took already, kept for those that come later (one statement for them all). */
  parkTaken(entries: { key: string; event: IndexEvent }[], now: number): void {
    if (!this.bounds.keepDelivered || entries.length === 0) return;
    const rows = JSON.stringify(entries.map(({ key, event }) => [key, event.did, JSON.stringify(event)]));
    this.sql.run`INSERT INTO ${this.table} (key, author, event, parked_at, delivered)
      SELECT value ->> 0, value ->> 1, value ->> 2, ${now}, 1 FROM json_each(${rows})`;
  }

  /** Oldest first: beyond the key's bound, the author's quota, then the kind's total. */
  private bound(key: string, author: string): void {
    const t = this.table;
    const load = this.sql.first<{ inKey: number; mine: number | null; total: number | null }>`SELECT
      (SELECT count(*) FROM ${t} WHERE key = ${key} ${this.waitingOnly}) AS inKey,
      (SELECT n FROM parked_load WHERE kind = ${this.name} AND author = ${author}) AS mine,
      (SELECT n FROM parked_load WHERE kind = ${this.name} AND author = '') AS total`;
    if (!load) return;
    if (load.inKey > this.bounds.perKey) {
      const victim = this.sql.first<Victim>`SELECT id, author FROM ${t}
        WHERE key = ${key} ${this.waitingOnly} ORDER BY id LIMIT 1`;
      if (victim) this.evict(victim, "key");
    }
    if ((load.mine ?? 0) > this.bounds.perAuthor) this.evictOldestOf(author, "author");
    if ((load.total ?? 0) > this.bounds.total) {
      const most = this.sql.first<{ author: string }>`SELECT author FROM parked_load
        WHERE kind = ${this.name} AND author != '' ORDER BY n DESC LIMIT 1`;
      if (most) this.evictOldestOf(most.author, "total");
    }
  }

  private evictOldestOf(author: string, reason: LossReason): void {
    const victim = this.sql.first<Victim>`SELECT id, author FROM ${this.table}
      WHERE author = ${author} ${this.waitingOnly} ORDER BY id LIMIT 1`;
    if (victim) this.evict(victim, reason);
  }

  private evict(victim: Victim, reason: LossReason): void {
    this.sql.run`DELETE FROM ${this.table} WHERE id = ${victim.id}`;
    this.lost({ kind: this.kind, reason, count: 1, authors: [victim.author] });
  }

  /** Rows some community took stay at most the kind's total, the oldest going first (no loss). */
  capDelivered(): void {
    if (!this.bounds.keepDelivered) return;
    this.sql.run`DELETE FROM ${this.table} WHERE delivered = 1 AND id <= (SELECT id FROM ${this.table}
      WHERE delivered = 1 ORDER BY id DESC LIMIT 1 OFFSET ${this.bounds.total})`;
  }

  /** Drops what waited longer than the kind allows; counts what no community ever took. Run before parking. */
  expire(now: number): void {
    if (this.bounds.ttlMs === undefined) return;
    const before = now - this.bounds.ttlMs;
    const t = this.table;
    const unused = this.sql.all<{ author: string }>`SELECT author FROM ${t}
      WHERE parked_at < ${before} ${this.waitingOnly}`;
    this.sql.run`DELETE FROM ${t} WHERE parked_at < ${before}`;
    if (unused.length > 0)
      this.lost({
        kind: this.kind,
        reason: "expired",
        count: unused.length,
        authors: [...new Set(unused.map((r) => r.author))],
      });
  }

  waiting(key: string, now: number): Waiting {
    const since = this.bounds.ttlMs === undefined ? 0 : now - this.bounds.ttlMs;
    const rows = this.sql.all<{ id: number; event: string }>`SELECT id, event FROM ${this.table}
      WHERE key = ${key} AND parked_at >= ${since} ORDER BY id`;
    return {
      events: rows.map((r) => JSON.parse(r.event) as IndexEvent),
      upTo: rows[rows.length - 1]?.id ?? 0,
    };
  }

  /** The events up to `upTo` were applied: they go, or, when others may need them, stay marked as handed out. */
  release(key: string, upTo: number): void {
    if (this.bounds.keepDelivered) {
      this.sql
        .run`UPDATE ${this.table} SET delivered = 1 WHERE key = ${key} AND id <= ${upTo} AND delivered = 0`;
      this.capDelivered();
    } else this.sql.run`DELETE FROM ${this.table} WHERE key = ${key} AND id <= ${upTo}`;
  }

  /** Rows no community has taken yet (kept by the triggers, not counted). */
  count(): number {
    return (
      this.sql.first<{ n: number }>`SELECT n FROM parked_load WHERE kind = ${this.name} AND author = ''`?.n ??
      0
    );
  }
}

export class Parking {
  /** Memberships and actions naming a community whose config has not been seen. */
  readonly forCommunity: ParkedEvents;
  /** Posts carrying a hashtag no config holds yet. */
  readonly forHashtag: ParkedEvents;
  /** Deletes and edits by a DID no community knows yet. */
  readonly forDid: ParkedEvents;

  constructor(sql: Sql, lost: (loss: Loss) => void, bounds: Record<ParkedKind, Bounds> = BOUNDS) {
    this.forCommunity = new ParkedEvents(sql, "forCommunity", bounds.forCommunity, lost);
    this.forHashtag = new ParkedEvents(sql, "posts", bounds.posts, lost);
    this.forDid = new ParkedEvents(sql, "byDid", bounds.byDid, lost);
  }

  expire(now: number): void {
    for (const kind of [this.forCommunity, this.forHashtag, this.forDid]) kind.expire(now);
  }

  counts(): { communityEvents: number; posts: number; didEvents: number } {
    return {
      communityEvents: this.forCommunity.count(),
      posts: this.forHashtag.count(),
      didEvents: this.forDid.count(),
    };
  }
}
