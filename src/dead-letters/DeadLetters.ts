import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { migrate } from "../storage.ts";
import { MIGRATIONS } from "./schema.ts";

/** At most this many events are kept in dead letters; the oldest letters go first. */
export const MAX_DEAD_EVENTS = 10_000;
/** Failures of messages that never die (they succeeded later) are forgotten after a day. */
const FAILURE_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_FAILURES = 10_000;

/** A message that failed an attempt, as the queue consumer reports it. */
export interface Failure {
  key: string;
  messageId: string;
  error: string;
  attempts: number;
}

/** A message that arrived on the dead-letter queue. */
export interface Arrival {
  key: string;
  messageId: string;
  /** The message body, as JSON. */
  body: string;
  eventCount: number;
}

export interface DeadLetter {
  id: number;
  messageId: string;
  body: string;
  eventCount: number;
  error: string;
  attempts: number;
  failedAt: number | null;
  deadAt: number;
}

export interface DeadLetterCounts {
  messages: number;
  events: number;
  dropped: number;
}

type Row = {
  id: number;
  message_id: string;
  body: string;
  event_count: number;
  error: string;
  attempts: number;
  failed_at: number | null;
  dead_at: number;
};

const toDeadLetter = (r: Row): DeadLetter => ({
  id: r.id,
  messageId: r.message_id,
  body: r.body,
  eventCount: r.event_count,
  error: r.error,
  attempts: r.attempts,
  failedAt: r.failed_at,
  deadAt: r.dead_at,
});

/**
 * The one object that keeps the firehose queue's dead letters: each message
 * that failed every attempt, with the error that killed it and when, for an
 * operator to read and redrive. The queue does not carry the error to the
 * dead-letter queue, so the consumer reports every failed attempt here
 * (noteFailure) and the letter picks up the last one when it arrives.
 */
export class DeadLetters extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  noteFailure(failure: Failure): void {
    const now = Date.now();
    this.sql.exec(
      `INSERT INTO failures (key, message_id, error, attempts, failed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET message_id = excluded.message_id, error = excluded.error,
         attempts = max(attempts, excluded.attempts), failed_at = excluded.failed_at`,
      failure.key,
      failure.messageId,
      failure.error,
      failure.attempts,
      now,
    );
    this.sql.exec("DELETE FROM failures WHERE failed_at < ?", now - FAILURE_TTL_MS);
    this.sql.exec(
      "DELETE FROM failures WHERE key IN (SELECT key FROM failures ORDER BY failed_at DESC LIMIT -1 OFFSET ?)",
      MAX_FAILURES,
    );
  }

  /** Keeps messages that reached the dead-letter queue (a repeat delivery changes nothing). */
  add(arrivals: Arrival[]): DeadLetterCounts {
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const a of arrivals) {
        const failure = this.sql
          .exec<{ error: string; attempts: number; failed_at: number }>(
            "SELECT error, attempts, failed_at FROM failures WHERE key = ?",
            a.key,
          )
          .toArray()[0];
        this.sql.exec(
          `INSERT INTO dead_letters (key, message_id, body, event_count, error, attempts, failed_at, dead_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
          a.key,
          a.messageId,
          a.body,
          a.eventCount,
          failure?.error ?? "unknown: no failed attempt was reported for this message",
          failure?.attempts ?? 0,
          failure?.failed_at ?? null,
          now,
        );
        this.sql.exec("DELETE FROM failures WHERE key = ?", a.key);
      }
      this.trim();
    });
    return this.counts();
  }

  /** Drops the oldest letters beyond MAX_DEAD_EVENTS events (the newest one always stays). */
  private trim(): void {
    const dropped = this.sql.exec(
      `DELETE FROM dead_letters WHERE id IN (
         SELECT id FROM (SELECT id, sum(event_count) OVER (ORDER BY id DESC) AS upto FROM dead_letters)
         WHERE upto > ? AND id < (SELECT max(id) FROM dead_letters))`,
      MAX_DEAD_EVENTS,
    ).rowsWritten;
    if (dropped > 0) {
      this.bumpDropped(dropped);
      console.warn(JSON.stringify({ event: "dead_letters_dropped", dropped, keptEvents: MAX_DEAD_EVENTS }));
    }
  }

  private bumpDropped(n: number): void {
    this.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('dropped', ?)
       ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value`,
      String(n),
    );
  }

  counts(): DeadLetterCounts {
    const row = this.sql
      .exec<{ messages: number; events: number | null }>(
        "SELECT count(*) AS messages, sum(event_count) AS events FROM dead_letters",
      )
      .one();
    const dropped = this.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'dropped'")
      .toArray()[0]?.value;
    return { messages: row.messages, events: row.events ?? 0, dropped: Number(dropped ?? 0) };
  }

  /** Newest first, `limit` of them below the id `before`. */
  list(limit: number, before?: number): DeadLetter[] {
    return this.sql
      .exec<Row>(
        "SELECT * FROM dead_letters WHERE id < ? ORDER BY id DESC LIMIT ?",
        before ?? Number.MAX_SAFE_INTEGER,
        limit,
      )
      .toArray()
      .map(toDeadLetter);
  }

  /** The given letters (those that exist), or the oldest `limit` when none are given; oldest first. */
  pick(ids: number[] | undefined, limit: number): DeadLetter[] {
    const rows = ids
      ? ids.flatMap((id) => this.sql.exec<Row>("SELECT * FROM dead_letters WHERE id = ?", id).toArray())
      : this.sql.exec<Row>("SELECT * FROM dead_letters ORDER BY id LIMIT ?", limit).toArray();
    return rows.map(toDeadLetter).sort((a, b) => a.id - b.id);
  }

  /** A redriven letter applied: it is gone. */
  remove(id: number): void {
    this.sql.exec("DELETE FROM dead_letters WHERE id = ?", id);
  }

  /** A redriven letter failed again: keep it, with the new error. */
  failedAgain(id: number, error: string): void {
    this.sql.exec(
      "UPDATE dead_letters SET error = ?, attempts = attempts + 1, failed_at = ? WHERE id = ?",
      error,
      Date.now(),
      id,
    );
  }
}
