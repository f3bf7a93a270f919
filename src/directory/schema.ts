// Storage schema of the Directory object (SQLite), applied by migrate() in ../storage.ts.
//   hashtag_claims  every (hashtag, community) claim with the time its config was first
//                   observed naming it; the earliest observed claim holds the hashtag
//   communities     every community the index has met: `active` when its config is live
//                   and it holds its hashtag (listed, routed to)
//   refusals        communities refused a hashtag, why, and whether a displaced holder
//                   has handed its posts over yet
//   known_dids      which communities know a DID, and as what: member (holds a membership
//                   record there), poster (its posts are held there), actor (its moderation
//                   actions are kept there); routes deletes, edits and account events.
//                   The community is a number from community_ids (its AT-URI, once)
//   parked          memberships and actions naming a community whose config has not been seen yet
//   parked_posts    posts whose community hashtag no config holds yet (bounded, expiring)
//   parked_by_did   deletes and edits by a DID no community knows yet (bounded, expiring;
//                   kept after they are handed out, `delivered`, until they expire)
//                   (the three parked tables share one shape: id, key, author, event, parked_at)
//   parked_load     rows per (parked table, author), and per table under author '': the
//                   author quotas and totals of parking.ts, kept exact by triggers (rows
//                   parked by DID count only while no community has taken them)
//   routing_stats   what the queue consumer could not route: counters for getFirehoseStatus
//   community_summaries   what lists show of each community (its view as JSON, and the text
//                   a name search matches), told by the community when it changes
//   community_moderators  who moderates each community, from its summary (a viewer's own
//                   communities come first in lists)
import type { Migration } from "../storage.ts";

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: "hashtags, communities, memberships, refusals",
    sql: `
  CREATE TABLE hashtags (
    hashtag TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    claimed_at INTEGER NOT NULL
  );
  CREATE TABLE communities (
    uri TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    hashtag TEXT NOT NULL,
    active INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL
  );
  CREATE INDEX communities_list ON communities (claimed_at, uri) WHERE active = 1;
  CREATE TABLE memberships (
    did TEXT NOT NULL,
    community TEXT NOT NULL,
    PRIMARY KEY (did, community)
  );
  CREATE TABLE refusals (
    uri TEXT PRIMARY KEY,
    hashtag TEXT NOT NULL,
    reason TEXT NOT NULL,
    time INTEGER NOT NULL
  );
  `,
  },
  {
    version: 2,
    description: "moderators, to route deletes of moderation actions",
    sql: `
  CREATE TABLE moderators (
    did TEXT NOT NULL,
    community TEXT NOT NULL,
    PRIMARY KEY (did, community)
  );
  `,
  },
  {
    version: 3,
    description: "events parked for communities not met yet",
    sql: `
  CREATE TABLE parked (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    community TEXT NOT NULL,
    event TEXT NOT NULL
  );
  CREATE INDEX parked_community ON parked (community, id);
  `,
  },
  {
    version: 4,
    description:
      "hashtags go to the earliest observed claim (claims kept per community); DIDs known per role; " +
      "parked posts and parked deletes; routing counters",
    sql: `
  CREATE TABLE hashtag_claims (
    hashtag TEXT NOT NULL,
    community TEXT NOT NULL,
    observed INTEGER NOT NULL,
    PRIMARY KEY (hashtag, community)
  );
  CREATE INDEX hashtag_claims_order ON hashtag_claims (hashtag, observed, community);
  INSERT INTO hashtag_claims (hashtag, community, observed) SELECT hashtag, community, claimed_at * 1000 FROM hashtags;
  INSERT OR IGNORE INTO hashtag_claims (hashtag, community, observed) SELECT hashtag, uri, time * 1000 FROM refusals;
  DROP TABLE hashtags;
  ALTER TABLE refusals ADD COLUMN holder TEXT;
  ALTER TABLE refusals ADD COLUMN handed_over INTEGER NOT NULL DEFAULT 1;
  INSERT OR IGNORE INTO communities (uri, owner, hashtag, active, claimed_at)
    SELECT uri, substr(uri, 6, instr(substr(uri, 6), '/') - 1), hashtag, 0, time FROM refusals;
  CREATE TABLE known_dids (
    did TEXT NOT NULL,
    role TEXT NOT NULL,
    community TEXT NOT NULL,
    PRIMARY KEY (did, role, community)
  );
  INSERT INTO known_dids (did, role, community) SELECT did, 'member', community FROM memberships;
  INSERT OR IGNORE INTO known_dids (did, role, community) SELECT did, 'actor', community FROM moderators;
  DROP TABLE memberships;
  DROP TABLE moderators;
  ALTER TABLE parked RENAME COLUMN community TO key;
  ALTER TABLE parked ADD COLUMN parked_at INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE parked_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    event TEXT NOT NULL,
    parked_at INTEGER NOT NULL
  );
  CREATE INDEX parked_posts_hashtag ON parked_posts (key, id);
  CREATE INDEX parked_posts_age ON parked_posts (parked_at);
  CREATE TABLE parked_by_did (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    event TEXT NOT NULL,
    parked_at INTEGER NOT NULL
  );
  CREATE INDEX parked_by_did_did ON parked_by_did (key, id);
  CREATE INDEX parked_by_did_age ON parked_by_did (parked_at);
  CREATE TABLE routing_stats (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `,
  },
  {
    version: 5,
    description:
      "parking bounded per author with real counts (a flood of made-up hashtags evicts the flooder's own rows); " +
      "events parked by DID stay after they are handed out",
    sql: `
  ALTER TABLE parked ADD COLUMN author TEXT NOT NULL DEFAULT '';
  ALTER TABLE parked_posts ADD COLUMN author TEXT NOT NULL DEFAULT '';
  ALTER TABLE parked_by_did ADD COLUMN author TEXT NOT NULL DEFAULT '';
  ALTER TABLE parked_by_did ADD COLUMN delivered INTEGER NOT NULL DEFAULT 0;
  UPDATE parked SET author = coalesce(json_extract(event, '$.did'), '');
  UPDATE parked_posts SET author = coalesce(json_extract(event, '$.did'), '');
  UPDATE parked_by_did SET author = key;
  CREATE INDEX parked_author ON parked (author, id);
  CREATE INDEX parked_posts_author ON parked_posts (author, id);
  CREATE INDEX parked_by_did_author ON parked_by_did (author, id);
  CREATE TABLE parked_load (
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, author)
  );
  CREATE INDEX parked_load_most ON parked_load (kind, n);
${["parked", "parked_posts", "parked_by_did"].map(loadTriggers).join("")}
  `,
  },
  {
    version: 6,
    description:
      "rows parked by DID count toward the quotas only while no community has taken them: every delete of a " +
      "known author is kept too (handed out), capped apart, without a quota check per row; known DIDs name " +
      "their community by number (community_ids), clustered on their key",
    sql: `
  DROP TRIGGER parked_by_did_in;
  DROP TRIGGER parked_by_did_out;
  DELETE FROM parked_load WHERE kind = 'parked_by_did';
  INSERT INTO parked_load (kind, author, n) SELECT 'parked_by_did', author, count(*) FROM parked_by_did
    WHERE author != '' AND delivered = 0 GROUP BY author;
  INSERT INTO parked_load (kind, author, n) SELECT 'parked_by_did', '', count(*) FROM parked_by_did WHERE delivered = 0;
  CREATE TRIGGER parked_by_did_in AFTER INSERT ON parked_by_did WHEN NEW.delivered = 0 BEGIN
    INSERT INTO parked_load (kind, author, n) VALUES ('parked_by_did', NEW.author, 1), ('parked_by_did', '', 1)
      ON CONFLICT (kind, author) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER parked_by_did_out AFTER DELETE ON parked_by_did WHEN OLD.delivered = 0 BEGIN
${unload("parked_by_did", "OLD.author")}
  END;
  CREATE TRIGGER parked_by_did_taken AFTER UPDATE OF delivered ON parked_by_did
    WHEN OLD.delivered = 0 AND NEW.delivered = 1 BEGIN
${unload("parked_by_did", "OLD.author")}
  END;
  CREATE INDEX parked_by_did_delivered ON parked_by_did (delivered, id);
  CREATE TABLE community_ids (id INTEGER PRIMARY KEY, uri TEXT NOT NULL UNIQUE);
  INSERT INTO community_ids (uri) SELECT DISTINCT community FROM known_dids;
  CREATE TABLE known_dids_by_id (
    did TEXT NOT NULL,
    role TEXT NOT NULL,
    community INTEGER NOT NULL,
    PRIMARY KEY (did, role, community)
  ) WITHOUT ROWID;
  INSERT INTO known_dids_by_id (did, role, community)
    SELECT k.did, k.role, c.id FROM known_dids k JOIN community_ids c ON c.uri = k.community;
  DROP TABLE known_dids;
  ALTER TABLE known_dids_by_id RENAME TO known_dids;
  `,
  },
  {
    version: 7,
    description:
      "community summaries told by the communities, so a list costs one call; their moderators, " +
      "so a viewer's communities come first",
    sql: `
  CREATE TABLE community_summaries (
    uri TEXT PRIMARY KEY,
    view TEXT NOT NULL,
    search_text TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE community_moderators (
    did TEXT NOT NULL,
    community TEXT NOT NULL,
    PRIMARY KEY (did, community)
  ) WITHOUT ROWID;
  CREATE INDEX community_moderators_community ON community_moderators (community);
  `,
  },
];

/** Trigger statements: one row of the table by this author no longer counts. */
function unload(table: string, author: string): string {
  return `    UPDATE parked_load SET n = n - 1 WHERE kind = '${table}' AND author IN (${author}, '');
    DELETE FROM parked_load WHERE kind = '${table}' AND author = ${author} AND author != '' AND n <= 0;`;
}

/**
 * Keeps parked_load exact for one parked table: a row per author, and the
 * table's total under author ''. Triggers, so that every way a row leaves
 * (applied, expired, evicted) counts.
 */
function loadTriggers(table: string): string {
  return `
  INSERT INTO parked_load (kind, author, n) SELECT '${table}', author, count(*) FROM ${table}
    WHERE author != '' GROUP BY author;
  INSERT INTO parked_load (kind, author, n) SELECT '${table}', '', count(*) FROM ${table};
  CREATE TRIGGER ${table}_in AFTER INSERT ON ${table} BEGIN
    INSERT INTO parked_load (kind, author, n) VALUES ('${table}', NEW.author, 1), ('${table}', '', 1)
      ON CONFLICT (kind, author) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER ${table}_out AFTER DELETE ON ${table} BEGIN
    UPDATE parked_load SET n = n - 1 WHERE kind = '${table}' AND author IN (OLD.author, '');
    DELETE FROM parked_load WHERE kind = '${table}' AND author = OLD.author AND author != '' AND n <= 0;
  END;`;
}
