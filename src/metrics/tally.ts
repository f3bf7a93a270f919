// What one isolate counted for one method in one minute: the unit the
// recorder sends and RequestMetrics adds up.
import { type Buckets, bucketOf } from "./histogram.ts";

export interface MinuteTally {
  /** Minutes since the epoch. */
  minute: number;
  /** The XRPC method (NSID). */
  method: string;
  requests: number;
  /** Answers 400-499 (for the feed: UnknownFeed, a bad cursor, a bad token). */
  clientErrors: number;
  /** Answers 500 and above. */
  serverErrors: number;
  maxMs: number;
  buckets: Buckets;
}

export const minuteOf = (ms: number) => Math.floor(ms / 60_000);

export function emptyTally(minute: number, method: string): MinuteTally {
  return { minute, method, requests: 0, clientErrors: 0, serverErrors: 0, maxMs: 0, buckets: {} };
}

/** Counts one request into a tally. */
export function count(tally: MinuteTally, ms: number, status: number): void {
  tally.requests++;
  if (status >= 500) tally.serverErrors++;
  else if (status >= 400) tally.clientErrors++;
  tally.maxMs = Math.max(tally.maxMs, ms);
  const bucket = bucketOf(ms);
  tally.buckets[bucket] = (tally.buckets[bucket] ?? 0) + 1;
}

/** Adds `from` into `into` (same minute and method). */
export function merge(into: MinuteTally, from: MinuteTally): void {
  into.requests += from.requests;
  into.clientErrors += from.clientErrors;
  into.serverErrors += from.serverErrors;
  into.maxMs = Math.max(into.maxMs, from.maxMs);
  for (const [bucket, n] of Object.entries(from.buckets)) {
    const b = Number(bucket);
    into.buckets[b] = (into.buckets[b] ?? 0) + n;
  }
}
