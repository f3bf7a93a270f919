import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import type { IndexEvent, RecordEvent } from "../firehose/events.ts";
import { atUri, COLLECTIONS, parseCommunityUri } from "../records/address.ts";
import { communityHashtags } from "../records/hashtags.ts";
import {
  type CommunityConfig,
  validateCommunityConfig,
  validateMembership,
  validateModerationAction,
  validatePost,
} from "../records/validate.ts";
import { migrate } from "../storage.ts";
import { decodeCursor, decodeKeyset, encodeCursor, encodeKeyset } from "./cursor.ts";
import { membershipRuns, type Run, withinRuns } from "./membership.ts";
import { MIGRATIONS } from "./schema.ts";

/** Posts older than this (by sortAt) leave the index. */
export const POST_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
const RETENTION_CHUNK = 1000;
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

export type ApplyOutcome = { status: "applied" | "deleted" | "ignored" | "rejected"; reason?: string };
export type CommunityStatus = "active" | "refused" | "deleted" | "unknown";
export type FeedPage =
  | { ok: true; feed: { post: string }[]; cursor?: string }
  | { ok: false; error: "UnknownFeed" | "InvalidRequest"; message: string };

export interface CommunityView {
  uri: string;
  cid: string;
  owner: string;
  name: string;
  description?: string;
  hashtag: string;
  stage: string;
  moderators: string[];
  feed: string;
  memberCount: number;
  postCount: number;
  hiddenCount: number;
  rejectedActions: number;
  parentCommunity?: string;
  feedMix?: { own: number; parent: number; global: number };
  createdAt: string;
  indexedAt: string;
}
export interface MemberView {
  did: string;
  role: "owner" | "moderator" | "member";
  joinedAt: string;
  uri?: string;
}
export interface ActionView {
  uri: string;
  cid: string;
  author: string;
  action: string;
  target:
    | { $type: "com.atrarium.moderation.action#postTarget"; uri: string; cid: string }
    | { $type: "com.atrarium.moderation.action#userTarget"; did: string };
  reason?: string;
  createdAt: string;
  indexedAt: string;
  status: string;
}
export interface Counters {
  memberCount: number;
  postCount: number;
  hiddenCount: number;
  rejectedActions: number;
  invalidRecords: number;
}

interface Identity {
  uri: string;
  owner: string;
  rkey: string;
}
interface ConfigVersion {
  time: number;
  cid: string | null;
  record: CommunityConfig | null;
  seenAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The index of one community, named by its config's AT-URI. Every record
 * event reaches it through applyEvents(), from the firehose and from
 * requestIndex alike; the feed and the API read from it.
 *
 * Order-safety rests on the event `time`: versions of one record are ordered
 * by it, memberships and configs keep their whole (small) history so that a
 * late event lands in the right place, and the moderation state of a target
 * is recomputed from the log (last write wins by createdAt, then rkey).
 */
export class CommunityFeed extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private identity: Identity | null = null;
  private latestConfig: ConfigVersion | null = null;
  private alarmArmed = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, MIGRATIONS);
      this.loadState();
    });
  }

  private loadState(): void {
    const uri = this.meta("uri");
    this.identity = uri ? parseCommunityUri(uri) : null;
    this.latestConfig = this.configAt(Number.MAX_SAFE_INTEGER);
  }

  // ---- meta helpers -------------------------------------------------------

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      value,
    );
  }

  private bump(counter: string): void {
    this.setMeta(counter, String(Number(this.meta(counter) ?? "0") + 1));
  }

  private bind(communityUri: string): Identity {
    if (this.identity) {
      if (this.identity.uri !== communityUri)
        throw new Error(`object holds ${this.identity.uri}, not ${communityUri}`);
      return this.identity;
    }
    const identity = parseCommunityUri(communityUri);
    if (!identity) throw new Error(`not a community config URI: ${communityUri}`);
    this.setMeta("uri", communityUri);
    this.identity = identity;
    return identity;
  }

  // ---- the single entry point --------------------------------------------

  /**
   * Applies record and account events to this community, in the order given.
   * Idempotent and order-safe: replaying any event, or delivering events in
   * another order, leads to the same state.
   */
  applyEvents(communityUri: string, events: IndexEvent[]): Promise<ApplyOutcome[]> {
    // One call at a time: a config event awaits the Directory, and another
    // delivery must not slip in between deciding the latest version and writing it.
    const result = this.applying.then(() => this.applyInOrder(communityUri, events));
    this.applying = result.catch(() => {});
    return result;
  }

  private applying: Promise<unknown> = Promise.resolve();

  private async applyInOrder(communityUri: string, events: IndexEvent[]): Promise<ApplyOutcome[]> {
    const identity = this.bind(communityUri);
    const outcomes: ApplyOutcome[] = [];
    let run: IndexEvent[] = [];
    const flushRun = () => {
      if (run.length === 0) return;
      const batch = run;
      run = [];
      try {
        this.ctx.storage.transactionSync(() => {
          for (const event of batch) outcomes.push(this.applyOne(identity, event));
        });
      } catch (err) {
        // The transaction rolled back: forget whatever was cached from it.
        this.runsCache.clear();
        throw err;
      }
    };
    for (const event of events) {
      if (event.kind === "record" && event.collection === COLLECTIONS.config) {
        flushRun();
        outcomes.push(await this.applyConfig(identity, event));
      } else {
        run.push(event);
      }
    }
    flushRun();
    await this.afterWrites();
    return outcomes;
  }

  private applyOne(identity: Identity, event: IndexEvent): ApplyOutcome {
    if (event.kind === "account") return this.applyAccount(event.did, event.active, event.time);
    switch (event.collection) {
      case COLLECTIONS.membership:
        return this.applyMembership(identity, event);
      case COLLECTIONS.action:
        return this.applyModerationAction(identity, event);
      case COLLECTIONS.post:
        return this.applyPost(event);
      default:
        return { status: "ignored", reason: `collection ${event.collection} is not indexed` };
    }
  }

  private rejectInvalid(reasons: string[]): ApplyOutcome {
    this.bump("invalid_records");
    return { status: "rejected", reason: reasons.join("; ") };
  }

  // ---- config -------------------------------------------------------------

  private configAt(time: number): ConfigVersion | null {
    const row = this.sql
      .exec<{ time: number; cid: string | null; record: string | null; deleted: number; seen_at: number }>(
        "SELECT time, cid, record, deleted, seen_at FROM config_versions WHERE time <= ? ORDER BY time DESC LIMIT 1",
        time,
      )
      .toArray()[0];
    if (!row) return null;
    return {
      time: row.time,
      cid: row.cid,
      record: row.deleted || !row.record ? null : (JSON.parse(row.record) as CommunityConfig),
      seenAt: row.seen_at,
    };
  }

  status(): CommunityStatus {
    const refused = this.meta("refused");
    if (refused) return "refused";
    if (!this.latestConfig) return "unknown";
    return this.latestConfig.record ? "active" : "deleted";
  }

  private async applyConfig(identity: Identity, event: RecordEvent): Promise<ApplyOutcome> {
    if (event.did !== identity.owner || event.rkey !== identity.rkey) {
      return { status: "rejected", reason: "only the owner's config record defines the community" };
    }
    const existing = this.sql
      .exec<{ cid: string | null }>("SELECT cid FROM config_versions WHERE time = ?", event.time)
      .toArray()[0];
    if (existing) {
      if (this.latestConfig?.time === event.time) this.touchConfig(event.time);
      return { status: "ignored", reason: "duplicate event" };
    }
    let record: CommunityConfig | null = null;
    if (event.operation !== "delete") {
      const checked = validateCommunityConfig(event.record);
      if (!checked.ok) return this.rejectInvalid(checked.reasons);
      record = checked.value;
    }
    const latest = this.latestConfig;
    const becomesLatest = !latest || latest.time < event.time;
    if (becomesLatest && record) {
      if (latest?.record && latest.cid === event.cid) {
        // Same content seen again later (e.g. requestIndex after the firehose).
        this.touchConfig(latest.time);
        return { status: "ignored", reason: "config unchanged" };
      }
      const claim = await this.env.DIRECTORY.getByName("directory").claimHashtag({
        uri: identity.uri,
        owner: identity.owner,
        hashtag: record.hashtag,
        moderators: record.moderators ?? [],
      });
      if (!claim.ok) {
        if (!this.latestConfig?.record) this.setMeta("refused", claim.reason);
        this.bump("refused_configs");
        return { status: "rejected", reason: claim.reason };
      }
      this.sql.exec("DELETE FROM meta WHERE key = 'refused'");
    }
    const previousHashtag = this.latestConfig?.record?.hashtag ?? null;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT OR IGNORE INTO config_versions (time, cid, record, deleted, seen_at) VALUES (?, ?, ?, ?, ?)",
        event.time,
        event.cid ?? null,
        record ? JSON.stringify(record) : null,
        record ? 0 : 1,
        Date.now(),
      );
      this.latestConfig = this.configAt(Number.MAX_SAFE_INTEGER);
      this.reevaluateAfterConfigChange(previousHashtag);
    });
    if (becomesLatest && !record)
      await this.env.DIRECTORY.getByName("directory").deactivateCommunity(identity.uri);
    if (becomesLatest && record) await this.applyParked(identity);
    return { status: record ? "applied" : "deleted" };
  }

  /**
   * Memberships and actions that named this community before its config was
   * seen wait in the Directory; they count from now on. Released only once
   * applied, so a failure here retries them rather than losing them.
   */
  private async applyParked(identity: Identity): Promise<void> {
    const directory = this.env.DIRECTORY.getByName("directory");
    const { events, upTo } = await directory.parkedFor(identity.uri);
    if (events.length === 0) return;
    this.ctx.storage.transactionSync(() => {
      for (const event of events) this.applyOne(identity, JSON.parse(event) as IndexEvent);
    });
    await directory.releaseParked(identity.uri, upTo);
  }

  private touchConfig(time: number): void {
    this.sql.exec("UPDATE config_versions SET seen_at = ? WHERE time = ?", Date.now(), time);
  }

  /** Moderator rights and the blocklist come from the config: re-judge what depends on them. */
  private reevaluateAfterConfigChange(previousHashtag: string | null): void {
    const hashtag = this.latestConfig?.record?.hashtag ?? null;
    if (hashtag !== previousHashtag) {
      // Posts are kept whatever config they arrived under: which of them
      // carry the community hashtag is decided by the config now in force.
      this.sql.exec(
        "UPDATE posts SET tagged = CASE WHEN ?1 IS NULL THEN 0 ELSE instr(tags, ?1) > 0 END",
        hashtag,
      );
    }
    const actions = this.sql
      .exec<{
        uri: string;
        author: string;
        time: number;
        status: string;
        target_kind: string;
        target: string;
      }>("SELECT uri, author, time, status, target_kind, target FROM actions WHERE deleted = 0")
      .toArray();
    const postTargets = new Set<string>();
    for (const a of actions) {
      const status = this.judgeAction(a.author, a.time);
      if (status === a.status) continue;
      this.sql.exec("UPDATE actions SET status = ? WHERE uri = ?", status, a.uri);
      if (a.target_kind === "post") postTargets.add(a.target);
    }
    for (const uri of postTargets) this.refreshPostModeration(uri);
    const dids = this.sql.exec<{ did: string }>("SELECT did FROM members").toArray();
    // Membership periods do not depend on the config: no need to re-admit posts.
    for (const { did } of dids) this.refreshMember(did, false);
  }

  private moderatorsOf(config: CommunityConfig | null): Set<string> {
    const owner = this.identity?.owner;
    return new Set([...(owner ? [owner] : []), ...(config?.moderators ?? [])]);
  }

  /** An action counts only if its author moderated the community when it was made. */
  private judgeAction(author: string, time: number): "applied" | "rejected" | "pending" {
    const config = this.configAt(time);
    if (!config) return "pending";
    if (!config.record) return "rejected";
    return this.moderatorsOf(config.record).has(author) ? "applied" : "rejected";
  }

  // ---- membership ---------------------------------------------------------

  private applyMembership(identity: Identity, event: RecordEvent): ApplyOutcome {
    const uri = atUri(event.did, event.collection, event.rkey);
    const duplicate = this.sql.exec(
      "SELECT 1 FROM membership_versions WHERE uri = ? AND time = ?",
      uri,
      event.time,
    );
    if (duplicate.toArray().length > 0) return { status: "ignored", reason: "duplicate event" };
    const latest = this.sql
      .exec<{ time: number; cid: string | null; deleted: number }>(
        "SELECT time, cid, deleted FROM membership_versions WHERE uri = ? ORDER BY time DESC LIMIT 1",
        uri,
      )
      .toArray()[0];
    if (latest && event.cid && latest.cid === event.cid && !latest.deleted && latest.time < event.time) {
      // The same record seen again later (requestIndex, resync): no new period starts.
      return { status: "ignored", reason: "membership unchanged" };
    }
    let active = false;
    let joinedAt: string | null = null;
    if (event.operation !== "delete") {
      const checked = validateMembership(event.record);
      if (!checked.ok) return this.rejectInvalid(checked.reasons);
      if (checked.value.community !== identity.uri) {
        return { status: "rejected", reason: "membership points at another community" };
      }
      active = checked.value.active !== false;
      joinedAt = checked.value.joinedAt;
    }
    // Every version is kept: membership periods are rebuilt from the whole
    // history, so a late event falls into place instead of overwriting.
    this.sql.exec(
      "INSERT INTO membership_versions (uri, did, time, cid, active, deleted, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      uri,
      event.did,
      event.time,
      event.cid ?? null,
      active ? 1 : 0,
      event.operation === "delete" ? 1 : 0,
      joinedAt,
    );
    this.refreshMember(event.did);
    return { status: event.operation === "delete" ? "deleted" : "applied" };
  }

  private isBlocked(did: string): boolean {
    if (this.latestConfig?.record?.blocklist?.includes(did)) return true;
    const latest = this.sql
      .exec<{ action: string }>(
        `SELECT action FROM actions WHERE target = ? AND target_kind = 'user' AND status = 'applied' AND deleted = 0
         ORDER BY created_ms DESC, rkey DESC, author DESC LIMIT 1`,
        did,
      )
      .toArray()[0];
    return latest?.action === "block_user";
  }

  /**
   * Membership periods per DID, cached: indexing a post needs its author's
   * periods, and they change only through refreshMember(), which drops the entry.
   */
  private readonly runsCache = new Map<string, Run[]>();

  private runsOf(did: string): Run[] {
    const cached = this.runsCache.get(did);
    if (cached) return cached;
    const runs = this.loadRuns(did);
    if (this.runsCache.size >= 10_000) this.runsCache.clear();
    this.runsCache.set(did, runs);
    return runs;
  }

  private loadRuns(did: string): Run[] {
    const versions = this.sql
      .exec<{ uri: string; time: number; active: number; deleted: number; joined_at: string | null }>(
        "SELECT uri, time, active, deleted, joined_at FROM membership_versions WHERE did = ? ORDER BY uri, time",
        did,
      )
      .toArray();
    return membershipRuns(versions);
  }

  /** Recomputes one DID's member row and which of its posts were made while a member. */
  private refreshMember(did: string, readmit = true): void {
    this.runsCache.delete(did);
    const runs = this.runsOf(did);
    if (runs.length === 0 && !this.hasMembershipHistory(did)) {
      this.sql.exec("DELETE FROM members WHERE did = ?", did);
      return;
    }
    const current = runs.find((r) => r.end === null);
    const hasRecord = this.sql
      .exec(
        `SELECT 1 FROM membership_versions v WHERE v.did = ? AND v.deleted = 0
         AND v.time = (SELECT max(time) FROM membership_versions WHERE uri = v.uri)`,
        did,
      )
      .toArray().length;
    const blocked = this.isBlocked(did);
    const account = this.sql
      .exec<{ active: number }>("SELECT active FROM accounts WHERE did = ?", did)
      .toArray()[0];
    const accountActive = account ? account.active === 1 : true;
    const previous = this.sql
      .exec<{ has_record: number }>("SELECT has_record FROM members WHERE did = ?", did)
      .toArray()[0];
    this.sql.exec(
      `INSERT INTO members (did, membership_uri, joined_at, has_record, active, blocked, account_active, visible)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (did) DO UPDATE SET membership_uri = excluded.membership_uri, joined_at = excluded.joined_at,
         has_record = excluded.has_record, active = excluded.active, blocked = excluded.blocked,
         account_active = excluded.account_active, visible = excluded.visible`,
      did,
      current?.uri ?? null,
      current?.joinedAt ?? null,
      hasRecord ? 1 : 0,
      current ? 1 : 0,
      blocked ? 1 : 0,
      accountActive ? 1 : 0,
      current && !blocked && accountActive ? 1 : 0,
    );
    if (previous?.has_record !== (hasRecord ? 1 : 0)) {
      this.sql.exec(
        "INSERT OR REPLACE INTO directory_outbox (did, present) VALUES (?, ?)",
        did,
        hasRecord ? 1 : 0,
      );
    }
    if (readmit) this.readmitPosts(did, runs);
  }

  private hasMembershipHistory(did: string): boolean {
    return this.sql.exec("SELECT 1 FROM membership_versions WHERE did = ? LIMIT 1", did).toArray().length > 0;
  }

  private readmitPosts(did: string, runs: Run[]): void {
    const posts = this.sql
      .exec<{ uri: string; time: number; admitted: number }>(
        "SELECT uri, time, admitted FROM posts WHERE author = ?",
        did,
      )
      .toArray();
    for (const post of posts) {
      const admitted = withinRuns(runs, post.time) ? 1 : 0;
      if (admitted !== post.admitted)
        this.sql.exec("UPDATE posts SET admitted = ? WHERE uri = ?", admitted, post.uri);
    }
  }

  // ---- accounts -----------------------------------------------------------

  private applyAccount(did: string, active: boolean, time: number): ApplyOutcome {
    const row = this.sql.exec<{ time: number }>("SELECT time FROM accounts WHERE did = ?", did).toArray()[0];
    if (row && row.time >= time) return { status: "ignored", reason: "older or duplicate account event" };
    this.sql.exec(
      "INSERT INTO accounts (did, active, time) VALUES (?, ?, ?) ON CONFLICT (did) DO UPDATE SET active = excluded.active, time = excluded.time",
      did,
      active ? 1 : 0,
      time,
    );
    if (this.sql.exec("SELECT 1 FROM members WHERE did = ?", did).toArray().length > 0)
      this.refreshMember(did);
    return { status: "applied" };
  }

  // ---- moderation ---------------------------------------------------------

  /**
   * Records a moderation action in the log and recomputes the state of its
   * target. Only the target's rows are touched: no scan of the posts.
   */
  private applyModerationAction(identity: Identity, event: RecordEvent): ApplyOutcome {
    const uri = atUri(event.did, event.collection, event.rkey);
    const existing = this.sql
      .exec<{ time: number; cid: string | null; target_kind: string; target: string }>(
        "SELECT time, cid, target_kind, target FROM actions WHERE uri = ?",
        uri,
      )
      .toArray()[0];
    if (existing && existing.time >= event.time)
      return { status: "ignored", reason: "older or duplicate event" };
    if (event.operation === "delete") {
      if (existing) {
        this.sql.exec("UPDATE actions SET deleted = 1, time = ? WHERE uri = ?", event.time, uri);
        this.refreshTarget(existing.target_kind, existing.target);
      } else {
        // Remember the delete so a late create of this record cannot apply.
        this.sql.exec(
          `INSERT INTO actions (uri, author, rkey, cid, time, action, target_kind, target, created_at, created_ms, indexed_at, status, deleted)
           VALUES (?, ?, ?, NULL, ?, '', '', '', '', 0, ?, 'deleted', 1)`,
          uri,
          event.did,
          event.rkey,
          event.time,
          Date.now(),
        );
      }
      return { status: "deleted" };
    }
    if (existing && existing.cid === event.cid) return { status: "ignored", reason: "action unchanged" };
    const checked = validateModerationAction(event.record);
    if (!checked.ok) return this.rejectInvalid(checked.reasons);
    const action = checked.value;
    if (action.community !== identity.uri)
      return { status: "rejected", reason: "action is for another community" };
    const postTarget = "uri" in action.target ? (action.target as { uri: string; cid: string }) : null;
    const targetKind = postTarget ? "post" : "user";
    const target = postTarget ? postTarget.uri : (action.target as { did: string }).did;
    const status = this.judgeAction(event.did, event.time);
    this.sql.exec(
      `INSERT INTO actions (uri, author, rkey, cid, time, action, target_kind, target, target_cid, reason, created_at, created_ms, indexed_at, status, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
       ON CONFLICT (uri) DO UPDATE SET cid = excluded.cid, time = excluded.time, action = excluded.action,
         target_kind = excluded.target_kind, target = excluded.target, target_cid = excluded.target_cid,
         reason = excluded.reason, created_at = excluded.created_at, created_ms = excluded.created_ms,
         indexed_at = excluded.indexed_at, status = excluded.status, deleted = 0`,
      uri,
      event.did,
      event.rkey,
      event.cid ?? null,
      event.time,
      action.action,
      targetKind,
      target,
      postTarget?.cid ?? null,
      action.reason ?? null,
      action.createdAt,
      Date.parse(action.createdAt),
      Date.now(),
      status,
    );
    if (existing && (existing.target_kind !== targetKind || existing.target !== target)) {
      this.refreshTarget(existing.target_kind, existing.target);
    }
    this.refreshTarget(targetKind, target);
    if (status === "rejected") {
      console.warn(JSON.stringify({ event: "moderation_rejected", uri, author: event.did }));
      return { status: "rejected", reason: `${event.did} is not a moderator of this community` };
    }
    return {
      status: "applied",
      ...(status === "pending" ? { reason: "waiting for the community config" } : {}),
    };
  }

  private refreshTarget(kind: string, target: string): void {
    if (kind === "post") this.refreshPostModeration(target);
    else if (
      kind === "user" &&
      this.sql.exec("SELECT 1 FROM members WHERE did = ?", target).toArray().length > 0
    ) {
      this.refreshMember(target);
    }
  }

  /** Last write wins among the applied hide/unhide actions on one post. */
  private postHidden(postUri: string): boolean {
    const latest = this.sql
      .exec<{ action: string }>(
        `SELECT action FROM actions WHERE target = ? AND target_kind = 'post' AND status = 'applied' AND deleted = 0
         ORDER BY created_ms DESC, rkey DESC, author DESC LIMIT 1`,
        postUri,
      )
      .toArray()[0];
    return latest?.action === "hide_post";
  }

  private refreshPostModeration(postUri: string): void {
    this.sql.exec("UPDATE posts SET hidden = ? WHERE uri = ?", this.postHidden(postUri) ? 1 : 0, postUri);
  }

  // ---- posts --------------------------------------------------------------

  private applyPost(event: RecordEvent): ApplyOutcome {
    const uri = atUri(event.did, event.collection, event.rkey);
    // One round trip for what indexing a post needs to know: a tombstone, the
    // stored version, and the moderation decision already made about it.
    const known = this.sql
      .exec<{ tombstone: number | null; time: number | null; cid: string | null; hidden: number }>(
        `SELECT (SELECT time FROM post_tombstones WHERE uri = ?1) AS tombstone,
           p.time AS time, p.cid AS cid,
           coalesce((SELECT action = 'hide_post' FROM actions
             WHERE target = ?1 AND target_kind = 'post' AND status = 'applied' AND deleted = 0
             ORDER BY created_ms DESC, rkey DESC, author DESC LIMIT 1), 0) AS hidden
         FROM (SELECT 1) LEFT JOIN posts p ON p.uri = ?1`,
        uri,
      )
      .one();
    if (known.tombstone !== null && known.tombstone >= event.time)
      return { status: "ignored", reason: "post was deleted" };
    const existing = known.time === null ? null : { time: known.time, cid: known.cid };
    if (existing && existing.time >= event.time)
      return { status: "ignored", reason: "older or duplicate event" };
    if (event.operation === "delete") return this.removePost(uri, event.time);
    const checked = validatePost(event.record);
    if (!checked.ok) return this.rejectInvalid(checked.reasons);
    // Posts are stored whether or not the config has arrived yet (order
    // safety): `tags` keeps the community hashtags the post carries and
    // `tagged` says whether the config in force names one of them.
    const tags = communityHashtags(checked.value);
    // Even a post without any community hashtag is kept (as untagged): it may
    // be the newer version of a tagged post whose older version arrives later.
    if (existing?.cid && existing.cid === event.cid) return { status: "ignored", reason: "post unchanged" };
    const hashtag = this.latestConfig?.record?.hashtag;
    const tagged = hashtag !== undefined && tags.includes(hashtag);
    const now = Date.now();
    const createdMs = Date.parse(checked.value.createdAt);
    // Backdating cannot lift a post above newer ones, and a future date cannot pin it on top.
    const sortAt = Math.min(Number.isNaN(createdMs) ? now : createdMs, now);
    if (!existing && sortAt < now - POST_WINDOW_MS)
      return { status: "ignored", reason: "post is older than the feed window" };
    const admitted = withinRuns(this.runsOf(event.did), event.time);
    // An edit keeps the post's place in the feed (sort_at) but may drop or add the hashtag.
    this.sql.exec(
      `INSERT INTO posts (uri, author, cid, time, created_at, indexed_at, sort_at, hidden, admitted, tags, tagged)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (uri) DO UPDATE SET cid = excluded.cid, time = excluded.time, admitted = excluded.admitted,
         tags = excluded.tags, tagged = excluded.tagged`,
      uri,
      event.did,
      event.cid ?? null,
      event.time,
      checked.value.createdAt,
      now,
      sortAt,
      known.hidden ? 1 : 0,
      admitted ? 1 : 0,
      tags.join(" "),
      tagged ? 1 : 0,
    );
    this.postsWritten = true;
    if (!admitted)
      return { status: "rejected", reason: `${event.did} was not a member when the post was made` };
    return tagged
      ? { status: "applied" }
      : { status: "ignored", reason: "post lacks this community's hashtag (kept until the config says)" };
  }

  private postsWritten = false;

  private removePost(uri: string, time: number): ApplyOutcome {
    this.sql.exec(
      "INSERT INTO post_tombstones (uri, time) VALUES (?, ?) ON CONFLICT (uri) DO UPDATE SET time = max(time, excluded.time)",
      uri,
      time,
    );
    this.sql.exec("DELETE FROM posts WHERE uri = ?", uri);
    return { status: "deleted" };
  }

  // ---- after each write: directory outbox and retention alarm -------------

  private async afterWrites(): Promise<void> {
    if (this.postsWritten && !this.alarmArmed) {
      if ((await this.ctx.storage.getAlarm()) === null)
        await this.ctx.storage.setAlarm(Date.now() + RETENTION_INTERVAL_MS);
      this.alarmArmed = true;
    }
    this.postsWritten = false;
    await this.flushDirectoryOutbox();
  }

  /** Membership changes reach the Directory through an outbox, so a failed call is retried, not lost. */
  private async flushDirectoryOutbox(): Promise<void> {
    const pending = this.sql
      .exec<{ did: string; present: number }>("SELECT did, present FROM directory_outbox")
      .toArray();
    if (pending.length === 0 || !this.identity) return;
    const directory = this.env.DIRECTORY.getByName("directory");
    for (const { did, present } of pending) {
      await directory.setMembership(did, this.identity.uri, present === 1);
      this.sql.exec("DELETE FROM directory_outbox WHERE did = ? AND present = ?", did, present);
    }
  }

  /** Retention: drop posts (and tombstones) older than the window, a chunk at a time. */
  override async alarm(): Promise<void> {
    const cutoff = Date.now() - POST_WINDOW_MS;
    const removed = this.sql.exec(
      "DELETE FROM posts WHERE uri IN (SELECT uri FROM posts WHERE sort_at < ? ORDER BY sort_at LIMIT ?)",
      cutoff,
      RETENTION_CHUNK,
    ).rowsWritten;
    this.sql.exec(
      "DELETE FROM post_tombstones WHERE uri IN (SELECT uri FROM post_tombstones WHERE time < ? LIMIT ?)",
      (cutoff - POST_WINDOW_MS) * 1000,
      RETENTION_CHUNK,
    );
    await this.flushDirectoryOutbox();
    const more = removed >= RETENTION_CHUNK;
    const anyPosts = this.sql.exec("SELECT 1 FROM posts LIMIT 1").toArray().length > 0;
    if (more || anyPosts) await this.ctx.storage.setAlarm(Date.now() + (more ? 1000 : RETENTION_INTERVAL_MS));
    else this.alarmArmed = false;
  }

  // ---- reads --------------------------------------------------------------

  /**
   * One page of the feed, newest first. Hidden posts and posts of authors who
   * are no longer visible members are filtered inside the query, before the
   * limit, so pages are full.
   */
  getFeedSkeleton(requestedLimit: number, cursor?: string): FeedPage {
    const limit = Math.min(100, Math.max(1, Math.trunc(requestedLimit) || 50));
    if (this.status() !== "active") return { ok: false, error: "UnknownFeed", message: "Unknown feed" };
    const position = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && !position)
      return { ok: false, error: "InvalidRequest", message: "Malformed cursor" };
    const rows = this.sql
      .exec<{ uri: string; sort_at: number }>(
        `SELECT p.uri, p.sort_at FROM posts p INDEXED BY posts_feed CROSS JOIN members m ON m.did = p.author
         WHERE p.admitted = 1 AND p.hidden = 0 AND p.tagged = 1 AND m.visible = 1 ${position ? "AND (p.sort_at, p.uri) < (?, ?)" : ""}
         ORDER BY p.sort_at DESC, p.uri DESC LIMIT ?`,
        ...(position ? [position.sortAt, position.uri] : []),
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      ok: true,
      feed: page.map((r) => ({ post: r.uri })),
      ...(rows.length > limit && last
        ? { cursor: encodeCursor({ sortAt: last.sort_at, uri: last.uri }) }
        : {}),
    };
  }

  counters(): Counters {
    const count = (query: string) => this.sql.exec<{ n: number }>(query).one().n;
    return {
      memberCount: count("SELECT count(*) AS n FROM members WHERE active = 1 AND blocked = 0"),
      // Per visible member, a count over a partial index: no post row is read.
      postCount: count(
        `SELECT count(*) AS n FROM members m CROSS JOIN posts p INDEXED BY posts_shown_by_author
         ON p.author = m.did AND p.admitted = 1 AND p.hidden = 0 AND p.tagged = 1 WHERE m.visible = 1`,
      ),
      hiddenCount: count(
        "SELECT count(*) AS n FROM posts INDEXED BY posts_hidden WHERE admitted = 1 AND hidden = 1 AND tagged = 1",
      ),
      rejectedActions: count("SELECT count(*) AS n FROM actions WHERE status = 'rejected' AND deleted = 0"),
      invalidRecords: Number(this.meta("invalid_records") ?? "0"),
    };
  }

  getCommunityView(): CommunityView | null {
    const config = this.latestConfig;
    if (this.status() !== "active" || !config?.record || !this.identity) return null;
    const record = config.record;
    const { memberCount, postCount, hiddenCount, rejectedActions } = this.counters();
    return {
      uri: this.identity.uri,
      cid: config.cid ?? "",
      owner: this.identity.owner,
      name: record.name,
      ...(record.description !== undefined ? { description: record.description } : {}),
      hashtag: record.hashtag,
      stage: record.stage,
      moderators: [...this.moderatorsOf(record)],
      feed: atUri(this.identity.owner, COLLECTIONS.feedGenerator, this.identity.rkey),
      memberCount,
      postCount,
      hiddenCount,
      rejectedActions,
      ...(record.parentCommunity ? { parentCommunity: record.parentCommunity } : {}),
      ...(record.feedMix
        ? {
            feedMix: {
              own: record.feedMix.own,
              parent: record.feedMix.parent,
              global: record.feedMix.global,
            },
          }
        : {}),
      createdAt: record.createdAt,
      indexedAt: iso(config.seenAt),
    };
  }

  roleOf(did: string): "owner" | "moderator" | "member" {
    if (did === this.identity?.owner) return "owner";
    return this.latestConfig?.record?.moderators?.includes(did) ? "moderator" : "member";
  }

  isModerator(did: string): boolean {
    return this.status() === "active" && this.moderatorsOf(this.latestConfig?.record ?? null).has(did);
  }

  getMembers(limit: number, cursor?: string): { members: MemberView[]; cursor?: string } | { error: string } {
    const after = cursor === undefined ? null : decodeKeyset(cursor);
    if (cursor !== undefined && !after) return { error: "Malformed cursor" };
    const rows = this.sql
      .exec<{ did: string; joined_at: string; membership_uri: string | null }>(
        `SELECT did, joined_at, membership_uri FROM members WHERE active = 1 AND blocked = 0
         ${after ? "AND (joined_at, did) > (?, ?)" : ""} ORDER BY joined_at, did LIMIT ?`,
        ...(after ? [after[0], after[1]] : []),
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      members: page.map((r) => ({
        did: r.did,
        role: this.roleOf(r.did),
        joinedAt: r.joined_at,
        ...(r.membership_uri ? { uri: r.membership_uri } : {}),
      })),
      ...(rows.length > limit && last ? { cursor: encodeKeyset(last.joined_at, last.did) } : {}),
    };
  }

  getMembership(did: string): {
    status: "member" | "blocked" | "left" | "none";
    role?: string;
    uri?: string;
  } {
    const row = this.sql
      .exec<{ membership_uri: string | null; active: number; blocked: number }>(
        "SELECT membership_uri, active, blocked FROM members WHERE did = ?",
        did,
      )
      .toArray()[0];
    const latestUri = this.sql
      .exec<{ uri: string }>(
        "SELECT uri FROM membership_versions WHERE did = ? ORDER BY time DESC LIMIT 1",
        did,
      )
      .toArray()[0]?.uri;
    const uri = row?.membership_uri ?? latestUri;
    const withUri = uri ? { uri } : {};
    if (this.isBlocked(did)) return { status: "blocked", ...withUri };
    if (row?.active) return { status: "member", role: this.roleOf(did), ...withUri };
    if (latestUri) return { status: "left", ...withUri };
    return { status: "none" };
  }

  getActions(limit: number, cursor?: string): { actions: ActionView[]; cursor?: string } | { error: string } {
    const after = cursor === undefined ? null : decodeKeyset(cursor);
    if (cursor !== undefined && !after) return { error: "Malformed cursor" };
    const rows = this.sql
      .exec<{
        uri: string;
        cid: string | null;
        author: string;
        action: string;
        target_kind: string;
        target: string;
        target_cid: string | null;
        reason: string | null;
        created_at: string;
        created_ms: number;
        indexed_at: number;
        status: string;
      }>(
        `SELECT uri, cid, author, action, target_kind, target, target_cid, reason, created_at, created_ms, indexed_at, status
         FROM actions WHERE deleted = 0 ${after ? "AND (created_ms, uri) < (?, ?)" : ""}
         ORDER BY created_ms DESC, uri DESC LIMIT ?`,
        ...(after ? [Number(after[0]), after[1]] : []),
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      actions: page.map((r) => ({
        uri: r.uri,
        cid: r.cid ?? "",
        author: r.author,
        action: r.action,
        target:
          r.target_kind === "post"
            ? {
                $type: "com.atrarium.moderation.action#postTarget" as const,
                uri: r.target,
                cid: r.target_cid ?? "",
              }
            : { $type: "com.atrarium.moderation.action#userTarget" as const, did: r.target },
        ...(r.reason ? { reason: r.reason } : {}),
        createdAt: r.created_at,
        indexedAt: iso(r.indexed_at),
        status: r.status,
      })),
      ...(rows.length > limit && last ? { cursor: encodeKeyset(String(last.created_ms), last.uri) } : {}),
    };
  }

  /** Empties the index of this community (for resync after drift, and for tests). */
  /** DIDs this index has seen as members or moderation authors: whose repos resync reads. */
  knownDids(): string[] {
    return this.sql
      .exec<{ did: string }>("SELECT did FROM membership_versions UNION SELECT author AS did FROM actions")
      .toArray()
      .map((r) => r.did);
  }

  /** The records of one author that the index currently holds, by collection. */
  indexedRecordsOf(did: string): { memberships: string[]; actions: string[]; posts: string[] } {
    const uris = (query: string) =>
      this.sql
        .exec<{ uri: string }>(query, did)
        .toArray()
        .map((r) => r.uri);
    return {
      memberships: uris(
        `SELECT v.uri FROM membership_versions v WHERE v.did = ? AND v.deleted = 0
         AND v.time = (SELECT max(time) FROM membership_versions WHERE uri = v.uri)`,
      ),
      actions: uris("SELECT uri FROM actions WHERE author = ? AND deleted = 0"),
      posts: uris("SELECT uri FROM posts WHERE author = ?"),
    };
  }

  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    migrate(this.ctx.storage, MIGRATIONS);
    this.alarmArmed = false;
    this.runsCache.clear();
    this.loadState();
  }
}
