import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import type { IndexEvent } from "../firehose/events.ts";
import type {
  ActionView,
  CommunityView,
  JoinRequestView,
  MemberView,
} from "../lexicon/types/com/atrarium/community/defs.ts";
import { COLLECTIONS, parseCommunityUri } from "../records/address.ts";
import { migrate } from "../storage.ts";
import { applyAccount } from "./apply/account.ts";
import { type ApplyMore, applyConfig, type Neighbours, settleClaim } from "./apply/config.ts";
import { applyMembership } from "./apply/membership.ts";
import { applyModerationAction } from "./apply/moderation.ts";
import { type ApplyOutcome, ignored } from "./apply/outcome.ts";
import { applyPost } from "./apply/post.ts";
import { endTimedBlocks, nextBlockEnd } from "./block-expiry.ts";
import { rederive } from "./rederive.ts";
import { expireOldPosts, RETENTION_INTERVAL_MS } from "./retention.ts";
import { MIGRATIONS } from "./schema.ts";
import { CommunityState } from "./state.ts";
import { type CommunityStats, stats } from "./stats.ts";
import { CommunityStore } from "./store/index.ts";
import { SUMMARY_RETRY_MS, SummaryOutbox } from "./summary-outbox.ts";
import * as views from "./views.ts";

export type { ApplyOutcome } from "./apply/outcome.ts";
export { POST_WINDOW_MS } from "./apply/post.ts";
export type { CommunityStats } from "./stats.ts";
export type { CommunityStatus, Counters, FeedAudience, FeedPage, OperatorCounts } from "./views.ts";

/**
 * The index of one community, named by its config's AT-URI. Every record
 * event reaches it through applyEvents(), from the firehose, requestIndex and
 * resync alike; the feed and the API read from it. This class is the RPC
 * surface, the serial apply queue and the retention alarm; the rules live in
 * apply/ (one module per record kind), views.ts and standing.ts.
 */
export class CommunityFeed extends DurableObject<Env> {
  private readonly store: CommunityStore;
  private state: CommunityState | null = null;
  private summary: SummaryOutbox | null = null;
  /** When the alarm is known to ring (ms; 0: not known), so a write need not ask storage each time. */
  private alarmAt = 0;
  private applying: Promise<unknown> = Promise.resolve();
  /** Communities that may hold a hashtag this one let go, told once the apply that freed it is done. */
  private readonly freed = new Set<string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new CommunityStore(ctx.storage);
    ctx.blockConcurrencyWhile(async () => this.load());
  }

  private load(): void {
    migrate(this.ctx.storage, MIGRATIONS);
    this.summary = new SummaryOutbox(this.store.meta);
    const address = parseCommunityUri(this.store.meta.get("uri") ?? "");
    this.state = address ? new CommunityState(address, this.store) : null;
    if (this.store.meta.get("rederive")) {
      if (this.state) {
        const state = this.state;
        this.store.transaction(() => rederive(state));
      }
      this.store.meta.delete("rederive");
    }
  }

  private bind(communityUri: string): CommunityState {
    if (this.state) {
      if (this.state.address.uri !== communityUri)
        throw new Error(`object holds ${this.state.address.uri}, not ${communityUri}`);
      return this.state;
    }
    const address = parseCommunityUri(communityUri);
    if (!address) throw new Error(`not a community config URI: ${communityUri}`);
    this.store.meta.set("uri", communityUri);
    this.state = new CommunityState(address, this.store);
    return this.state;
  }

  // ---- applying ------------------------------------------------------------------

  /**
   * Applies record and account events to this community, in the order given.
   * Idempotent and order-safe: replaying any event, or delivering events in
   * another order, leads to the same state.
   */
  applyEvents(communityUri: string, events: IndexEvent[]): Promise<ApplyOutcome[]> {
    // One call at a time: a config event awaits the Directory, and another
    // delivery must not slip in between deciding the latest version and writing it.
    const result = this.applying.then(() => this.applyInOrder(this.bind(communityUri), events));
    this.applying = result.catch(() => {});
    return result.then(async (outcomes) => {
      await this.tellFreed();
      return outcomes;
    });
  }

  /** The hashtag this community names was let go by the community that held it: claim it again. */
  reclaim(): Promise<void> {
    const result = this.applying.then(async () => {
      const c = this.state;
      if (!c) return;
      await settleClaim(c, this.neighbours(), this.applyMore(c));
      await this.afterWrites(c);
    });
    this.applying = result.catch(() => {});
    return result.then(() => this.tellFreed());
  }

  /**
   * Outside the apply queue, so that two communities trading hashtags can
   * tell each other at once. A failure fails the call: its retry frees again.
   */
  private async tellFreed(): Promise<void> {
    const freed = [...this.freed];
    this.freed.clear();
    await Promise.all(freed.map((uri) => this.env.COMMUNITY_FEED.getByName(uri).reclaim()));
  }

  private async applyInOrder(c: CommunityState, events: IndexEvent[]): Promise<ApplyOutcome[]> {
    const outcomes: ApplyOutcome[] = [];
    let run: IndexEvent[] = [];
    const flushRun = () => {
      const batch = run;
      run = [];
      if (batch.length > 0)
        this.transaction(c, () => outcomes.push(...batch.map((e) => this.applyOne(c, e))));
    };
    for (const event of events) {
      if (event.kind === "record" && event.collection === COLLECTIONS.config) {
        flushRun();
        outcomes.push(await applyConfig(c, event, this.neighbours(), this.applyMore(c)));
      } else run.push(event);
    }
    flushRun();
    await this.afterWrites(c);
    return outcomes;
  }

  private transaction(c: CommunityState, fn: () => void): void {
    try {
      this.store.transaction(fn);
    } catch (err) {
      // The transaction rolled back: forget whatever was cached from it.
      c.forgetCaches();
      throw err;
    }
  }

  private applyOne(c: CommunityState, event: IndexEvent): ApplyOutcome {
    if (event.kind === "account") return applyAccount(c, event);
    switch (event.collection) {
      case COLLECTIONS.membership:
        return applyMembership(c, event);
      case COLLECTIONS.action:
        return applyModerationAction(c, event);
      case COLLECTIONS.post:
        return applyPost(c, event);
      default:
        return ignored(`collection ${event.collection} is not indexed here`);
    }
  }

  private applyMore(c: CommunityState): ApplyMore {
    return (more) => {
      for (const e of more) this.applyOne(c, e);
    };
  }

  private neighbours(): Neighbours {
    const directory = () => this.env.DIRECTORY.getByName("directory");
    return {
      claimHashtag: (claim) => directory().claimHashtag(claim) as ReturnType<Neighbours["claimHashtag"]>,
      deactivateCommunity: (uri) => directory().deactivateCommunity(uri),
      hashtagFreed: (communities) => {
        for (const uri of communities) this.freed.add(uri);
      },
      handedOver: (community) => directory().handedOver(community),
      surrender: (community, hashtag, reason) =>
        this.env.COMMUNITY_FEED.getByName(community).surrender(hashtag, reason) as Promise<IndexEvent[]>,
      releaseParked: (community, upTo) => directory().releaseParked(community, upTo),
      releaseParkedPosts: (hashtag, upTo) => directory().releaseParkedPosts(hashtag, upTo),
    };
  }

  /**
   * This community lost its hashtag to `reason`'s holder: it stops serving
   * its feed and hands over the posts carrying the hashtag (kept as what the
   * index needs of them: author, CID, hashtags, date, when first seen).
   */
  surrender(hashtag: string, reason: string): IndexEvent[] {
    this.state?.setRefusal(reason);
    return this.store.posts.carrying(hashtag).map((p) => {
      const rkey = p.uri.split("/").pop() as string;
      return {
        kind: "record",
        did: p.author,
        collection: COLLECTIONS.post,
        rkey,
        operation: "create",
        time: p.observed,
        ...(p.cid ? { cid: p.cid } : {}),
        record: { $type: COLLECTIONS.post, text: p.tags, createdAt: p.created_at },
      };
    });
  }

  // ---- after each write: Directory outbox, retention and block-end alarm --------------

  private async afterWrites(c: CommunityState): Promise<void> {
    if (c.postsWritten) await this.wakeBy(Date.now() + RETENTION_INTERVAL_MS);
    c.postsWritten = false;
    if (c.moderationWritten) {
      const blockEnd = nextBlockEnd(c);
      if (blockEnd !== null) await this.wakeBy(blockEnd);
    }
    c.moderationWritten = false;
    await this.flushDirectoryOutbox(c);
    await this.tellSummary(c);
  }

  /** Makes sure the alarm rings at `at` (ms) or sooner. */
  private async wakeBy(at: number): Promise<void> {
    if (this.alarmAt > Date.now() && this.alarmAt <= at) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
    this.alarmAt = Math.min(current ?? at, at);
  }

  /**
   * What the Directory must learn about DIDs goes through an outbox, so a
   * failed call is retried, not lost. Deletes and edits the Directory kept
   * for a DID it did not know come back, and are applied here.
   */
  private async flushDirectoryOutbox(c: CommunityState): Promise<void> {
    const directory = this.env.DIRECTORY.getByName("directory");
    for (let round = 0; round < 5; round++) {
      const pending = this.store.meta.outbox();
      if (pending.length === 0) return;
      const changes = pending.map((p) => ({ did: p.did, role: p.kind, present: p.present === 1 }));
      const parked = (await directory.setKnownDids(c.address.uri, changes)) as {
        did: string;
        events: IndexEvent[];
        upTo: number;
      }[];
      this.transaction(c, () => {
        for (const { events } of parked) for (const e of events) this.applyOne(c, e);
        for (const p of pending) this.store.meta.told(p.did, p.kind, p.present);
      });
      for (const { did, upTo } of parked) await directory.releaseParkedForDid(did, upTo);
    }
  }

  /**
   * Tells the Directory what lists show of this community when it is due
   * (summary-outbox.ts): at once, or by an alarm when only the counts changed.
   * A failed call is retried by an alarm; applying never fails for it. The
   * alarm tells whatever changed (it fires when the counts are due, or later).
   */
  private async tellSummary(c: CommunityState, fromAlarm = false): Promise<void> {
    const now = Date.now();
    const view = views.communityView(c);
    const due = this.summary?.due(view, now) ?? null;
    if (due === null) return;
    if (due > now && !fromAlarm) return this.wakeBy(due);
    try {
      await this.env.DIRECTORY.getByName("directory").putSummary(c.address.uri, view);
      this.summary?.accepted(view, now);
    } catch (err) {
      console.warn(JSON.stringify({ event: "summary_not_told", uri: c.address.uri, error: String(err) }));
      await this.wakeBy(now + SUMMARY_RETRY_MS);
    }
  }

  /**
   * Retention, timed blocks and the Directory's summary: drops old posts, ends the blocks due,
   * tells the summary, and sleeps until the next retention pass or block end.
   */
  override async alarm(): Promise<void> {
    this.alarmAt = 0;
    const more = expireOldPosts(this.store, (did) => this.state?.forgetPoster(did));
    const c = this.state;
    if (c) {
      this.transaction(c, () => endTimedBlocks(c));
      await this.flushDirectoryOutbox(c);
    }
    const retention =
      more || this.store.posts.any() ? Date.now() + (more ? 1000 : RETENTION_INTERVAL_MS) : null;
    const blockEnd = c ? nextBlockEnd(c) : null;
    const next = [retention, blockEnd].filter((t): t is number => t !== null);
    if (next.length > 0) {
      this.alarmAt = Math.min(...next);
      await this.ctx.storage.setAlarm(this.alarmAt);
    }
    if (!c) return;
    // In the apply queue: a summary told here must not overtake a newer one told by a write.
    const told = this.applying.then(() => this.tellSummary(c, true));
    this.applying = told.catch(() => {});
    await told;
  }

  // ---- reads -----------------------------------------------------------------------

  /**
   * One page of the feed for an audience: the whole feed, or the pinned posts
   * alone. Without one, the reader is taken for an anonymous one: the whole of
   * a public feed, the pins of a members-only feed.
   */
  getFeedSkeleton(limit: number, cursor?: string, audience?: views.FeedAudience): views.FeedPage {
    const anonymous = this.feedVisibility() === "members" ? "pins-only" : "full";
    return views.feedPage(this.state, limit, cursor, audience ?? anonymous);
  }

  /** Whether the feed is for its members only (config feedVisibility); null without a config in force. */
  feedVisibility(): "public" | "members" | null {
    return this.state?.config.current ? this.state.config.feedVisibility : null;
  }

  /** Whether `did` is a visible member now: who gets the whole of a members-only feed. */
  isVisibleMember(did: string): boolean {
    return views.isVisibleMember(this.state, did);
  }

  status(): views.CommunityStatus {
    return views.status(this.state);
  }

  /** Why the feed is not served when another community holds the hashtag, else null. */
  refusal(): string | null {
    return this.state?.refusal ?? null;
  }

  counters(): views.Counters {
    return this.state
      ? views.counters(this.state)
      : { memberCount: 0, postCount: 0, hiddenCount: 0, rejectedActions: 0, invalidRecords: 0 };
  }

  /** The counts getMetrics reports; null before the config is seen. */
  operatorCounts(): views.OperatorCounts | null {
    return this.state ? views.operatorCounts(this.state) : null;
  }

  getCommunityView(): CommunityView | null {
    return views.communityView(this.state);
  }

  isModerator(did: string): boolean {
    return views.isModerator(this.state, did);
  }

  getMembers(limit: number, cursor?: string): views.Paged<{ members: MemberView[]; cursor?: string }> {
    return this.state ? views.members(this.state, limit, cursor) : { members: [] };
  }

  getMembership(did: string): ReturnType<typeof views.membership> {
    return this.state ? views.membership(this.state, did) : { status: "none" };
  }

  getJoinRequests(
    limit: number,
    cursor?: string,
  ): views.Paged<{ requests: JoinRequestView[]; cursor?: string }> {
    return this.state ? views.joinRequests(this.state, limit, cursor) : { requests: [] };
  }

  getActions(limit: number, cursor?: string): views.Paged<{ actions: ActionView[]; cursor?: string }> {
    return this.state ? views.actionLog(this.state, limit, cursor) : { actions: [] };
  }

  /** How the community is doing (the manage page); null before the config is seen. */
  getStats(): CommunityStats | null {
    return this.state && views.status(this.state) === "active" ? stats(this.state) : null;
  }

  moderationState(): { hiddenPosts: string[]; blockedDids: string[] } {
    return this.state ? views.moderationState(this.state) : { hiddenPosts: [], blockedDids: [] };
  }

  knownDids(): string[] {
    return this.state ? views.knownDids(this.state) : [];
  }

  indexedRecordsOf(did: string): { memberships: string[]; actions: string[]; posts: string[] } {
    return this.state ? views.indexedRecordsOf(this.state, did) : { memberships: [], actions: [], posts: [] };
  }
}
