import type { Sql } from "../../storage.ts";
import type { Version } from "../time.ts";

/** One version of the owner's config record; `record` is null for a delete. */
export interface ConfigVersionRow extends Version {
  hashtag: string | null;
  record: string | null;
  seen_at: number;
}

/** The versions of the community's config record. */
export class ConfigStore {
  constructor(private readonly sql: Sql) {}

  /** Every version (a config has few). */
  versions(): ConfigVersionRow[] {
    return this.sql.all<ConfigVersionRow>`
      SELECT version, observed, effective, hashtag, record, seen_at FROM config_versions`;
  }

  find(version: string): ConfigVersionRow | undefined {
    return this.sql.first<ConfigVersionRow>`
      SELECT version, observed, effective, hashtag, record, seen_at FROM config_versions WHERE version = ${version}`;
  }

  insert(row: ConfigVersionRow): void {
    this.sql.run`INSERT INTO config_versions (version, observed, effective, hashtag, record, seen_at)
      VALUES (${row.version}, ${row.observed}, ${row.effective}, ${row.hashtag}, ${row.record}, ${row.seen_at})`;
  }

  /** The same version seen again: it was first observed at the earliest sighting. */
  seenAgain(version: string, observed: number, seenAt: number): void {
    this.sql.run`UPDATE config_versions SET observed = min(observed, ${observed}),
      effective = min(effective, ${observed}), seen_at = max(seen_at, ${seenAt}) WHERE version = ${version}`;
  }

  setEffective(version: string, effective: number): void {
    this.sql.run`UPDATE config_versions SET effective = ${effective} WHERE version = ${version}`;
  }
}
