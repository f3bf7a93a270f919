// Where the receiver is in the stream: a Jetstream time_us up to which every
// kept event has been accepted by the queue. It moves forward only, is saved
// at most about once a second (a crash just rewinds a little further), and
// knows the time of the last frame seen, parsed only when asked.
import { timeOf } from "./filter.ts";

export class StreamCursor {
  private current: number | undefined;
  private saved: number | undefined;
  private lastSavedAt = 0;
  private lastRaw: string | undefined;
  private lastTimedRaw: string | undefined;
  private lastRawTime: number | undefined;

  /**
   * @param initial the cursor saved by an earlier run, if any
   * @param onSave persists the cursor (called after `value` moved to what is saved)
   * @param minSaveIntervalMs how long a moved cursor may wait to be saved by advance()
   */
  constructor(
    initial: number | undefined,
    private readonly onSave: (cursor: number | undefined) => void,
    private readonly minSaveIntervalMs: () => number,
  ) {
    this.current = initial;
    this.saved = initial;
  }

  get value(): number | undefined {
    return this.current;
  }

  /**
   * A frame was read. A first start reads live, without a cursor: nothing
   * before the first frame concerns us, so the cursor starts just before it,
   * and a reconnect before the first flush resumes from there.
   */
  seen(raw: string): void {
    this.lastRaw = raw;
    if (this.current !== undefined) return;
    const t = timeOf(raw);
    if (t === undefined) return;
    this.current = t - 1;
    this.save();
  }

  /** The time_us of the last frame seen (parsed once per frame asked about, not per frame). */
  lastFrameTime(): number | undefined {
    if (this.lastRaw !== undefined && this.lastRaw !== this.lastTimedRaw) {
      this.lastTimedRaw = this.lastRaw;
      const t = timeOf(this.lastRaw);
      if (t !== undefined) this.lastRawTime = t;
    }
    return this.lastRawTime;
  }

  /** Everything kept up to `upTo` is on the queue. */
  advance(upTo: number | undefined): void {
    if (upTo === undefined || (this.current !== undefined && upTo <= this.current)) return;
    this.current = upTo;
    if (Date.now() - this.lastSavedAt >= this.minSaveIntervalMs()) this.save();
  }

  /** Saves a cursor that moved and has waited a second. */
  saveIfStale(now: number): void {
    if (this.current !== this.saved && now - this.lastSavedAt >= 1000) this.save();
  }

  private save(): void {
    this.lastSavedAt = Date.now();
    this.saved = this.current;
    this.onSave(this.current);
  }
}
