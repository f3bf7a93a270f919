import type { Sql } from "../../storage.ts";
import type { MembershipVersion } from "../periods.ts";

export interface MembershipVersionRow extends MembershipVersion {
  did: string;
}

/** Every version of every membership record that names the community. */
export class MembershipStore {
  constructor(private readonly sql: Sql) {}

  versionsOf(did: string): MembershipVersionRow[] {
    return this.sql.all<MembershipVersionRow>`
      SELECT uri, version, did, observed, effective, active, joined_at FROM membership_versions WHERE did = ${did}`;
  }

  /** Every version of one membership record. */
  versionsOfRecord(uri: string): MembershipVersionRow[] {
    return this.sql.all<MembershipVersionRow>`
      SELECT uri, version, did, observed, effective, active, joined_at FROM membership_versions WHERE uri = ${uri}`;
  }

  insert(row: MembershipVersionRow): void {
    this.sql.run`INSERT INTO membership_versions (uri, version, did, observed, effective, active, joined_at)
      VALUES (${row.uri}, ${row.version}, ${row.did}, ${row.observed}, ${row.effective}, ${row.active}, ${row.joined_at})`;
  }

  seenAgain(uri: string, version: string, observed: number): void {
    this.sql.run`UPDATE membership_versions SET observed = min(observed, ${observed}),
      effective = min(effective, ${observed}) WHERE uri = ${uri} AND version = ${version}`;
  }

  /** The membership records of a DID whose latest version is not a delete. */
  recordsOf(did: string): string[] {
    return this.sql.all<{ uri: string }>`SELECT v.uri FROM membership_versions v WHERE v.did = ${did}
        AND v.version NOT LIKE 'delete@%'
        AND v.observed = (SELECT max(observed) FROM membership_versions WHERE uri = v.uri)`.map((r) => r.uri);
  }

  /** DIDs with any membership history here. */
  dids(): string[] {
    return this.sql.all<{ did: string }>`SELECT DISTINCT did FROM membership_versions`.map((r) => r.did);
  }

  /** Effective times are recomputed from joinedAt (schema migration). */
  all(): MembershipVersionRow[] {
    return this.sql.all<MembershipVersionRow>`
      SELECT uri, version, did, observed, effective, active, joined_at FROM membership_versions`;
  }

  setEffective(uri: string, version: string, effective: number): void {
    this.sql
      .run`UPDATE membership_versions SET effective = ${effective} WHERE uri = ${uri} AND version = ${version}`;
  }
}
