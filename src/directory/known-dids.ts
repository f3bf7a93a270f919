// Which communities know a DID, and as what. Deletes, edits and account
// events carry no community, so they are routed by their author: a post's
// delete reaches every community that holds the author's posts, whatever
// the author's membership is now.
//
// At 10,000 communities of 100 members this is a million rows, most of the
// Directory's storage and of what a lookup reads: each row names its
// community by a small number (community_ids) rather than its AT-URI, and the
// table is clustered on its key (WITHOUT ROWID), which keeps it about five
// times smaller than rows carrying the URI twice.
import type { Sql } from "../storage.ts";

/** member: holds a membership record there; poster: posts held there; actor: moderation actions kept there. */
export type DidRole = "member" | "poster" | "actor";

export class KnownDids {
  /** Community URI → its number in known_dids (numbers never change). */
  private readonly ids = new Map<string, number>();

  constructor(private readonly sql: Sql) {}

  private idOf(community: string): number {
    const cached = this.ids.get(community);
    if (cached !== undefined) return cached;
    this.sql.run`INSERT OR IGNORE INTO community_ids (uri) VALUES (${community})`;
    const id = this.sql.first<{ id: number }>`SELECT id FROM community_ids WHERE uri = ${community}`
      ?.id as number;
    this.ids.set(community, id);
    return id;
  }

  set(did: string, community: string, role: DidRole, present: boolean): void {
    const id = this.idOf(community);
    if (present)
      this.sql.run`INSERT OR IGNORE INTO known_dids (did, role, community) VALUES (${did}, ${role}, ${id})`;
    else this.sql.run`DELETE FROM known_dids WHERE did = ${did} AND role = ${role} AND community = ${id}`;
  }

  /** For each DID some community knows, the communities that know it, by role (one statement for them all). */
  rolesOf(dids: readonly string[]): Record<string, Partial<Record<DidRole, string[]>>> {
    const found: Record<string, Partial<Record<DidRole, string[]>>> = {};
    if (dids.length === 0) return found;
    for (const { did, role, community } of this.sql.all<{ did: string; role: DidRole; community: string }>`
        SELECT k.did, k.role, c.uri AS community FROM known_dids k JOIN community_ids c ON c.id = k.community
        WHERE k.did IN (SELECT value FROM json_each(${JSON.stringify([...new Set(dids)])}))`) {
      const roles = found[did] ?? {};
      roles[role] = [...(roles[role] ?? []), community];
      found[did] = roles;
    }
    return found;
  }

  /** The communities that know each DID in one of `roles` (DIDs known nowhere are left out). */
  communitiesOf(dids: readonly string[], roles: readonly DidRole[]): Record<string, string[]> {
    const found: Record<string, string[]> = {};
    for (const [did, byRole] of Object.entries(this.rolesOf(dids))) {
      const communities = new Set(roles.flatMap((role) => byRole[role] ?? []));
      if (communities.size > 0) found[did] = [...communities];
    }
    return found;
  }

  isKnown(did: string): boolean {
    return this.sql.first`SELECT 1 AS one FROM known_dids WHERE did = ${did} LIMIT 1` !== undefined;
  }

  /** Every DID one community knows, whatever as: whose repos a rebuild of it reads. */
  didsOf(community: string): string[] {
    const rows = this.sql.all<{ did: string }>`SELECT DISTINCT did FROM known_dids
      WHERE community = (SELECT id FROM community_ids WHERE uri = ${community})`;
    return rows.map((r) => r.did);
  }

  /** The DIDs some community knows, in DID order, after `after`: one page of the receiver's member set. */
  page(after: string, limit: number): string[] {
    return this.sql.all<{ did: string }>`SELECT DISTINCT did FROM known_dids WHERE did > ${after}
      ORDER BY did LIMIT ${limit}`.map((r) => r.did);
  }
}
