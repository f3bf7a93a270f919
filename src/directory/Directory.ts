import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import type { IndexEvent } from "../firehose/events.ts";
import type { CommunityView } from "../lexicon/types/com/atrarium/community/defs.ts";
import { migrate, Sql } from "../storage.ts";
import { type ClaimResult, Claims, type CommunityStanding, type HashtagClaim } from "./claims.ts";
import { type DidRole, KnownDids } from "./known-dids.ts";
import { type Loss, type ParkedKind, Parking } from "./parking.ts";
import { MIGRATIONS } from "./schema.ts";
import { CommunitySummaries, type ListedCommunity, type ListOptions } from "./summaries.ts";

export type { ClaimResult, CommunityStanding, DidRole, ListedCommunity, ListOptions };

/** Events that waited for a community whose claim now holds. */
export interface ParkedForClaim {
  forCommunity: { events: IndexEvent[]; upTo: number };
  posts: { events: IndexEvent[]; upTo: number };
}

/** What routing asks of the Directory for a batch of events. */
export interface RouteLookup {
  hashtags: string[];
  authors: string[];
  communities: string[];
}

export interface RouteFacts {
  /** Changes whenever who holds a hashtag may have changed (see ClaimsCache). */
  claimsVersion: string;
  /** The active community holding each hashtag that has one. */
  owners: Record<string, string>;
  /** For each author some community knows, the communities that know it, by role. */
  roles: Record<string, Partial<Record<DidRole, string[]>>>;
  /** The communities named that the index has met. */
  known: string[];
}

/** What routing could not send anywhere at lookup time (see Directory.parkUnroutable). */
export interface Unroutable {
  posts: { hashtags: string[]; event: IndexEvent }[];
  /** `routed`: already sent to the communities that know the author; kept for those that will. */
  byDid: { did: string; event: IndexEvent; roles: DidRole[]; routed?: boolean }[];
  forCommunity: { community: string; event: IndexEvent }[];
  /** Posts that carried no valid community hashtag (counted only). */
  unmatched: number;
}

/** What the queue consumer could not route, counted since the Directory was created. */
export interface RoutingCounts {
  /** Posts with no valid community hashtag. */
  unmatched: number;
  /** Posts parked because no config holds their hashtag yet. */
  parkedPosts: number;
  /** Deletes and edits parked because no community knows their author yet. */
  parkedByDid: number;
  /** Events parked because their community has not been met yet. */
  parkedForCommunity: number;
  /** Parked events pushed out by a bound (per hashtag or DID, per author, in total) before they were applied. */
  evictedPosts: number;
  evictedByDid: number;
  evictedForCommunity: number;
  /** Parked events that expired before any community took them. */
  expiredPosts: number;
  expiredByDid: number;
}

/** DIDs per page of memberDids(). */
const MEMBER_PAGE = 50_000;

const LOSS_COUNTER: Record<ParkedKind, { evicted: keyof RoutingCounts; expired?: keyof RoutingCounts }> = {
  posts: { evicted: "evictedPosts", expired: "expiredPosts" },
  byDid: { evicted: "evictedByDid", expired: "expiredByDid" },
  forCommunity: { evicted: "evictedForCommunity" },
};

/**
 * The one index-wide object: which community holds each hashtag, which
 * communities exist, which communities know each DID, and the events that
 * wait for a community. Everything else lives in the CommunityFeed objects.
 */
export class Directory extends DurableObject<Env> {
  private readonly claims: Claims;
  private readonly dids: KnownDids;
  private readonly parking: Parking;
  private readonly summaries: CommunitySummaries;
  private readonly sql: Sql;
  /** What parking lost during the current call: counted and logged once at its end. */
  private losses: Loss[] = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = new Sql(ctx.storage.sql);
    this.claims = new Claims(this.sql);
    this.dids = new KnownDids(this.sql);
    this.parking = new Parking(this.sql, (loss) => this.losses.push(loss));
    this.summaries = new CommunitySummaries(this.sql);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, MIGRATIONS);
    });
  }

  // ---- communities and hashtags ----------------------------------------------

  /**
   * Registers a community's claim on its hashtag; says whether it holds it,
   * whom it displaced, and which communities may hold the hashtags it no
   * longer claims (to be told to claim again). A holder also gets what waits
   * for it: the events parked for the community and the posts parked for its
   * hashtag (to release once applied).
   */
  claimHashtag(claim: HashtagClaim): ClaimResult & { parked?: ParkedForClaim } {
    const now = Date.now();
    const result = this.claims.claim(claim, now);
    if (!result.ok) return result;
    return {
      ...result,
      parked: {
        forCommunity: this.parking.forCommunity.waiting(claim.community, now),
        posts: this.parking.forHashtag.waiting(claim.hashtag, now),
      },
    };
  }

  /** A displaced community has handed its posts to the holder. */
  handedOver(community: string): void {
    this.claims.handedOver(community);
  }

  /** A deleted config: the community is no longer listed, and its hashtag is free (see claimHashtag's `freed`). */
  deactivateCommunity(uri: string): string[] {
    return this.claims.deactivate(uri);
  }

  communityStanding(uri: string): CommunityStanding {
    return this.claims.standing(uri);
  }

  resolveHashtags(hashtags: string[]): Record<string, string> {
    return this.claims.owners(hashtags);
  }

  isActiveCommunity(uri: string): boolean {
    return this.claims.isActive(uri);
  }

  listCommunities(
    limit: number,
    after?: { claimedAt: number; uri: string },
  ): { uri: string; claimedAt: number }[] {
    return this.claims.list(limit, after);
  }

  /** A page of listed communities with what lists show of them, in one call (see summaries.ts). */
  listSummaries(options: ListOptions): ListedCommunity[] {
    return this.summaries.list(options);
  }

  /** A community tells what lists show of it (null: it is not listed any more). */
  putSummary(uri: string, view: CommunityView | null): void {
    this.summaries.put(uri, view, Date.now());
  }

  /** Summaries a list had to read from communities that had not told theirs yet. */
  fillMissingSummaries(views: CommunityView[]): void {
    this.summaries.fillMissing(views, Date.now());
  }

  refusalCount(): number {
    return this.claims.refusalCount();
  }

  /**
   * Everything routing needs to know for a batch of events, in one call: the
   * community holding each hashtag, the communities that know each author
   * (by role), which of the communities named are known, and the claims
   * version the holders belong to.
   */
  lookup(q: RouteLookup): RouteFacts {
    return {
      claimsVersion: this.claims.version(),
      owners: this.claims.owners(q.hashtags),
      roles: this.dids.rolesOf(q.authors),
      known: this.claims.known(q.communities),
    };
  }

  // ---- DIDs ------------------------------------------------------------------------

  /**
   * Records which DIDs `community` knows (or no longer knows), and as what.
   * Returns the deletes and edits by those DIDs that were parked while no
   * community knew them: the caller applies them, then releases them. They
   * stay (handed out) until they expire, because a community that comes to
   * know the DID later may take the same post later.
   */
  setKnownDids(
    community: string,
    changes: { did: string; role: DidRole; present: boolean }[],
  ): { did: string; events: IndexEvent[]; upTo: number }[] {
    const now = Date.now();
    const parked: { did: string; events: IndexEvent[]; upTo: number }[] = [];
    for (const { did, role, present } of changes) this.dids.set(did, community, role, present);
    for (const did of new Set(changes.filter((c) => c.present).map((c) => c.did))) {
      const found = this.parking.forDid.waiting(did, now);
      if (found.events.length > 0) parked.push({ did, ...found });
    }
    return parked;
  }

  releaseParkedForDid(did: string, upTo: number): void {
    this.parking.forDid.release(did, upTo);
  }

  /** For each DID some community knows, the communities that know it, by role. */
  rolesOf(dids: string[]): Record<string, Partial<Record<DidRole, string[]>>> {
    return this.dids.rolesOf(dids);
  }

  /** Every DID one community knows (members, posters, moderation authors). */
  didsOf(community: string): string[] {
    return this.dids.didsOf(community);
  }

  /**
   * The DIDs some community knows, a page at a time in DID order, after
   * `after` (an empty page ends the list): the receiver's stage-1 filter for
   * deletes, edits and account events. Paged, because a million DIDs do not
   * fit one answer.
   */
  memberDids(after = "", limit = MEMBER_PAGE): string[] {
    return this.dids.page(after, Math.min(limit, MEMBER_PAGE));
  }

  // ---- parking -------------------------------------------------------------------

  /**
   * Keeps what routing could not send anywhere: posts whose hashtags no
   * active config holds, deletes and edits by DIDs no community knows,
   * memberships and actions naming communities not met yet; and counts the
   * posts that matched no hashtag. Whatever found its community since the
   * lookup is not parked: it comes back, by its place in its list, for the
   * caller to apply (a config's own object collects what was parked before).
   */
  parkUnroutable(u: Unroutable): {
    posts: { at: number; communities: string[] }[];
    byDid: { at: number; communities: string[] }[];
    forCommunity: number[];
  } {
    const now = Date.now();
    this.parking.expire(now);
    const back = {
      posts: [] as { at: number; communities: string[] }[],
      byDid: [] as { at: number; communities: string[] }[],
      forCommunity: [] as number[],
    };
    // Each list's re-check in one statement, and what others took already in one insert.
    const owners = this.claims.owners(u.posts.flatMap((p) => p.hashtags));
    u.posts.forEach(({ hashtags, event }, at) => {
      const communities = [...new Set(hashtags.flatMap((h) => owners[h] ?? []))];
      if (communities.length > 0) back.posts.push({ at, communities });
      else {
        for (const hashtag of new Set(hashtags)) this.parking.forHashtag.park(hashtag, [event], now);
        this.count("parkedPosts", 1);
      }
    });
    const waiting = u.byDid.filter((d) => !d.routed);
    const roles = this.dids.rolesOf(waiting.map((d) => d.did));
    this.parking.forDid.parkTaken(
      u.byDid.filter((d) => d.routed).map(({ did, event }) => ({ key: did, event })),
      now,
    );
    u.byDid.forEach(({ did, event, roles: wanted, routed }, at) => {
      if (routed) return;
      const communities = [...new Set(wanted.flatMap((r) => roles[did]?.[r] ?? []))];
      if (communities.length > 0) back.byDid.push({ at, communities });
      else {
        this.parking.forDid.park(did, [event], now);
        this.count("parkedByDid", 1);
      }
    });
    const known = new Set(this.claims.known(u.forCommunity.map((n) => n.community)));
    u.forCommunity.forEach(({ community, event }, at) => {
      if (known.has(community)) back.forCommunity.push(at);
      else {
        this.parking.forCommunity.park(community, [event], now);
        this.count("parkedForCommunity", 1);
      }
    });
    this.count("unmatched", u.unmatched);
    this.parking.forDid.capDelivered();
    this.settleLosses();
    return back;
  }

  releaseParked(community: string, upTo: number): void {
    this.parking.forCommunity.release(community, upTo);
  }

  releaseParkedPosts(hashtag: string, upTo: number): void {
    this.parking.forHashtag.release(hashtag, upTo);
  }

  // ---- counters --------------------------------------------------------------------

  private count(key: keyof RoutingCounts, by: number): void {
    if (by > 0)
      this.sql.run`INSERT INTO routing_stats (key, value) VALUES (${key}, ${by})
        ON CONFLICT (key) DO UPDATE SET value = value + excluded.value`;
  }

  /** Counts and logs (one line per kind and reason) what parking lost during this call. */
  private settleLosses(): void {
    if (this.losses.length === 0) return;
    const merged = new Map<string, Loss>();
    for (const loss of this.losses) {
      const key = `${loss.kind}/${loss.reason}`;
      const seen = merged.get(key);
      if (seen) {
        seen.count += loss.count;
        for (const a of loss.authors)
          if (seen.authors.length < 5 && !seen.authors.includes(a)) seen.authors.push(a);
      } else merged.set(key, { ...loss, authors: loss.authors.slice(0, 5) });
    }
    this.losses = [];
    for (const { kind, reason, count, authors } of merged.values()) {
      const counter = reason === "expired" ? LOSS_COUNTER[kind].expired : LOSS_COUNTER[kind].evicted;
      if (counter) this.count(counter, count);
      const event = reason === "expired" ? "parked_expired" : "parked_evicted";
      console.warn(
        JSON.stringify({ event, kind, ...(reason === "expired" ? {} : { bound: reason }), count, authors }),
      );
    }
  }

  /** Routing counters since creation, and what is parked right now (after dropping what expired). */
  routingStatus(): RoutingCounts & {
    parkedNow: { posts: number; didEvents: number; communityEvents: number };
  } {
    this.parking.expire(Date.now());
    this.settleLosses();
    const totals: RoutingCounts = {
      unmatched: 0,
      parkedPosts: 0,
      parkedByDid: 0,
      parkedForCommunity: 0,
      evictedPosts: 0,
      evictedByDid: 0,
      evictedForCommunity: 0,
      expiredPosts: 0,
      expiredByDid: 0,
    };
    for (const { key, value } of this.sql.all<{ key: keyof RoutingCounts; value: number }>`
        SELECT key, value FROM routing_stats`)
      totals[key] = value;
    return { ...totals, parkedNow: this.parking.counts() };
  }
}
