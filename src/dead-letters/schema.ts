// Storage schema of the DeadLetters object (SQLite).
//   failures      the last error of each queue message that failed an attempt, by a key
//                 derived from its body, until it succeeds, dies or ages out
//   dead_letters  each message that reached the dead-letter queue: its body, the error
//                 that killed it and when; bounded by the events they hold
import type { Migration } from "../storage.ts";

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: "failures of queue messages, and the dead letters",
    sql: `
  CREATE TABLE failures (
    key TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    failed_at INTEGER NOT NULL
  );
  CREATE INDEX failures_age ON failures (failed_at);
  CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    event_count INTEGER NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    failed_at INTEGER,
    dead_at INTEGER NOT NULL
  );
  `,
  },
];
