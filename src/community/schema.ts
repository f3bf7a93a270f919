// Storage schema of one CommunityFeed object (SQLite), applied by
// migrate() in ../storage.ts; add a new entry to change it, never edit one.
//
//   config_versions      every version of the owner's config (the design's config:)
//   membership_versions  every version of every membership record (member:)
//   members              current state per DID, derived from the above
//   accounts             latest account status per DID (active or not)
//   actions              the full moderation log (moderation:)
//   posts                hashtagged posts of the last 7 days (post:); `tags` holds the
//                        community hashtags a post carries, `tagged` whether one is
//                        this community's, `admitted` whether the author was a member
//                        at the post's time, `hidden` the moderation outcome
//   post_tombstones      deleted posts, so a late create cannot bring one back
//   directory_outbox     membership changes not yet told to the Directory
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE config_versions (
    time INTEGER PRIMARY KEY,
    cid TEXT,
    record TEXT,
    deleted INTEGER NOT NULL,
    seen_at INTEGER NOT NULL
  );
  CREATE TABLE membership_versions (
    uri TEXT NOT NULL,
    did TEXT NOT NULL,
    time INTEGER NOT NULL,
    cid TEXT,
    active INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    joined_at TEXT,
    PRIMARY KEY (uri, time)
  );
  CREATE INDEX membership_versions_did ON membership_versions (did);
  CREATE TABLE members (
    did TEXT PRIMARY KEY,
    membership_uri TEXT,
    joined_at TEXT,
    has_record INTEGER NOT NULL,
    active INTEGER NOT NULL,
    blocked INTEGER NOT NULL,
    account_active INTEGER NOT NULL,
    visible INTEGER NOT NULL
  );
  CREATE INDEX members_list ON members (joined_at, did) WHERE visible = 1;
  CREATE TABLE accounts (
    did TEXT PRIMARY KEY,
    active INTEGER NOT NULL,
    time INTEGER NOT NULL
  );
  CREATE TABLE actions (
    uri TEXT PRIMARY KEY,
    author TEXT NOT NULL,
    rkey TEXT NOT NULL,
    cid TEXT,
    time INTEGER NOT NULL,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    target_cid TEXT,
    reason TEXT,
    created_at TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    indexed_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    deleted INTEGER NOT NULL
  );
  CREATE INDEX actions_target ON actions (target, created_ms DESC, rkey DESC, author DESC);
  CREATE INDEX actions_log ON actions (created_ms DESC, uri DESC);
  CREATE TABLE posts (
    uri TEXT PRIMARY KEY,
    author TEXT NOT NULL,
    cid TEXT,
    time INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    indexed_at INTEGER NOT NULL,
    sort_at INTEGER NOT NULL,
    hidden INTEGER NOT NULL,
    admitted INTEGER NOT NULL,
    tags TEXT NOT NULL,
    tagged INTEGER NOT NULL
  );
  CREATE INDEX posts_feed ON posts (sort_at DESC, uri DESC) WHERE admitted = 1 AND hidden = 0 AND tagged = 1;
  CREATE INDEX posts_author ON posts (author);
  CREATE INDEX posts_age ON posts (sort_at);
  CREATE TABLE post_tombstones (
    uri TEXT PRIMARY KEY,
    time INTEGER NOT NULL
  );
  CREATE TABLE directory_outbox (
    did TEXT PRIMARY KEY,
    present INTEGER NOT NULL
  );
  `,
  // 2: the view's post counts from small partial indexes instead of every post
  // (getCommunityView took ~70 ms at 100,000 posts, ~7 ms with these).
  `
  CREATE INDEX posts_shown_by_author ON posts (author) WHERE admitted = 1 AND hidden = 0 AND tagged = 1;
  CREATE INDEX posts_hidden ON posts (author) WHERE admitted = 1 AND hidden = 1 AND tagged = 1;
  `,
];
