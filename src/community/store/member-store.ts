import { raw, type Sql } from "../../storage.ts";

/** The current standing of one DID, derived from memberships, moderation and account status. */
export interface MemberRow {
  did: string;
  /** The membership record of the current period, if any. */
  membership_uri: string | null;
  joined_at: string | null;
  /** The DID holds a membership record here (its latest version is not a delete). */
  has_record: number;
  /** A member now: a membership period is open. */
  active: number;
  blocked: number;
  account_active: number;
  /** Waits for approval: active, not blocked, under joinPolicy approval, neither moderator nor approved. */
  pending: number;
  /** Shown in the feed: active, not blocked, not pending, account active. */
  visible: number;
}

const COLUMNS =
  "did, membership_uri, joined_at, has_record, active, blocked, account_active, pending, visible";

/** Members (derived state) and account statuses. */
export class MemberStore {
  constructor(private readonly sql: Sql) {}

  find(did: string): MemberRow | undefined {
    return this.sql.first<MemberRow>`SELECT ${raw(COLUMNS)} FROM members WHERE did = ${did}`;
  }

  put(m: MemberRow): void {
    this.sql.run`INSERT OR REPLACE INTO members (${raw(COLUMNS)})
      VALUES (${m.did}, ${m.membership_uri}, ${m.joined_at}, ${m.has_record}, ${m.active}, ${m.blocked},
        ${m.account_active}, ${m.pending}, ${m.visible})`;
  }

  remove(did: string): void {
    this.sql.run`DELETE FROM members WHERE did = ${did}`;
  }

  dids(): string[] {
    return this.sql.all<{ did: string }>`SELECT did FROM members`.map((r) => r.did);
  }

  /** Members now (active, not blocked, not waiting for approval), by join date then DID, keyset-paged. */
  list(limit: number, after?: [string, string]): Pick<MemberRow, "did" | "joined_at" | "membership_uri">[] {
    return after
      ? this.sql.all`SELECT did, joined_at, membership_uri FROM members INDEXED BY members_list
          WHERE active = 1 AND blocked = 0 AND pending = 0 AND (joined_at, did) > (${after[0]}, ${after[1]})
          ORDER BY joined_at, did LIMIT ${limit}`
      : this.sql.all`SELECT did, joined_at, membership_uri FROM members INDEXED BY members_list
          WHERE active = 1 AND blocked = 0 AND pending = 0 ORDER BY joined_at, did LIMIT ${limit}`;
  }

  count(): number {
    return this.sql.first<{ n: number }>`SELECT count(*) AS n FROM members INDEXED BY members_list
      WHERE active = 1 AND blocked = 0 AND pending = 0`?.n as number;
  }

  /** Members waiting for approval, by join date then DID (oldest first), keyset-paged. */
  pending(
    limit: number,
    after?: [string, string],
  ): Pick<MemberRow, "did" | "joined_at" | "membership_uri">[] {
    return after
      ? this.sql.all`SELECT did, joined_at, membership_uri FROM members INDEXED BY members_pending
          WHERE pending = 1 AND (joined_at, did) > (${after[0]}, ${after[1]})
          ORDER BY joined_at, did LIMIT ${limit}`
      : this.sql.all`SELECT did, joined_at, membership_uri FROM members INDEXED BY members_pending
          WHERE pending = 1 ORDER BY joined_at, did LIMIT ${limit}`;
  }

  accountActive(did: string): boolean {
    const row = this.sql.first<{ active: number }>`SELECT active FROM accounts WHERE did = ${did}`;
    return row ? row.active === 1 : true;
  }

  /** Keeps the newest account status; false when this one is older or a repeat. */
  putAccount(did: string, active: boolean, observed: number): boolean {
    return (
      this.sql.run`INSERT INTO accounts (did, active, observed) VALUES (${did}, ${active}, ${observed})
        ON CONFLICT (did) DO UPDATE SET active = excluded.active, observed = excluded.observed
        WHERE excluded.observed > accounts.observed` > 0
    );
  }
}
