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

  /** For each DID some community knows, the communities that know it, by role. */
  rolesOf(dids: readonly string[]): Record<string, Partial<Record<DidRole, string[]>>> {
    const found: Record<string, Partial<Record<DidRole, string[]>>> = {};
    for (const did of new Set(dids)) {
      for (const { role, community } of this.sql.all<{ role: DidRole; community: string }>`
          SELECT role, community FROM known_dids WHERE did = ${did}`) {
        const roles = found[did] ?? {};
        roles[role] = [...(roles[role] ?? []), community];
        found[did] = roles;
      }
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

  /** Every DID some community knows: the receiver keeps their deletes, edits and account events. */
  all(): string[] {
    return this.sql.all<{ did: string }>`SELECT DISTINCT did FROM known_dids`.map((r) => r.did);
  }
}
