import { type PackedBatch, type PackLimits, packBatch, type SizedEvent } from "./batch-packing.ts";
import type { JetstreamEvent } from "./events.ts";

// The events kept by stage 1 and not yet accepted by the queue, in order.
// At most one batch from its head is in flight; it leaves the buffer only
// once the queue has accepted it, so a failed send keeps it for the retry.

interface Buffered extends SizedEvent {
  /** Date.now() when stage 1 kept it. */
  keptAt: number;
}

export interface InFlight extends PackedBatch {
  /** The last event of the batch (its time_us bounds the cursor). */
  last: JetstreamEvent;
  /** Whether the batch empties the buffer. */
  all: boolean;
}

export class SendBuffer {
  private items: Buffered[] = [];
  private head = 0;
  /** Bytes of every buffered event, in flight or not. */
  bytes = 0;
  private inFlightCount = 0;
  private inFlightBytes = 0;

  /** Buffered events, in flight or not. */
  get length(): number {
    return this.items.length - this.head;
  }

  get sending(): boolean {
    return this.inFlightCount > 0;
  }

  /** Bytes waiting for a send that has not started. */
  get waitingBytes(): number {
    return this.bytes - this.inFlightBytes;
  }

  push(event: JetstreamEvent, bytes: number, keptAt: number): void {
    this.items.push({ event, bytes, keptAt });
    this.bytes += bytes;
  }

  /** When the oldest buffered event was kept, if any. */
  oldestKeptAt(): number | undefined {
    return this.items[this.head]?.keptAt;
  }

  /** Packs the head of the buffer into one sendBatch and marks it in flight. */
  take(limits: PackLimits): InFlight | null {
    if (this.sending || this.length === 0) return null;
    const packed = packBatch(this.items, this.head, limits);
    this.inFlightCount = packed.taken;
    this.inFlightBytes = packed.bytes;
    const last = this.items[this.head + packed.taken - 1] as Buffered;
    return { ...packed, last: last.event, all: packed.taken === this.length };
  }

  /** The queue accepted the batch in flight: drop it. */
  accepted(): void {
    this.head += this.inFlightCount;
    this.bytes -= this.inFlightBytes;
    this.inFlightCount = 0;
    this.inFlightBytes = 0;
    if (this.length === 0) {
      this.items = [];
      this.head = 0;
      this.bytes = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** The send failed: the batch stays at the head for the next try. */
  failed(): void {
    this.inFlightCount = 0;
    this.inFlightBytes = 0;
  }
}
