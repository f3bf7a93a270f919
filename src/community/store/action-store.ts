import { raw, type Sql } from "../../storage.ts";
import type { CountingAction } from "../periods.ts";

export type ActionStatus = "applied" | "rejected" | "pending" | "deleted";
export type TargetKind = "post" | "user";

/** One moderation action record (the latest version of it), or the tombstone of a deleted one. */
export interface ActionRow {
  uri: string;
  author: string;
  rkey: string;
  cid: string | null;
  observed: number;
  effective: number;
  action: string;
  target_kind: TargetKind | "";
  target: string;
  target_cid: string | null;
  reason: string | null;
  /** When a timed block_user ends (µs, from expiresAt), else null. */
  expires: number | null;
  created_at: string;
  indexed_at: number;
  status: ActionStatus;
  deleted: number;
}

const COLUMNS = `uri, author, rkey, cid, observed, effective, action, target_kind, target, target_cid,
  reason, expires, created_at, indexed_at, status, deleted`;

/** The moderation log: every action naming the community, counting or not. */
export class ActionStore {
  constructor(private readonly sql: Sql) {}

  find(uri: string): ActionRow | undefined {
    return this.sql.first<ActionRow>`SELECT ${raw(COLUMNS)} FROM actions WHERE uri = ${uri}`;
  }

  put(a: ActionRow): void {
    this.sql
      .run`INSERT OR REPLACE INTO actions (uri, author, rkey, cid, observed, effective, action, target_kind,
        target, target_cid, reason, expires, created_at, indexed_at, status, deleted)
      VALUES (${a.uri}, ${a.author}, ${a.rkey}, ${a.cid}, ${a.observed}, ${a.effective}, ${a.action},
        ${a.target_kind}, ${a.target}, ${a.target_cid}, ${a.reason}, ${a.expires}, ${a.created_at},
        ${a.indexed_at}, ${a.status}, ${a.deleted})`;
  }

  seenAgain(uri: string, observed: number): void {
    this.sql
      .run`UPDATE actions SET observed = min(observed, ${observed}), effective = min(effective, ${observed})
      WHERE uri = ${uri}`;
  }

  /** The one query for moderation in force: the counting actions on a target, oldest first. */
  countingOn(kind: TargetKind, target: string): CountingAction[] {
    return this.sql.all<CountingAction>`SELECT action, effective, rkey, author, expires FROM actions
      WHERE target_kind = ${kind} AND target = ${target} AND status = 'applied' AND deleted = 0
      ORDER BY effective, rkey, author`;
  }

  /** Every target of one kind that any action names, counting or not, deleted or not. */
  targetsNamed(kind: TargetKind): string[] {
    return this.sql.all<{ target: string }>`SELECT DISTINCT target FROM actions
        WHERE target_kind = ${kind}`.map((r) => r.target);
  }

  /** The DIDs whose counting timed block ends after `after` and by `upTo` (µs). */
  blocksEnding(after: number, upTo: number): string[] {
    const rows = this.sql.all<{ target: string }>`SELECT target FROM actions INDEXED BY actions_expiry
        WHERE expires IS NOT NULL AND status = 'applied' AND deleted = 0
          AND expires > ${after} AND expires <= ${upTo}`;
    return [...new Set(rows.map((r) => r.target))];
  }

  /** When the next counting timed block after `after` (µs) ends, or null. */
  nextBlockEnd(after: number): number | null {
    return (
      this.sql.first<{ t: number | null }>`SELECT min(expires) AS t FROM actions INDEXED BY actions_expiry
        WHERE expires IS NOT NULL AND status = 'applied' AND deleted = 0 AND expires > ${after}`?.t ?? null
    );
  }

  /** The targets of one kind that counting actions name. */
  countedTargets(kind: TargetKind): string[] {
    return this.sql.all<{ target: string }>`SELECT DISTINCT target FROM actions
        WHERE target_kind = ${kind} AND status = 'applied' AND deleted = 0`.map((r) => r.target);
  }

  /** Actions whose standing may change with the moderator list: by these authors, or not yet judged. */
  judgeable(authors: string[]): Pick<ActionRow, "uri" | "author" | "status" | "target_kind" | "target">[] {
    type Judged = Pick<ActionRow, "uri" | "author" | "status" | "target_kind" | "target">;
    const rows: Judged[] = this.sql.all<Judged>`SELECT uri, author, status, target_kind, target FROM actions
      WHERE status = 'pending' AND deleted = 0`;
    for (const author of new Set(authors)) {
      rows.push(
        ...this.sql.all<Judged>`SELECT uri, author, status, target_kind, target FROM actions
          WHERE author = ${author} AND deleted = 0 AND status != 'pending'`,
      );
    }
    return rows;
  }

  setStatus(uri: string, status: ActionStatus): void {
    this.sql.run`UPDATE actions SET status = ${status} WHERE uri = ${uri}`;
  }

  /** The log, newest first (by effective time), keyset-paged. */
  log(limit: number, after?: { effective: number; uri: string }): ActionRow[] {
    return after
      ? this.sql.all<ActionRow>`SELECT ${raw(COLUMNS)} FROM actions
          WHERE deleted = 0 AND (effective, uri) < (${after.effective}, ${after.uri})
          ORDER BY effective DESC, uri DESC LIMIT ${limit}`
      : this.sql.all<ActionRow>`SELECT ${raw(COLUMNS)} FROM actions
          WHERE deleted = 0 ORDER BY effective DESC, uri DESC LIMIT ${limit}`;
  }

  rejectedCount(): number {
    return this.sql.first<{
      n: number;
    }>`SELECT count(*) AS n FROM actions WHERE status = 'rejected' AND deleted = 0`?.n as number;
  }

  /** URIs of actions by an author that are not deleted. */
  urisBy(author: string): string[] {
    return this.sql.all<{
      uri: string;
    }>`SELECT uri FROM actions WHERE author = ${author} AND deleted = 0`.map((r) => r.uri);
  }

  hasBy(author: string): boolean {
    return this.sql.first`SELECT 1 AS one FROM actions WHERE author = ${author} LIMIT 1` !== undefined;
  }

  authors(): string[] {
    return this.sql.all<{ author: string }>`SELECT DISTINCT author FROM actions`.map((r) => r.author);
  }

  /** Every live action with its date (schema migration recomputes effective times). */
  dated(): Pick<ActionRow, "uri" | "author" | "observed" | "created_at">[] {
    return this.sql.all`SELECT uri, author, observed, created_at FROM actions WHERE deleted = 0`;
  }

  setEffective(uri: string, effective: number): void {
    this.sql.run`UPDATE actions SET effective = ${effective} WHERE uri = ${uri}`;
  }
}
