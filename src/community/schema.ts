// Storage schema of one CommunityFeed object (SQLite), applied by migrate()
// in ../storage.ts. Times named `observed` and `effective` are µs (see
// time.ts); `sort_at` is ms; `seen_at` and `indexed_at` are wall-clock ms.
//
//   config_versions      every version of the owner's config record
//   membership_versions  every version of every membership record naming the community
//   members              current state per DID, derived from the above and moderation;
//                        `pending` while a member waits for approval
//   accounts             latest account status per DID (active or not)
//   actions              the full moderation log; `status` says whether an action
//                        counts (its author moderates the community now); `expires`
//                        when a timed block_user ends
//   pins                 posts a counting pin_post is in force on, with that pin's
//                        effective time (the feed shows the newest 3 that it holds)
//   posts                hashtagged posts of the last 7 days: `tags` holds the community
//                        hashtags a post carries, `tagged` whether one is this community's,
//                        `admitted` whether its author was an unblocked member at its
//                        effective time, `hidden` the moderation outcome now
//   post_tombstones      deleted posts, so a late create cannot bring one back
//   directory_outbox     what the Directory must learn: DIDs this community holds
//                        memberships (member), posts (poster) or actions (actor) of
//   post_days            posts admitted per UTC day (days since the epoch), kept
//                        after the posts leave the window (the manage page's numbers)
//   kept_counts          one row: the counts a view shows, kept by triggers on posts,
//                        members and actions (store/kept-counts.ts)
//   author_posts         per author, the admitted, tagged, unhidden posts (for the feed's
//                        count when the author's visibility changes)
import type { Migration } from "../storage.ts";
import { KEPT_COUNTS_SQL } from "./store/kept-counts.ts";

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: "configs, memberships, members, accounts, actions, posts, tombstones, directory outbox",
    sql: `
  CREATE TABLE config_versions (
    time INTEGER PRIMARY KEY, cid TEXT, record TEXT, deleted INTEGER NOT NULL, seen_at INTEGER NOT NULL
  );
  CREATE TABLE membership_versions (
    uri TEXT NOT NULL, did TEXT NOT NULL, time INTEGER NOT NULL, cid TEXT, active INTEGER NOT NULL,
    deleted INTEGER NOT NULL, joined_at TEXT, PRIMARY KEY (uri, time)
  );
  CREATE INDEX membership_versions_did ON membership_versions (did);
  CREATE TABLE members (
    did TEXT PRIMARY KEY, membership_uri TEXT, joined_at TEXT, has_record INTEGER NOT NULL,
    active INTEGER NOT NULL, blocked INTEGER NOT NULL, account_active INTEGER NOT NULL, visible INTEGER NOT NULL
  );
  CREATE INDEX members_list ON members (joined_at, did) WHERE visible = 1;
  CREATE TABLE accounts (did TEXT PRIMARY KEY, active INTEGER NOT NULL, time INTEGER NOT NULL);
  CREATE TABLE actions (
    uri TEXT PRIMARY KEY, author TEXT NOT NULL, rkey TEXT NOT NULL, cid TEXT, time INTEGER NOT NULL,
    action TEXT NOT NULL, target_kind TEXT NOT NULL, target TEXT NOT NULL, target_cid TEXT, reason TEXT,
    created_at TEXT NOT NULL, created_ms INTEGER NOT NULL, indexed_at INTEGER NOT NULL, status TEXT NOT NULL,
    deleted INTEGER NOT NULL
  );
  CREATE INDEX actions_target ON actions (target, created_ms DESC, rkey DESC, author DESC);
  CREATE INDEX actions_log ON actions (created_ms DESC, uri DESC);
  CREATE TABLE posts (
    uri TEXT PRIMARY KEY, author TEXT NOT NULL, cid TEXT, time INTEGER NOT NULL, created_at TEXT NOT NULL,
    indexed_at INTEGER NOT NULL, sort_at INTEGER NOT NULL, hidden INTEGER NOT NULL, admitted INTEGER NOT NULL,
    tags TEXT NOT NULL, tagged INTEGER NOT NULL
  );
  CREATE INDEX posts_feed ON posts (sort_at DESC, uri DESC) WHERE admitted = 1 AND hidden = 0 AND tagged = 1;
  CREATE INDEX posts_author ON posts (author);
  CREATE INDEX posts_age ON posts (sort_at);
  CREATE TABLE post_tombstones (uri TEXT PRIMARY KEY, time INTEGER NOT NULL);
  CREATE TABLE directory_outbox (did TEXT PRIMARY KEY, present INTEGER NOT NULL);
  `,
  },
  {
    version: 2,
    description:
      "one time model: versions keyed by content with observed and effective times; actions and posts " +
      "ordered by effective time; members listed by their own index; the outbox tells the Directory " +
      "about posters and moderation authors too. Derived columns are recomputed on load (meta rederive).",
    sql: `
  ALTER TABLE config_versions RENAME TO config_versions_v1;
  CREATE TABLE config_versions (
    version TEXT PRIMARY KEY, observed INTEGER NOT NULL, effective INTEGER NOT NULL,
    hashtag TEXT, record TEXT, seen_at INTEGER NOT NULL
  );
  INSERT INTO config_versions (version, observed, effective, hashtag, record, seen_at)
    SELECT CASE WHEN deleted = 1 THEN 'delete@' || time ELSE coalesce(cid, 'nocid@' || time) END,
      min(time), min(time), json_extract(record, '$.hashtag'), record, max(seen_at)
    FROM config_versions_v1 GROUP BY 1;
  DROP TABLE config_versions_v1;

  ALTER TABLE membership_versions RENAME TO membership_versions_v1;
  DROP INDEX membership_versions_did;
  CREATE TABLE membership_versions (
    uri TEXT NOT NULL, version TEXT NOT NULL, did TEXT NOT NULL, observed INTEGER NOT NULL,
    effective INTEGER NOT NULL, active INTEGER NOT NULL, joined_at TEXT, PRIMARY KEY (uri, version)
  );
  CREATE INDEX membership_versions_did ON membership_versions (did);
  INSERT INTO membership_versions (uri, version, did, observed, effective, active, joined_at)
    SELECT uri, CASE WHEN deleted = 1 THEN 'delete@' || time ELSE coalesce(cid, 'nocid@' || time) END,
      did, min(time), min(time), max(active AND NOT deleted), joined_at
    FROM membership_versions_v1 GROUP BY 1, 2;
  DROP TABLE membership_versions_v1;

  DROP INDEX members_list;
  CREATE INDEX members_list ON members (joined_at, did) WHERE active = 1 AND blocked = 0;
  ALTER TABLE accounts RENAME COLUMN time TO observed;

  ALTER TABLE actions RENAME TO actions_v1;
  DROP INDEX actions_target;
  DROP INDEX actions_log;
  CREATE TABLE actions (
    uri TEXT PRIMARY KEY, author TEXT NOT NULL, rkey TEXT NOT NULL, cid TEXT, observed INTEGER NOT NULL,
    effective INTEGER NOT NULL, action TEXT NOT NULL, target_kind TEXT NOT NULL, target TEXT NOT NULL,
    target_cid TEXT, reason TEXT, created_at TEXT NOT NULL, indexed_at INTEGER NOT NULL,
    status TEXT NOT NULL, deleted INTEGER NOT NULL
  );
  INSERT INTO actions (uri, author, rkey, cid, observed, effective, action, target_kind, target, target_cid,
      reason, created_at, indexed_at, status, deleted)
    SELECT uri, author, rkey, cid, time, CASE WHEN deleted = 1 THEN time ELSE min(time, created_ms * 1000) END,
      action, target_kind, target, target_cid, reason, created_at, indexed_at, status, deleted
    FROM actions_v1;
  DROP TABLE actions_v1;
  CREATE INDEX actions_in_force ON actions (target_kind, target, effective, rkey, author)
    WHERE status = 'applied' AND deleted = 0;
  CREATE INDEX actions_log ON actions (effective DESC, uri DESC) WHERE deleted = 0;
  CREATE INDEX actions_author ON actions (author);
  CREATE INDEX actions_status ON actions (status) WHERE deleted = 0;

  ALTER TABLE posts RENAME COLUMN time TO observed;
  ALTER TABLE posts ADD COLUMN effective INTEGER NOT NULL DEFAULT 0;
  UPDATE posts SET effective = min(observed, sort_at * 1000);
  ALTER TABLE posts DROP COLUMN indexed_at;
  CREATE INDEX posts_hidden ON posts (uri) WHERE hidden = 1 AND admitted = 1 AND tagged = 1;
  -- A post's author with what the feed filters on: an author's posts, and the feed's
  -- post count per visible member, read from the index alone (counting through
  -- posts_feed joined to members took ~70 ms at 100,000 posts; a second, partial
  -- index per author cost a third of the indexing rate).
  DROP INDEX posts_author;
  CREATE INDEX posts_author ON posts (author, admitted, hidden, tagged);
  CREATE INDEX members_visible ON members (did) WHERE visible = 1;
  ALTER TABLE post_tombstones RENAME COLUMN time TO observed;

  DROP TABLE directory_outbox;
  CREATE TABLE directory_outbox (
    did TEXT NOT NULL, kind TEXT NOT NULL, present INTEGER NOT NULL, PRIMARY KEY (did, kind)
  );
  INSERT INTO meta (key, value) VALUES ('rederive', '1')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
  `,
  },
  {
    version: 3,
    description:
      "hashtagged posts refused (author not an unblocked member), counted for getMetrics from an index",
    sql: "CREATE INDEX posts_refused ON posts (uri) WHERE tagged = 1 AND admitted = 0;",
  },
  {
    version: 4,
    description:
      "communities that choose their members: a block's expiry, members waiting for approval, pinned " +
      "posts; a post needs good standing at its observed time too, so admission is recomputed (meta rederive)",
    sql: `
  ALTER TABLE actions ADD COLUMN expires INTEGER;
  CREATE INDEX actions_expiry ON actions (expires)
    WHERE expires IS NOT NULL AND status = 'applied' AND deleted = 0;
  ALTER TABLE members ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
  DROP INDEX members_list;
  CREATE INDEX members_list ON members (joined_at, did) WHERE active = 1 AND blocked = 0 AND pending = 0;
  CREATE INDEX members_pending ON members (joined_at, did) WHERE pending = 1;
  CREATE TABLE pins (
    uri TEXT PRIMARY KEY, pinned_at INTEGER NOT NULL, rkey TEXT NOT NULL, pinned_by TEXT NOT NULL
  );
  CREATE INDEX pins_order ON pins (pinned_at DESC, rkey DESC, pinned_by DESC);
  INSERT INTO meta (key, value) VALUES ('rederive', '1')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
  `,
  },
  {
    version: 5,
    description: "posts admitted per day, kept after the posts leave the 7-day window (manage page numbers)",
    sql: "CREATE TABLE post_days (day INTEGER PRIMARY KEY, posts INTEGER NOT NULL);",
  },
  {
    version: 6,
    description:
      "counts kept as rows change (triggers on posts, members and actions), so a view reads one row " +
      "instead of counting the posts",
    sql: KEPT_COUNTS_SQL,
  },
];
