// What lists show of each community (its CommunityView: name, description,
// hashtag, counts, moderators), kept in the Directory and told by the
// community itself when it changes, so that a list of communities costs one
// Durable Object call whatever its length. The order is the Directory's
// (when each hashtag was claimed); a viewer's communities (a membership
// record there, or a moderator) come first; a search keeps the communities
// whose name or hashtag contains the words asked for.
import type { CommunityView } from "../lexicon/types/com/atrarium/community/defs.ts";
import type { Sql } from "../storage.ts";

/** Where a page of the list starts: after this community, in the viewer's part or the rest. */
export interface ListPosition {
  mine: boolean;
  claimedAt: number;
  uri: string;
}

export interface ListOptions {
  limit: number;
  after?: ListPosition;
  /** Whose communities come first (a DID); nothing private is read, memberships are public records. */
  viewer?: string;
  /** Only communities whose name or hashtag contains this (any case). */
  search?: string;
}

export interface ListedCommunity {
  uri: string;
  claimedAt: number;
  /** Whether the viewer belongs to it or moderates it. */
  mine: boolean;
  /** Null while the community has not told its summary yet (the caller asks it). */
  view: CommunityView | null;
}

interface Row {
  uri: string;
  claimed_at: number;
  view: string | null;
}

/** What a search matches on: the name and the hashtag, lower-cased (JavaScript's Unicode-aware lower case). */
export const searchText = (view: Pick<CommunityView, "name" | "hashtag">) =>
  `${view.name}\n${view.hashtag}`.toLowerCase();

export class CommunitySummaries {
  constructor(private readonly sql: Sql) {}

  /** The community's own word on its summary (null: it is not listed any more). */
  put(uri: string, view: CommunityView | null, now: number): void {
    this.sql.run`DELETE FROM community_moderators WHERE community = ${uri}`;
    if (!view) {
      this.sql.run`DELETE FROM community_summaries WHERE uri = ${uri}`;
      return;
    }
    this.sql.run`INSERT INTO community_summaries (uri, view, search_text, updated_at)
      VALUES (${uri}, ${JSON.stringify(view)}, ${searchText(view)}, ${now})
      ON CONFLICT (uri) DO UPDATE SET view = excluded.view, search_text = excluded.search_text,
        updated_at = excluded.updated_at`;
    for (const did of new Set(view.moderators))
      this.sql.run`INSERT OR IGNORE INTO community_moderators (did, community) VALUES (${did}, ${uri})`;
  }

  /** Summaries read from communities that had not told theirs yet; never over one a community told. */
  fillMissing(views: CommunityView[], now: number): void {
    for (const view of views) {
      const added = this.sql
        .run`INSERT OR IGNORE INTO community_summaries (uri, view, search_text, updated_at)
        VALUES (${view.uri}, ${JSON.stringify(view)}, ${searchText(view)}, ${now})`;
      if (added === 0) continue;
      for (const did of new Set(view.moderators))
        this.sql
          .run`INSERT OR IGNORE INTO community_moderators (did, community) VALUES (${did}, ${view.uri})`;
    }
  }

  /** `limit + 1` listed communities from `after` on: the viewer's first, then the rest. */
  list(options: ListOptions): ListedCommunity[] {
    const { limit, after, viewer } = options;
    const search = options.search?.toLowerCase().trim() || null;
    const out: ListedCommunity[] = [];
    if (viewer && (after === undefined || after.mine)) {
      out.push(...this.mine(viewer, limit + 1, after, search).map((r) => listed(r, true)));
      if (out.length > limit) return out;
    }
    const rest = this.rest(viewer ?? null, limit + 1 - out.length, after?.mine ? undefined : after, search);
    return [...out, ...rest.map((r) => listed(r, false))];
  }

  /** The viewer's communities, read from the viewer's own (few) rows, then sorted. */
  private mine(viewer: string, limit: number, after: ListPosition | undefined, search: string | null): Row[] {
    const [from, fromUri] = after ? [after.claimedAt, after.uri] : [Number.MIN_SAFE_INTEGER, ""];
    return this.sql.all<Row>`SELECT c.uri, c.claimed_at, s.view FROM communities c
      LEFT JOIN community_summaries s ON s.uri = c.uri
      WHERE c.uri IN (SELECT ids.uri FROM known_dids k JOIN community_ids ids ON ids.id = k.community
          WHERE k.did = ${viewer} AND k.role = 'member'
          UNION SELECT community FROM community_moderators WHERE did = ${viewer})
        AND c.active = 1 AND (c.claimed_at, c.uri) > (${from}, ${fromUri})
        AND (${search} IS NULL OR instr(s.search_text, ${search}) > 0)
      ORDER BY c.claimed_at, c.uri LIMIT ${limit}`;
  }

  /** Every other listed community, in the list's order (a walk of its index that stops at `limit`). */
  private rest(
    viewer: string | null,
    limit: number,
    after: ListPosition | undefined,
    search: string | null,
  ): Row[] {
    const [from, fromUri] = after ? [after.claimedAt, after.uri] : [Number.MIN_SAFE_INTEGER, ""];
    return this.sql.all<Row>`SELECT c.uri, c.claimed_at, s.view
      FROM communities c INDEXED BY communities_list
      LEFT JOIN community_summaries s ON s.uri = c.uri
      WHERE c.active = 1 AND (c.claimed_at, c.uri) > (${from}, ${fromUri})
        AND (${search} IS NULL OR instr(s.search_text, ${search}) > 0)
        AND (${viewer} IS NULL OR c.uri NOT IN (
          SELECT ids.uri FROM known_dids k JOIN community_ids ids ON ids.id = k.community
          WHERE k.did = ${viewer} AND k.role = 'member'
          UNION SELECT community FROM community_moderators WHERE did = ${viewer}))
      ORDER BY c.claimed_at, c.uri LIMIT ${limit}`;
  }
}

function listed(row: Row, mine: boolean): ListedCommunity {
  return {
    uri: row.uri,
    claimedAt: row.claimed_at,
    mine,
    view: row.view === null ? null : (JSON.parse(row.view) as CommunityView),
  };
}
