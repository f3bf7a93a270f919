// Which communities know a DID, and as what. Deletes, edits and account
// events carry no community, so they are routed by their author: a post's
// delete reaches every community that holds the author's posts, whatever
// the author's membership is now.
import type { Sql } from "../storage.ts";

/** member: holds a membership record there; poster: posts held there; actor: moderation actions kept there. */
export type DidRole = "member" | "poster" | "actor";

export class KnownDids {
  constructor(private readonly sql: Sql) {}

  set(did: string, community: string, role: DidRole, present: boolean): void {
    if (present)
      this.sql
        .run`INSERT OR IGNORE INTO known_dids (did, role, community) VALUES (${did}, ${role}, ${community})`;
    else
      this.sql.run`DELETE FROM known_dids WHERE did = ${did} AND role = ${role} AND community = ${community}`;
  }

  /** For each DID some community knows, the communities that know it, by role (one statement for them all). */
  rolesOf(dids: readonly string[]): Record<string, Partial<Record<DidRole, string[]>>> {
    const found: Record<string, Partial<Record<DidRole, string[]>>> = {};
    if (dids.length === 0) return found;
    for (const { did, role, community } of this.sql.all<{ did: string; role: DidRole; community: string }>`
        SELECT did, role, community FROM known_dids
        WHERE did IN (SELECT value FROM json_each(${JSON.stringify([...new Set(dids)])}))`) {
      const roles = found[did] ?? {};
      roles[role] = [...(roles[role] ?? []), community];
      found[did] = roles;
    }
    return found;
  }

  /** The communities that know each DID in one of `roles` (DIDs known nowhere are left out). */
  communitiesOf(dids: readonly string[], roles: readonly DidRole[]): Record<string, string[]> {
    const found: Record<string, string[]> = {};
    for (const did of new Set(dids)) {
      const communities = new Set<string>();
      for (const role of roles) {
        for (const { community } of this.sql.all<{ community: string }>`SELECT community FROM known_dids
            WHERE did = ${did} AND role = ${role}`)
          communities.add(community);
      }
      if (communities.size > 0) found[did] = [...communities];
    }
    return found;
  }

  isKnown(did: string): boolean {
    return this.sql.first`SELECT 1 AS one FROM known_dids WHERE did = ${did} LIMIT 1` !== undefined;
  }

  /** Every DID one community knows, whatever as: whose repos a rebuild of it reads. */
  didsOf(community: string): string[] {
    const rows = this.sql.all<{
      did: string;
    }>`SELECT DISTINCT did FROM known_dids WHERE community = ${community}`;
    return rows.map((r) => r.did);
  }

  /** The DIDs some community knows, in DID order, after `after`: one page of the receiver's member set. */
  page(after: string, limit: number): string[] {
    return this.sql.all<{ did: string }>`SELECT DISTINCT did FROM known_dids WHERE did > ${after}
      ORDER BY did LIMIT ${limit}`.map((r) => r.did);
  }
}
