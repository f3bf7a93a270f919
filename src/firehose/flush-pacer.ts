// When the receiver may send the next batch to the queue. A kept event after
// a quiet spell goes out at once: on the real network a matching event comes
// about once a second, and a fixed flush interval would make every one of
// them wait. Under load, sends are spaced at least `intervalMs` apart, and
// whatever arrives meanwhile travels together in the next one, so the number
// of queue messages stays at most about 1000 / intervalMs a second however
// dense the matching events get. Pure: the caller gives the clock.

export class FlushPacer {
  private lastSendAt = Number.NEGATIVE_INFINITY;

  constructor(private intervalMs: number) {}

  configure(intervalMs: number): void {
    this.intervalMs = intervalMs;
  }

  /** How long to wait before the next send may start: 0 when nothing went out in the last interval. */
  wait(now: number): number {
    return Math.max(0, this.lastSendAt + this.intervalMs - now);
  }

  /** A send started now. */
  sent(now: number): void {
    this.lastSendAt = now;
  }
}
