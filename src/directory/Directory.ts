import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import type { IndexEvent } from "../firehose/events.ts";
import { migrate } from "../storage.ts";
import { MIGRATIONS } from "./schema.ts";

const PARKED_PER_COMMUNITY = 1_000;
const PARKED_TOTAL = 100_000;

export type HashtagClaim = { ok: true } | { ok: false; reason: string };

/**
 * The one index-wide object: which community owns each hashtag (the first
 * config to claim it), which communities exist, and which DIDs are members
 * somewhere. Everything else lives in the CommunityFeed objects.
 */
export class Directory extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  /** Registers a community under its hashtag; refused when another community holds it. */
  claimHashtag(community: {
    uri: string;
    owner: string;
    hashtag: string;
    moderators?: string[];
  }): HashtagClaim {
    const holder = this.sql
      .exec<{ community: string }>("SELECT community FROM hashtags WHERE hashtag = ?", community.hashtag)
      .toArray()[0];
    if (holder && holder.community !== community.uri) {
      const reason = `hashtag ${community.hashtag} already belongs to ${holder.community}`;
      this.sql.exec(
        "INSERT OR REPLACE INTO refusals (uri, hashtag, reason, time) VALUES (?, ?, ?, ?)",
        community.uri,
        community.hashtag,
        reason,
        Date.now(),
      );
      console.warn(JSON.stringify({ event: "hashtag_refused", uri: community.uri, reason }));
      return { ok: false, reason };
    }
    const now = Date.now();
    if (!holder) {
      this.sql.exec(
        "INSERT INTO hashtags (hashtag, community, claimed_at) VALUES (?, ?, ?)",
        community.hashtag,
        community.uri,
        now,
      );
    }
    this.sql.exec(
      `INSERT INTO communities (uri, owner, hashtag, active, claimed_at) VALUES (?, ?, ?, 1, ?)
       ON CONFLICT (uri) DO UPDATE SET hashtag = excluded.hashtag, active = 1`,
      community.uri,
      community.owner,
      community.hashtag,
      now,
    );
    this.sql.exec("DELETE FROM refusals WHERE uri = ?", community.uri);
    this.sql.exec("DELETE FROM moderators WHERE community = ?", community.uri);
    for (const did of new Set([community.owner, ...(community.moderators ?? [])])) {
      this.sql.exec("INSERT INTO moderators (did, community) VALUES (?, ?)", did, community.uri);
    }
    return { ok: true };
  }

  /**
   * A deleted config takes the community out of listings; its hashtag stays
   * claimed, so nobody can take over the old posts that carry it.
   */
  deactivateCommunity(uri: string): void {
    this.sql.exec("UPDATE communities SET active = 0 WHERE uri = ?", uri);
    this.sql.exec("DELETE FROM moderators WHERE community = ?", uri);
  }

  /** The community that owns each of these hashtags, when one does. */
  resolveHashtags(hashtags: string[]): Record<string, string> {
    const owners: Record<string, string> = {};
    for (const hashtag of hashtags) {
      const row = this.sql
        .exec<{ community: string; active: number }>(
          `SELECT h.community, c.active FROM hashtags h JOIN communities c ON c.uri = h.community WHERE h.hashtag = ?`,
          hashtag,
        )
        .toArray()[0];
      if (row?.active) owners[hashtag] = row.community;
    }
    return owners;
  }

  isActiveCommunity(uri: string): boolean {
    return this.sql.exec("SELECT 1 FROM communities WHERE uri = ? AND active = 1", uri).toArray().length > 0;
  }

  /** Active communities, oldest claim first, keyset-paginated. */
  listCommunities(
    limit: number,
    after?: { claimedAt: number; uri: string },
  ): { uri: string; claimedAt: number }[] {
    const rows = after
      ? this.sql.exec<{ uri: string; claimed_at: number }>(
          `SELECT uri, claimed_at FROM communities WHERE active = 1 AND (claimed_at, uri) > (?, ?)
           ORDER BY claimed_at, uri LIMIT ?`,
          after.claimedAt,
          after.uri,
          limit,
        )
      : this.sql.exec<{ uri: string; claimed_at: number }>(
          "SELECT uri, claimed_at FROM communities WHERE active = 1 ORDER BY claimed_at, uri LIMIT ?",
          limit,
        );
    return rows.toArray().map((r) => ({ uri: r.uri, claimedAt: r.claimed_at }));
  }

  refusalCount(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM refusals").one().n;
  }

  /** Records whether `did` holds a membership record in `community`. */
  setMembership(did: string, community: string, present: boolean): void {
    if (present) {
      this.sql.exec("INSERT OR IGNORE INTO memberships (did, community) VALUES (?, ?)", did, community);
    } else {
      this.sql.exec("DELETE FROM memberships WHERE did = ? AND community = ?", did, community);
    }
  }

  /** The communities each DID belongs to (DIDs with none are left out). */
  communitiesOf(dids: string[]): Record<string, string[]> {
    return this.communitiesByDid("memberships", dids);
  }

  /** The communities each DID moderates (as owner or listed moderator); DIDs with none are left out. */
  communitiesModeratedBy(dids: string[]): Record<string, string[]> {
    return this.communitiesByDid("moderators", dids);
  }

  private communitiesByDid(table: "memberships" | "moderators", dids: string[]): Record<string, string[]> {
    const found: Record<string, string[]> = {};
    for (const did of new Set(dids)) {
      const rows = this.sql
        .exec<{ community: string }>(`SELECT community FROM ${table} WHERE did = ?`, did)
        .toArray();
      if (rows.length > 0) found[did] = rows.map((r) => r.community);
    }
    return found;
  }

  /** Which of these communities the index has met (indexed, deactivated or refused). */
  knownCommunities(uris: string[]): string[] {
    return [...new Set(uris)].filter(
      (uri) =>
        this.sql
          .exec(
            "SELECT 1 FROM communities WHERE uri = ? UNION SELECT 1 FROM refusals WHERE uri = ?",
            uri,
            uri,
          )
          .toArray().length > 0,
    );
  }

  /**
   * Keeps events for a community whose config has not arrived, instead of
   * creating an object for a name anyone can make up. Bounded: the oldest go first.
   * Returns the communities that became known meanwhile: their events were not
   * parked and must be applied by the caller (the config's own object has
   * already collected what was parked before it).
   */
  park(events: Record<string, IndexEvent[]>): string[] {
    const known = new Set(this.knownCommunities(Object.keys(events)));
    for (const [community, list] of Object.entries(events)) {
      if (known.has(community)) continue;
      for (const event of list) {
        this.sql.exec(
          "INSERT INTO parked (community, event) VALUES (?, ?)",
          community,
          JSON.stringify(event),
        );
      }
      this.sql.exec(
        "DELETE FROM parked WHERE community = ? AND id NOT IN (SELECT id FROM parked WHERE community = ? ORDER BY id DESC LIMIT ?)",
        community,
        community,
        PARKED_PER_COMMUNITY,
      );
    }
    this.sql.exec("DELETE FROM parked WHERE id <= (SELECT max(id) FROM parked) - ?", PARKED_TOTAL);
    return [...known];
  }

  /** The events parked for a community, oldest first, as JSON (records are free-form), with the id to release them up to. */
  parkedFor(community: string): { events: string[]; upTo: number } {
    const rows = this.sql
      .exec<{ id: number; event: string }>(
        "SELECT id, event FROM parked WHERE community = ? ORDER BY id",
        community,
      )
      .toArray();
    return {
      events: rows.map((r) => r.event),
      upTo: rows[rows.length - 1]?.id ?? 0,
    };
  }

  /** Forgets parked events once the community has applied them. */
  releaseParked(community: string, upTo: number): void {
    this.sql.exec("DELETE FROM parked WHERE community = ? AND id <= ?", community, upTo);
  }

  /** The DIDs holding a membership record in one community. */
  membersOf(community: string): string[] {
    return this.sql
      .exec<{ did: string }>("SELECT did FROM memberships WHERE community = ?", community)
      .toArray()
      .map((r) => r.did);
  }

  /** Every DID that is a member somewhere: the receiver's stage-1 filter for deletes and account events. */
  memberDids(): string[] {
    return this.sql
      .exec<{ did: string }>("SELECT DISTINCT did FROM memberships")
      .toArray()
      .map((r) => r.did);
  }
}
