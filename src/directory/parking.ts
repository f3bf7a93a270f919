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
import { raw, type Sql } from "../storage.ts";

const PER_COMMUNITY = 1_000;
const COMMUNITY_TOTAL = 100_000;
const PER_KEY = 1_000;
const KEYED_TOTAL = 10_000;
/** Posts and DID events wait this long for their hashtag's config or their author's community. */
export const PARKED_TTL_MS = 10 * 60_000;

export class Parking {
  constructor(private readonly sql: Sql) {}

  /** Keeps events for communities not met yet. */
  parkForCommunity(community: string, events: readonly IndexEvent[]): void {
    for (const event of events)
      this.sql.run`INSERT INTO parked (community, event) VALUES (${community}, ${JSON.stringify(event)})`;
    this.sql.run`DELETE FROM parked WHERE community = ${community} AND id NOT IN
      (SELECT id FROM parked WHERE community = ${community} ORDER BY id DESC LIMIT ${PER_COMMUNITY})`;
    this.sql.run`DELETE FROM parked WHERE id <= (SELECT max(id) FROM parked) - ${COMMUNITY_TOTAL}`;
  }

  forCommunity(community: string): { events: IndexEvent[]; upTo: number } {
    return collect(
      this.sql.all<{ id: number; event: string }>`SELECT id, event FROM parked WHERE community = ${community}
        ORDER BY id`,
    );
  }

  releaseForCommunity(community: string, upTo: number): void {
    this.sql.run`DELETE FROM parked WHERE community = ${community} AND id <= ${upTo}`;
  }

  parkPost(hashtag: string, event: IndexEvent, now: number): void {
    this.sql
      .run`INSERT INTO parked_posts (hashtag, event, parked_at) VALUES (${hashtag}, ${JSON.stringify(event)}, ${now})`;
    this.bound("parked_posts", "hashtag", hashtag, now);
  }

  postsFor(hashtag: string, now: number): { events: IndexEvent[]; upTo: number } {
    return collect(
      this.sql.all<{ id: number; event: string }>`SELECT id, event FROM parked_posts
        WHERE hashtag = ${hashtag} AND parked_at >= ${now - PARKED_TTL_MS} ORDER BY id`,
    );
  }

  releasePosts(hashtag: string, upTo: number): void {
    this.sql.run`DELETE FROM parked_posts WHERE hashtag = ${hashtag} AND id <= ${upTo}`;
  }

  parkForDid(did: string, event: IndexEvent, now: number): void {
    this.sql
      .run`INSERT INTO parked_by_did (did, event, parked_at) VALUES (${did}, ${JSON.stringify(event)}, ${now})`;
    this.bound("parked_by_did", "did", did, now);
  }

  forDid(did: string, now: number): { events: IndexEvent[]; upTo: number } {
    return collect(
      this.sql.all<{ id: number; event: string }>`SELECT id, event FROM parked_by_did
        WHERE did = ${did} AND parked_at >= ${now - PARKED_TTL_MS} ORDER BY id`,
    );
  }

  releaseForDid(did: string, upTo: number): void {
    this.sql.run`DELETE FROM parked_by_did WHERE did = ${did} AND id <= ${upTo}`;
  }

  counts(): { communityEvents: number; posts: number; didEvents: number } {
    const n = (row: { n: number } | undefined) => row?.n ?? 0;
    return {
      communityEvents: n(this.sql.first`SELECT count(*) AS n FROM parked`),
      posts: n(this.sql.first`SELECT count(*) AS n FROM parked_posts`),
      didEvents: n(this.sql.first`SELECT count(*) AS n FROM parked_by_did`),
    };
  }

  /** Expired rows go, then the oldest beyond the per-key and total bounds. */
  private bound(
    table: "parked_posts" | "parked_by_did",
    column: "hashtag" | "did",
    key: string,
    now: number,
  ) {
    const t = raw(table);
    const c = raw(column);
    this.sql.run`DELETE FROM ${t} WHERE parked_at < ${now - PARKED_TTL_MS}`;
    this.sql.run`DELETE FROM ${t} WHERE ${c} = ${key} AND id NOT IN
      (SELECT id FROM ${t} WHERE ${c} = ${key} ORDER BY id DESC LIMIT ${PER_KEY})`;
    this.sql.run`DELETE FROM ${t} WHERE id <= (SELECT max(id) FROM ${t}) - ${KEYED_TOTAL}`;
  }
}

function collect(rows: { id: number; event: string }[]): { events: IndexEvent[]; upTo: number } {
  return {
    events: rows.map((r) => JSON.parse(r.event) as IndexEvent),
    upTo: rows[rows.length - 1]?.id ?? 0,
  };
}
