// Hashtag claims. A hashtag belongs to the config that was observed naming it
// first: never the earliest createdAt, which anyone can write. A claim seen
// through requestIndex or resync (observed = when it was read) is therefore
// provisional: when the firehose shows an earlier observed config with the
// same hashtag, that config takes the hashtag over, and the community that
// held it is displaced (listed nowhere, its feed unknown) until it hands its
// posts over and names another hashtag.
//
// A claim ends when the holder's current config no longer carries the
// hashtag (changed or deleted): the hashtag is free again and goes to the
// earliest claim still standing, whose community is told to claim it anew
// (`freed`); posts already indexed stay where they are. A config that names
// the hashtag again later claims it from that later sighting.
import { microsToDatetime } from "../community/time.ts";
import type { Sql } from "../storage.ts";

export interface HashtagClaim {
  community: string;
  owner: string;
  hashtag: string;
  /** µs: when a config version naming this hashtag was first observed. */
  observed: number;
}

export type ClaimResult = (
  | { ok: true; displaced: string[] }
  | { ok: false; holder: string; reason: string }
) & {
  /** Communities refused a hashtag this community no longer claims: they may hold it now, and must claim it again. */
  freed: string[];
};

export type CommunityStanding =
  | { status: "active" | "deleted" | "unknown" }
  | { status: "refused"; holder: string; reason: string };

export class Claims {
  private currentVersion: string | null = null;

  constructor(private readonly sql: Sql) {}

  /**
   * Changes whenever a claim, a takeover, a release or a deleted config may
   * have changed who holds a hashtag: routing's caches compare it. A random
   * epoch, then a counter, so that a Directory that starts over never repeats one.
   */
  version(): string {
    this.currentVersion ??=
      this.sql.first<{ value: string }>`SELECT value FROM meta WHERE key = 'claims_version'`?.value ??
      this.bump();
    return this.currentVersion;
  }

  private bump(): string {
    const [epoch, n] = (this.currentVersion ?? `${crypto.randomUUID().slice(0, 8)}.0`).split(".");
    const next = `${epoch}.${Number(n) + 1}`;
    this.sql.run`INSERT INTO meta (key, value) VALUES ('claims_version', ${next})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
    this.currentVersion = next;
    return next;
  }

  private holderOf(hashtag: string): { community: string; observed: number } | undefined {
    return this.sql.first`SELECT community, observed FROM hashtag_claims WHERE hashtag = ${hashtag}
      ORDER BY observed, community LIMIT 1`;
  }

  /**
   * Records a claim (the earliest sighting counts) and says who holds the
   * hashtag now. The community's claims on other hashtags end.
   */
  claim(c: HashtagClaim, now: number): ClaimResult {
    this.version();
    this.bump();
    this.sql.run`DELETE FROM hashtag_claims WHERE community = ${c.community} AND hashtag != ${c.hashtag}`;
    const freed = this.freedBy(c.community);
    this.sql
      .run`INSERT INTO hashtag_claims (hashtag, community, observed) VALUES (${c.hashtag}, ${c.community}, ${c.observed})
      ON CONFLICT (hashtag, community) DO UPDATE SET observed = min(observed, excluded.observed)`;
    const holder = this.holderOf(c.hashtag) as { community: string; observed: number };
    const holds = holder.community === c.community;
    this.sql.run`INSERT INTO communities (uri, owner, hashtag, active, claimed_at)
      VALUES (${c.community}, ${c.owner}, ${c.hashtag}, ${holds}, ${now})
      ON CONFLICT (uri) DO UPDATE SET hashtag = excluded.hashtag, active = excluded.active`;
    if (!holds) {
      const mine = this.sql.first<{ observed: number }>`SELECT observed FROM hashtag_claims
        WHERE hashtag = ${c.hashtag} AND community = ${c.community}`;
      const reason =
        `hashtag ${c.hashtag} belongs to ${holder.community}, whose config was observed naming it first ` +
        `(${microsToDatetime(holder.observed)}; this config: ${microsToDatetime(mine?.observed ?? c.observed)})`;
      this.refuse(c.community, c.hashtag, holder.community, reason, now, true);
      console.warn(JSON.stringify({ event: "hashtag_refused", uri: c.community, holder: holder.community }));
      return { ok: false, holder: holder.community, reason, freed };
    }
    this.sql.run`DELETE FROM refusals WHERE uri = ${c.community}`;
    // Whoever held it until now is displaced: it must hand its posts over.
    for (const { uri } of this.sql.all<{ uri: string }>`SELECT uri FROM communities
        WHERE hashtag = ${c.hashtag} AND active = 1 AND uri != ${c.community}`) {
      const reason =
        `hashtag ${c.hashtag} was taken over by ${c.community}, whose config was observed naming it ` +
        `earlier (${microsToDatetime(holder.observed)})`;
      this.sql.run`UPDATE communities SET active = 0 WHERE uri = ${uri}`;
      this.refuse(uri, c.hashtag, c.community, reason, now, false);
      console.warn(JSON.stringify({ event: "hashtag_taken_over", loser: uri, holder: c.community }));
    }
    const displaced = this.sql.all<{
      uri: string;
    }>`SELECT uri FROM refusals WHERE holder = ${c.community} AND hashtag = ${c.hashtag}
        AND handed_over = 0`.map((r) => r.uri);
    return { ok: true, displaced, freed };
  }

  /**
   * Communities refused a hashtag because `uri` held it, which `uri` no
   * longer claims while they still do. Asked again until each has claimed
   * anew (which rewrites or removes its refusal), so a lost message only delays.
   */
  private freedBy(uri: string): string[] {
    return this.sql.all<{ uri: string }>`SELECT r.uri FROM refusals r
      WHERE r.holder = ${uri}
        AND NOT EXISTS (SELECT 1 FROM hashtag_claims WHERE community = ${uri} AND hashtag = r.hashtag)
        AND EXISTS (SELECT 1 FROM hashtag_claims WHERE community = r.uri AND hashtag = r.hashtag)`.map(
      (r) => r.uri,
    );
  }

  private refuse(
    uri: string,
    hashtag: string,
    holder: string,
    reason: string,
    now: number,
    handedOver: boolean,
  ) {
    this.sql.run`INSERT INTO refusals (uri, hashtag, reason, time, holder, handed_over)
      VALUES (${uri}, ${hashtag}, ${reason}, ${now}, ${holder}, ${handedOver})
      ON CONFLICT (uri) DO UPDATE SET hashtag = excluded.hashtag, reason = excluded.reason,
        holder = excluded.holder, handed_over = CASE WHEN refusals.holder = excluded.holder
          AND refusals.hashtag = excluded.hashtag THEN refusals.handed_over ELSE excluded.handed_over END`;
  }

  /** A displaced community has given its posts to the holder. */
  handedOver(uri: string): void {
    this.sql.run`UPDATE refusals SET handed_over = 1 WHERE uri = ${uri}`;
  }

  /**
   * A deleted config takes the community out of listings and ends its
   * claims; returns the communities that may hold the hashtag now.
   */
  deactivate(uri: string): string[] {
    this.version();
    this.bump();
    this.sql.run`UPDATE communities SET active = 0 WHERE uri = ${uri}`;
    this.sql.run`DELETE FROM hashtag_claims WHERE community = ${uri}`;
    return this.freedBy(uri);
  }

  standing(uri: string): CommunityStanding {
    const refusal = this.sql.first<{
      holder: string | null;
      reason: string;
    }>`SELECT holder, reason FROM refusals
      WHERE uri = ${uri}`;
    if (refusal) return { status: "refused", holder: refusal.holder ?? "", reason: refusal.reason };
    const row = this.sql.first<{ active: number }>`SELECT active FROM communities WHERE uri = ${uri}`;
    if (!row) return { status: "unknown" };
    return { status: row.active ? "active" : "deleted" };
  }

  /** The active community holding each hashtag, when one does (one statement for them all). */
  owners(hashtags: readonly string[]): Record<string, string> {
    const owners: Record<string, string> = {};
    if (hashtags.length === 0) return owners;
    const claims = this.sql.all<{
      hashtag: string;
      community: string;
      observed: number;
      active: number | null;
    }>`
      SELECT hc.hashtag, hc.community, hc.observed, c.active FROM hashtag_claims hc
        LEFT JOIN communities c ON c.uri = hc.community
      WHERE hc.hashtag IN (SELECT value FROM json_each(${JSON.stringify([...new Set(hashtags)])}))`;
    // The holder is the earliest claim (then the smallest URI), as holderOf says.
    const holders = new Map<string, (typeof claims)[number]>();
    for (const claim of claims) {
      const held = holders.get(claim.hashtag);
      if (
        !held ||
        claim.observed < held.observed ||
        (claim.observed === held.observed && claim.community < held.community)
      )
        holders.set(claim.hashtag, claim);
    }
    for (const [hashtag, holder] of holders) if (holder.active) owners[hashtag] = holder.community;
    return owners;
  }

  isActive(uri: string): boolean {
    return this.sql.first`SELECT 1 AS one FROM communities WHERE uri = ${uri} AND active = 1` !== undefined;
  }

  /** Which of these communities the index has met (active, deleted or refused). */
  known(uris: readonly string[]): string[] {
    if (uris.length === 0) return [];
    return this.sql.all<{ uri: string }>`SELECT uri FROM communities
      WHERE uri IN (SELECT value FROM json_each(${JSON.stringify([...new Set(uris)])}))`.map((r) => r.uri);
  }

  /** Active communities, oldest first, keyset-paged. */
  list(limit: number, after?: { claimedAt: number; uri: string }): { uri: string; claimedAt: number }[] {
    const rows = after
      ? this.sql.all<{ uri: string; claimed_at: number }>`SELECT uri, claimed_at FROM communities
          WHERE active = 1 AND (claimed_at, uri) > (${after.claimedAt}, ${after.uri})
          ORDER BY claimed_at, uri LIMIT ${limit}`
      : this.sql.all<{ uri: string; claimed_at: number }>`SELECT uri, claimed_at FROM communities
          WHERE active = 1 ORDER BY claimed_at, uri LIMIT ${limit}`;
    return rows.map((r) => ({ uri: r.uri, claimedAt: r.claimed_at }));
  }

  refusalCount(): number {
    return this.sql.first<{ n: number }>`SELECT count(*) AS n FROM refusals`?.n ?? 0;
  }
}
