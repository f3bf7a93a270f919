// The counts a community view shows (members, posts in the feed, hidden,
// refused, rejected actions), kept in one row by SQLite triggers as rows of
// posts, members and actions change, so that a view reads one row instead of
// counting up to 100,000 posts. Triggers rather than the apply rules: every
// rule that changes admission, hiding, tagging or who is visible writes these
// tables, and the counts follow whatever wrote them. `recount` is what they
// must always equal (a test checks it after varied histories).
//
// Writes to posts, members and actions are INSERT OR REPLACE, UPDATE or
// DELETE. A REPLACE removes the old row without firing DELETE triggers, so a
// BEFORE INSERT trigger takes the old row's share out first. An UPSERT
// (ON CONFLICT DO UPDATE) would fire that trigger and then the UPDATE one,
// taking the old row out twice: keep to REPLACE on these tables, or change
// the triggers with it.
//
// "Posts in the feed" are posts shown by the feed query: admitted, tagged,
// not hidden, by a visible member; the hidden posts a view counts are those
// of visible members too (so the live index and a rebuild agree). Visibility
// is the member's, so both counts are kept per author too (author_posts),
// and a member who becomes visible or invisible adds or removes their posts
// at once.
import type { Sql } from "../../storage.ts";
import type { ActionStore } from "./action-store.ts";
import type { MemberStore } from "./member-store.ts";
import type { PostStore } from "./post-store.ts";

export interface KeptCounts {
  /** Members now: an active membership, not blocked, not waiting for approval. */
  members: number;
  /** Posts the feed shows. */
  shownPosts: number;
  /** Admitted, tagged posts of visible members that a moderator hid (what a view counts). */
  shownHiddenPosts: number;
  /** Admitted, tagged posts a moderator hid, whoever the author is now (what an operator counts). */
  hiddenPosts: number;
  /** Tagged posts whose author was an unblocked member at their time, shown or hidden, whoever the author is now. */
  admittedPosts: number;
  /** Tagged posts whose author was not an unblocked member at their time. */
  refusedPosts: number;
  /** Moderation actions that do not count (their author does not moderate the community now). */
  rejectedActions: number;
}

export class KeptCountStore {
  constructor(private readonly sql: Sql) {}

  get(): KeptCounts {
    const row = this.sql.first<KeptCounts>`SELECT members, shown_posts AS shownPosts,
      shown_hidden_posts AS shownHiddenPosts, hidden_posts AS hiddenPosts, admitted_posts AS admittedPosts, refused_posts AS refusedPosts,
      rejected_actions AS rejectedActions FROM kept_counts WHERE id = 1`;
    if (!row) throw new Error("kept_counts has no row: the schema migration did not run");
    return row;
  }
}

/** The counts as the queries count them, from scratch (what the kept row must equal). */
export function recount(store: { members: MemberStore; posts: PostStore; actions: ActionStore }): KeptCounts {
  return {
    members: store.members.count(),
    shownPosts: store.posts.feedCount(),
    shownHiddenPosts: store.posts.feedHiddenCount(),
    hiddenPosts: store.posts.hiddenCount(),
    admittedPosts: store.posts.admittedCount(),
    refusedPosts: store.posts.refusedCount(),
    rejectedActions: store.actions.rejectedCount(),
  };
}

// ---- the triggers ------------------------------------------------------------------

/** Where a trigger reads a row's columns: NEW, OLD, or the row a REPLACE is about to remove. */
interface RowRef {
  alias: string;
  from: string;
}

const NEW_ROW: RowRef = { alias: "NEW", from: "" };
const OLD_ROW: RowRef = { alias: "OLD", from: "" };
const replacedRow = (table: string, key: string): RowRef => ({
  alias: "r",
  from: ` FROM ${table} r WHERE r.${key} = NEW.${key}`,
});

/** An expression over the row, 0 when the row does not exist. */
const rowValue = (row: RowRef, expr: string) => `coalesce((SELECT ${expr}${row.from}), 0)`;

const shownByAuthor = (r: string) => `${r}.admitted = 1 AND ${r}.hidden = 0 AND ${r}.tagged = 1`;
const hiddenByAuthor = (r: string) => `${r}.admitted = 1 AND ${r}.hidden = 1 AND ${r}.tagged = 1`;
const byVisibleMember = (r: string) =>
  `EXISTS (SELECT 1 FROM members m WHERE m.did = ${r}.author AND m.visible = 1)`;

function postShare(row: RowRef, sign: "+" | "-"): string {
  const r = row.alias;
  const where = row.from ? `${row.from} AND` : " WHERE";
  return `
    INSERT INTO author_posts (author, shown, hidden)
      SELECT ${r}.author, ${sign}(${shownByAuthor(r)}), ${sign}(${hiddenByAuthor(r)})${where}
        (${shownByAuthor(r)} OR ${hiddenByAuthor(r)})
      ON CONFLICT (author) DO UPDATE SET shown = shown + excluded.shown, hidden = hidden + excluded.hidden;
    UPDATE kept_counts SET
      shown_posts = shown_posts ${sign} ${rowValue(row, `${shownByAuthor(r)} AND ${byVisibleMember(r)}`)},
      shown_hidden_posts = shown_hidden_posts ${sign} ${rowValue(row, `${hiddenByAuthor(r)} AND ${byVisibleMember(r)}`)},
      hidden_posts = hidden_posts ${sign} ${rowValue(row, `${r}.hidden = 1 AND ${r}.admitted = 1 AND ${r}.tagged = 1`)},
      admitted_posts = admitted_posts ${sign} ${rowValue(row, `${r}.admitted = 1 AND ${r}.tagged = 1`)},
      refused_posts = refused_posts ${sign} ${rowValue(row, `${r}.tagged = 1 AND ${r}.admitted = 0`)};`;
}

function memberShare(row: RowRef, sign: "+" | "-"): string {
  const r = row.alias;
  const theirs = (column: string) =>
    `CASE WHEN ${r}.visible = 1 THEN coalesce((SELECT a.${column} FROM author_posts a WHERE a.author = ${r}.did), 0) ELSE 0 END`;
  return `
    UPDATE kept_counts SET
      members = members ${sign} ${rowValue(row, `${r}.active = 1 AND ${r}.blocked = 0 AND ${r}.pending = 0`)},
      shown_posts = shown_posts ${sign} ${rowValue(row, theirs("shown"))},
      shown_hidden_posts = shown_hidden_posts ${sign} ${rowValue(row, theirs("hidden"))};`;
}

function actionShare(row: RowRef, sign: "+" | "-"): string {
  const r = row.alias;
  return `
    UPDATE kept_counts SET
      rejected_actions = rejected_actions ${sign} ${rowValue(row, `${r}.status = 'rejected' AND ${r}.deleted = 0`)};`;
}

/** The four triggers that keep one table's share of the counts. */
function counted(
  table: string,
  key: string,
  columns: string[],
  share: (row: RowRef, sign: "+" | "-") => string,
): string {
  const changed = columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(" OR ");
  return `
  CREATE TRIGGER ${table}_counted_replace BEFORE INSERT ON ${table}
    WHEN EXISTS (SELECT 1 FROM ${table} WHERE ${key} = NEW.${key})
  BEGIN ${share(replacedRow(table, key), "-")}
  END;
  CREATE TRIGGER ${table}_counted_insert AFTER INSERT ON ${table}
  BEGIN ${share(NEW_ROW, "+")}
  END;
  CREATE TRIGGER ${table}_counted_update AFTER UPDATE OF ${columns.join(", ")} ON ${table}
    WHEN ${changed}
  BEGIN ${share(OLD_ROW, "-")} ${share(NEW_ROW, "+")}
  END;
  CREATE TRIGGER ${table}_counted_delete AFTER DELETE ON ${table}
  BEGIN ${share(OLD_ROW, "-")}
  END;`;
}

/** The tables, their starting values (counted once, from the rows there are), and the triggers. */
export const KEPT_COUNTS_SQL = `
  CREATE TABLE author_posts (
    author TEXT PRIMARY KEY, shown INTEGER NOT NULL, hidden INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO author_posts (author, shown, hidden)
    SELECT author, sum(hidden = 0), sum(hidden = 1) FROM posts WHERE admitted = 1 AND tagged = 1 GROUP BY author;
  CREATE TABLE kept_counts (
    id INTEGER PRIMARY KEY CHECK (id = 1), members INTEGER NOT NULL, shown_posts INTEGER NOT NULL,
    shown_hidden_posts INTEGER NOT NULL, hidden_posts INTEGER NOT NULL, admitted_posts INTEGER NOT NULL,
    refused_posts INTEGER NOT NULL, rejected_actions INTEGER NOT NULL
  );
  INSERT INTO kept_counts (id, members, shown_posts, shown_hidden_posts, hidden_posts, admitted_posts,
    refused_posts, rejected_actions)
  VALUES (1,
    (SELECT count(*) FROM members WHERE active = 1 AND blocked = 0 AND pending = 0),
    (SELECT coalesce(sum(a.shown), 0) FROM author_posts a JOIN members m ON m.did = a.author WHERE m.visible = 1),
    (SELECT coalesce(sum(a.hidden), 0) FROM author_posts a JOIN members m ON m.did = a.author WHERE m.visible = 1),
    (SELECT count(*) FROM posts WHERE hidden = 1 AND admitted = 1 AND tagged = 1),
    (SELECT count(*) FROM posts WHERE admitted = 1 AND tagged = 1),
    (SELECT count(*) FROM posts WHERE tagged = 1 AND admitted = 0),
    (SELECT count(*) FROM actions WHERE status = 'rejected' AND deleted = 0));
  ${counted("posts", "uri", ["author", "admitted", "hidden", "tagged"], postShare)}
  ${counted("members", "did", ["did", "active", "blocked", "pending", "visible"], memberShare)}
  ${counted("actions", "uri", ["status", "deleted"], actionShare)}
`;
