import type { QueueMessageBody } from "./events.ts";

// How a FirehoseReceiver is tuned (persisted with it) and the seams a test
// may construct it with (never persisted, never on its RPC surface).

/** Tuning knobs; the defaults suit production. Tests pass smaller times to start(). */
export interface ReceiverOptions {
  /** Jetstream /subscribe URL(s), the first preferred; default: the configuration's JETSTREAM_URL. */
  url?: string | string[];
  /** Flush the buffer at least this often (≤ 1000). */
  flushMs?: number;
  /** A socket without a frame for this long is dead (also the connect timeout). */
  silentMs?: number;
  /** Alarm period while running. */
  checkMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A connection that lasted this long resets the backoff. */
  healthyMs?: number;
  /** How far before the cursor a reconnect resumes, in microseconds. */
  rewindUs?: number;
  memberRefreshMs?: number;
  /** Above this many buffered bytes the socket is closed until the buffer drains. */
  maxBufferBytes?: number;
  /** Queue limits, with a margin under Cloudflare's 128 KB / 256 KB / 100. */
  maxMessageBytes?: number;
  maxBatchBytes?: number;
  maxBatchMessages?: number;
}

export type Tuning = Required<Omit<ReceiverOptions, "url">>;

export const DEFAULTS: Tuning = {
  flushMs: 250,
  silentMs: 30_000,
  checkMs: 10_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  healthyMs: 30_000,
  rewindUs: 3_000_000,
  memberRefreshMs: 30_000,
  maxBufferBytes: 8 * 1024 * 1024,
  maxMessageBytes: 120_000,
  maxBatchBytes: 240_000,
  maxBatchMessages: 100,
};

/** What the receiver sends with; the real queue, or a test's wrapper around it. */
export type QueueSender = Pick<Queue<QueueMessageBody>, "sendBatch">;

/** Seams for tests, given to the constructor (a test's subclass passes them); never persisted. */
export interface ReceiverSeams {
  /** Sends instead of the FIREHOSE_QUEUE binding. */
  queue?: QueueSender;
  /** Sees every cursor saved to storage. */
  onCursorSaved?(cursor: number): void;
}

/** The options with every default filled in. */
export function tuningOf(options: ReceiverOptions | undefined): Tuning {
  const { url: _url, ...tuning } = options ?? {};
  const merged = { ...DEFAULTS, ...tuning };
  return { ...merged, flushMs: Math.min(merged.flushMs, 1000) };
}
