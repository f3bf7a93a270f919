// What the receiver reports (getFirehoseStatus returns the lexicon's part of it).

export interface FirehoseStatus {
  connected: boolean;
  url?: string;
  cursor?: number;
  lagSeconds?: number;
  eventsSeen: number;
  eventsKept: number;
  eventsSent: number;
  eventsSeenPerSecond?: number;
  eventsKeptPerSecond?: number;
  eventsSentPerSecond?: number;
  queueMessagesSent: number;
  reconnects: number;
  lastError?: string;
  startedAt?: string;
  /** How long the oldest event not yet accepted by the queue has waited, in ms. */
  oldestBufferedMs?: number;
  // Beyond the lexicon (not returned by getFirehoseStatus): for tests and logs.
  started?: boolean;
  eventsMalformed?: number;
  eventsTooLarge?: number;
  sendFailures?: number;
  bufferedEvents?: number;
  bufferedBytes?: number;
  paused?: boolean;
  memberDids?: number;
}
