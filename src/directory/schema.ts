// Storage schema of the Directory object (SQLite).
//   hashtags     each community hashtag and the community that claimed it first
//   communities  every community the index knows, for listing and describeFeedGenerator
//   memberships  which DIDs hold a membership record where (routes deletes and account events)
//   refusals     configs refused because their hashtag was taken
//   moderators   who moderates which community (the owner and the config's list): routes deletes of actions
//   parked       memberships and actions naming a community whose config has not been seen yet
export const MIGRATIONS: string[] = [
  `
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
  `
  CREATE TABLE moderators (
    did TEXT NOT NULL,
    community TEXT NOT NULL,
    PRIMARY KEY (did, community)
  );
  `,
  `
  CREATE TABLE parked (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    community TEXT NOT NULL,
    event TEXT NOT NULL
  );
  CREATE INDEX parked_community ON parked (community, id);
  `,
];
