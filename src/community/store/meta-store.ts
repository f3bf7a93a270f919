import type { Sql } from "../../storage.ts";

/** What the Directory knows a DID for here: a membership record, posts, or moderation actions. */
export type DirectoryRole = "member" | "poster" | "actor";

/** Small named values (the community's URI, counters, flags) and the Directory outbox. */
export class MetaStore {
  constructor(private readonly sql: Sql) {}

  get(key: string): string | undefined {
    return this.sql.first<{ value: string }>`SELECT value FROM meta WHERE key = ${key}`?.value;
  }

  set(key: string, value: string): void {
    this.sql.run`INSERT INTO meta (key, value) VALUES (${key}, ${value})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
  }

  delete(key: string): void {
    this.sql.run`DELETE FROM meta WHERE key = ${key}`;
  }

  count(key: string): number {
    return Number(this.get(key) ?? "0");
  }

  bump(key: string, by = 1): void {
    this.set(key, String(this.count(key) + by));
  }

  /** Queues a change for the Directory (sent after the write commits; retried until it succeeds). */
  tellDirectory(did: string, role: DirectoryRole, present: boolean): void {
    this.sql
      .run`INSERT OR REPLACE INTO directory_outbox (did, kind, present) VALUES (${did}, ${role}, ${present})`;
  }

  outbox(): { did: string; kind: DirectoryRole; present: number }[] {
    return this.sql.all`SELECT did, kind, present FROM directory_outbox`;
  }

  told(did: string, kind: DirectoryRole, present: number): void {
    this.sql.run`DELETE FROM directory_outbox WHERE did = ${did} AND kind = ${kind} AND present = ${present}`;
  }
}
