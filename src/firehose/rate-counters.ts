// The receiver's counters (persisted with its cursor) and the per-second
// rates over the last ten seconds or so that getFirehoseStatus reports.

export interface ReceiverCounters {
  eventsSeen: number;
  eventsKept: number;
  eventsSent: number;
  queueMessagesSent: number;
  reconnects: number;
  eventsMalformed: number;
  eventsTooLarge: number;
  sendFailures: number;
}

export function zeroCounters(): ReceiverCounters {
  return {
    eventsSeen: 0,
    eventsKept: 0,
    eventsSent: 0,
    queueMessagesSent: 0,
    reconnects: 0,
    eventsMalformed: 0,
    eventsTooLarge: 0,
    sendFailures: 0,
  };
}

export interface Rates {
  eventsSeenPerSecond?: number;
  eventsKeptPerSecond?: number;
  eventsSentPerSecond?: number;
}

interface Sample {
  at: number;
  seen: number;
  kept: number;
  sent: number;
}

const WINDOW_MS = 10_000;

/** Samples of the counters, one per tick; rates are taken over the oldest one kept. */
export class RateWindow {
  private samples: Sample[] = [];

  sample(now: number, c: ReceiverCounters): void {
    this.samples.push({ at: now, seen: c.eventsSeen, kept: c.eventsKept, sent: c.eventsSent });
    while (this.samples.length > 2 && now - (this.samples[1]?.at ?? now) >= WINDOW_MS) this.samples.shift();
  }

  /** Integer events per second; none until a second has been sampled. */
  rates(now: number, c: ReceiverCounters): Rates {
    const oldest = this.samples[0];
    const span = oldest ? (now - oldest.at) / 1000 : 0;
    if (!oldest || span < 1) return {};
    const rate = (value: number, from: number) => Math.round((value - from) / span);
    return {
      eventsSeenPerSecond: rate(c.eventsSeen, oldest.seen),
      eventsKeptPerSecond: rate(c.eventsKept, oldest.kept),
      eventsSentPerSecond: rate(c.eventsSent, oldest.sent),
    };
  }
}
