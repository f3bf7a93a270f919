import type { Sql } from "../../storage.ts";

/** A post the community holds (its latest version). */
export interface PostRow {
  uri: string;
  author: string;
  cid: string | null;
  observed: number;
  effective: number;
  created_at: string;
  /** Feed order, ms: the effective time. */
  sort_at: number;
  hidden: number;
  admitted: number;
  /** The community hashtags the post carries, space-separated. */
  tags: string;
  tagged: number;
}

export interface FeedPosition {
  sortAt: number;
  uri: string;
}

/** What indexing one post needs to know, in one round trip. */
export interface PostState {
  tombstone: number | null;
  observed: number | null;
  cid: string | null;
  admitted: number | null;
}

/** Hashtagged posts of the feed window, and tombstones of deleted ones. */
export class PostStore {
  constructor(private readonly sql: Sql) {}

  state(uri: string): PostState {
    return this.sql
      .first<PostState>`SELECT (SELECT observed FROM post_tombstones WHERE uri = ${uri}) AS tombstone,
        p.observed AS observed, p.cid AS cid, p.admitted AS admitted
      FROM (SELECT 1) LEFT JOIN posts p ON p.uri = ${uri}` as PostState;
  }

  put(p: PostRow): void {
    this.sql.run`INSERT OR REPLACE INTO posts
        (uri, author, cid, observed, effective, created_at, sort_at, hidden, admitted, tags, tagged)
      VALUES (${p.uri}, ${p.author}, ${p.cid}, ${p.observed}, ${p.effective}, ${p.created_at}, ${p.sort_at},
        ${p.hidden}, ${p.admitted}, ${p.tags}, ${p.tagged})`;
  }

  seenAgain(uri: string, observed: number): void {
    this.sql
      .run`UPDATE posts SET observed = min(observed, ${observed}), effective = min(effective, ${observed}),
      sort_at = min(sort_at, ${Math.floor(observed / 1000)}) WHERE uri = ${uri}`;
  }

  /** Removes a post and remembers the delete, so that no older version can come back. */
  remove(uri: string, observed: number): number {
    this.sql.run`INSERT INTO post_tombstones (uri, observed) VALUES (${uri}, ${observed})
      ON CONFLICT (uri) DO UPDATE SET observed = max(observed, excluded.observed)`;
    return this.sql.run`DELETE FROM posts WHERE uri = ${uri}`;
  }

  /** One author's posts with what admission depends on. */
  byAuthor(author: string): Pick<PostRow, "uri" | "effective" | "observed" | "admitted">[] {
    return this.sql.all`SELECT uri, effective, observed, admitted FROM posts WHERE author = ${author}`;
  }

  /** An author's posts that would be in the feed were the author visible (held while they wait for approval). */
  heldCount(author: string): number {
    return this.sql.first<{ n: number }>`SELECT count(*) AS n FROM posts INDEXED BY posts_author
      WHERE author = ${author} AND admitted = 1 AND hidden = 0 AND tagged = 1`?.n as number;
  }

  setAdmitted(uri: string, admitted: boolean): void {
    this.sql.run`UPDATE posts SET admitted = ${admitted} WHERE uri = ${uri}`;
  }

  setHidden(uri: string, hidden: boolean): number {
    return this.sql.run`UPDATE posts SET hidden = ${hidden} WHERE uri = ${uri} AND hidden != ${hidden}`;
  }

  /** Which posts carry the community hashtag is decided by the config in force. */
  retag(hashtag: string | null): void {
    this.sql
      .run`UPDATE posts SET tagged = CASE WHEN ${hashtag} IS NULL THEN 0 ELSE instr(tags, ${hashtag}) > 0 END`;
  }

  /** Posts carrying a hashtag, to hand over to the community that rightfully holds it. */
  carrying(hashtag: string): PostRow[] {
    return this.sql.all<PostRow>`SELECT uri, author, cid, observed, effective, created_at, sort_at, hidden,
      admitted, tags, tagged FROM posts WHERE instr(tags, ${hashtag}) > 0`;
  }

  /**
   * One page of the feed, newest first: visible members' admitted, tagged,
   * unhidden posts, leaving out `shownPins` (at most 3: they head the first page).
   */
  feedPage(
    limit: number,
    after: FeedPosition | null,
    shownPins: readonly string[] = [],
  ): { uri: string; sort_at: number }[] {
    if (shownPins.length > 3) throw new Error("at most 3 pins are shown");
    // Padded with "" (no post's URI): NOT IN with a NULL would match nothing.
    const [pin1 = "", pin2 = "", pin3 = ""] = shownPins;
    return after
      ? this.sql.all`SELECT p.uri, p.sort_at FROM posts p INDEXED BY posts_feed
          CROSS JOIN members m ON m.did = p.author
          WHERE p.admitted = 1 AND p.hidden = 0 AND p.tagged = 1 AND m.visible = 1
            AND (p.sort_at, p.uri) < (${after.sortAt}, ${after.uri}) AND p.uri NOT IN (${pin1}, ${pin2}, ${pin3})
          ORDER BY p.sort_at DESC, p.uri DESC LIMIT ${limit}`
      : this.sql.all`SELECT p.uri, p.sort_at FROM posts p INDEXED BY posts_feed
          CROSS JOIN members m ON m.did = p.author
          WHERE p.admitted = 1 AND p.hidden = 0 AND p.tagged = 1 AND m.visible = 1
            AND p.uri NOT IN (${pin1}, ${pin2}, ${pin3})
          ORDER BY p.sort_at DESC, p.uri DESC LIMIT ${limit}`;
  }

  /** Posts the feed shows: per visible member, a count over a partial index (no post row is read). */
  feedCount(): number {
    return (
      this.sql.first<{ n: number }>`SELECT count(*) AS n FROM members m INDEXED BY members_visible
        CROSS JOIN posts p INDEXED BY posts_author
        ON p.author = m.did AND p.admitted = 1 AND p.hidden = 0 AND p.tagged = 1 WHERE m.visible = 1`?.n ?? 0
    );
  }

  /** Posts the feed would show but for a hide: per visible member, like feedCount(). */
  feedHiddenCount(): number {
    return (
      this.sql.first<{ n: number }>`SELECT count(*) AS n FROM members m INDEXED BY members_visible
        CROSS JOIN posts p INDEXED BY posts_author
        ON p.author = m.did AND p.admitted = 1 AND p.hidden = 1 AND p.tagged = 1 WHERE m.visible = 1`?.n ?? 0
    );
  }

  /** Hidden hashtagged posts whose author was an unblocked member at their time, whoever the author is now. */
  hiddenCount(): number {
    return this.sql.first<{ n: number }>`SELECT count(*) AS n FROM posts INDEXED BY posts_hidden
      WHERE hidden = 1 AND admitted = 1 AND tagged = 1`?.n as number;
  }

  /** Hashtagged posts whose author was an unblocked member at their time, shown or hidden, whoever the author is now. */
  admittedCount(): number {
    return (
      (this.sql.first<{ n: number }>`SELECT count(*) AS n FROM posts INDEXED BY posts_feed
        WHERE admitted = 1 AND hidden = 0 AND tagged = 1`?.n as number) + this.hiddenCount()
    );
  }

  /** Hashtagged posts whose author was not an unblocked member at their time. */
  refusedCount(): number {
    return this.sql.first<{ n: number }>`SELECT count(*) AS n FROM posts INDEXED BY posts_refused
      WHERE tagged = 1 AND admitted = 0`?.n as number;
  }

  /** Removes up to `limit` posts older than `cutoff` (ms); returns how many, and whose. */
  expire(cutoff: number, limit: number): { removed: number; authors: Set<string> } {
    const rows = this.sql.all<{ author: string }>`DELETE FROM posts WHERE uri IN
      (SELECT uri FROM posts WHERE sort_at < ${cutoff} ORDER BY sort_at LIMIT ${limit}) RETURNING author`;
    return { removed: rows.length, authors: new Set(rows.map((r) => r.author)) };
  }

  expireTombstones(cutoffMicros: number, limit: number): number {
    return this.sql.run`DELETE FROM post_tombstones WHERE uri IN
      (SELECT uri FROM post_tombstones WHERE observed < ${cutoffMicros} LIMIT ${limit})`;
  }

  any(): boolean {
    return this.sql.first`SELECT 1 AS one FROM posts LIMIT 1` !== undefined;
  }

  hasPostsBy(author: string): boolean {
    return this.sql.first`SELECT 1 AS one FROM posts WHERE author = ${author} LIMIT 1` !== undefined;
  }

  urisBy(author: string): string[] {
    return this.sql.all<{ uri: string }>`SELECT uri FROM posts WHERE author = ${author}`.map((r) => r.uri);
  }

  authors(): string[] {
    return this.sql.all<{ author: string }>`SELECT DISTINCT author FROM posts`.map((r) => r.author);
  }

  /** Every post with its date (schema migration recomputes effective times). */
  dated(): Pick<PostRow, "uri" | "observed" | "created_at">[] {
    return this.sql.all`SELECT uri, observed, created_at FROM posts`;
  }

  setEffective(uri: string, effective: number): void {
    this.sql
      .run`UPDATE posts SET effective = ${effective}, sort_at = ${Math.floor(effective / 1000)} WHERE uri = ${uri}`;
  }
}
