// Events that cannot be applied yet, kept instead of dropped, so that the
// index ends up the same whatever order queue messages are processed in:
//   - memberships and actions naming a community whose config has not been
//     seen (applied by the community once its config claims its hashtag);
//   - posts carrying a hashtag no config holds yet (applied by the config
//     that claims it);
//   - deletes and edits by a DID no community knows yet (applied by the
//     community that comes to know it).
// Anyone can make up a community URI, a hashtag or a DID, so every kind is
// bounded; posts and DID events also expire after a few minutes.
import type { IndexEvent } from "../firehose/events.ts";
import { type Fragment, raw, type Sql } from "../storage.ts";

/** How much one kind of parked event may hold, and for how long. */
type Bounds = { perKey: number; total: number; ttlMs?: number };

/** Posts and DID events wait this long for their hashtag's config or their author's community. */
export const PARKED_TTL_MS = 10 * 60_000;
const FOR_COMMUNITY: Bounds = { perKey: 1_000, total: 100_000 };
const KEYED: Bounds = { perKey: 1_000, total: 10_000, ttlMs: PARKED_TTL_MS };

type Waiting = { events: IndexEvent[]; upTo: number };

/**
 * One table of parked events, each filed under a key (a community URI, a
 * hashtag or a DID). Events come back in arrival order with the last id seen,
 * and are released up to that id once applied, so events parked meanwhile stay.
 */
class ParkedEvents {
  private readonly table: Fragment;

  constructor(
    private readonly sql: Sql,
    table: "parked" | "parked_posts" | "parked_by_did",
    private readonly bounds: Bounds,
  ) {
    this.table = raw(table);
  }

  park(key: string, events: readonly IndexEvent[], now: number): void {
    const t = this.table;
    for (const event of events)
      this.sql
        .run`INSERT INTO ${t} (key, event, parked_at) VALUES (${key}, ${JSON.stringify(event)}, ${now})`;
    // Expired rows go, then the oldest beyond the per-key and total bounds.
    if (this.bounds.ttlMs !== undefined)
      this.sql.run`DELETE FROM ${t} WHERE parked_at < ${now - this.bounds.ttlMs}`;
    this.sql.run`DELETE FROM ${t} WHERE key = ${key} AND id NOT IN
      (SELECT id FROM ${t} WHERE key = ${key} ORDER BY id DESC LIMIT ${this.bounds.perKey})`;
    this.sql.run`DELETE FROM ${t} WHERE id <= (SELECT max(id) FROM ${t}) - ${this.bounds.total}`;
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

  release(key: string, upTo: number): void {
    this.sql.run`DELETE FROM ${this.table} WHERE key = ${key} AND id <= ${upTo}`;
  }

  count(): number {
    return this.sql.first<{ n: number }>`SELECT count(*) AS n FROM ${this.table}`?.n ?? 0;
  }
}

export class Parking {
  /** Memberships and actions naming a community whose config has not been seen. */
  readonly forCommunity: ParkedEvents;
  /** Posts carrying a hashtag no config holds yet. */
  readonly forHashtag: ParkedEvents;
  /** Deletes and edits by a DID no community knows yet. */
  readonly forDid: ParkedEvents;

  constructor(sql: Sql) {
    this.forCommunity = new ParkedEvents(sql, "parked", FOR_COMMUNITY);
    this.forHashtag = new ParkedEvents(sql, "parked_posts", KEYED);
    this.forDid = new ParkedEvents(sql, "parked_by_did", KEYED);
  }

  counts(): { communityEvents: number; posts: number; didEvents: number } {
    return {
      communityEvents: this.forCommunity.count(),
      posts: this.forHashtag.count(),
      didEvents: this.forDid.count(),
    };
  }
}
