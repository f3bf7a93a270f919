// The receiver's sending half (QueueFlusher): kept events wait in a SendBuffer and go to the
// firehose-events queue one sendBatch at a time, in order.
//
// A kept event after a quiet spell is sent at once; under load, sends are at
// least flushMs apart and carry what arrived meanwhile (FlushPacer). A failed
// send keeps its events at the head of the buffer (and so holds the cursor
// back) and is retried with backoff. The cursor moves only past what the queue
// has accepted; with nothing buffered, it follows the stream.
import type { JetstreamEvent } from "./events.ts";
import { FlushPacer } from "./flush-pacer.ts";
import type { ReceiverCounters } from "./rate-counters.ts";
import type { QueueSender, Tuning } from "./receiver-options.ts";
import { ReconnectPolicy } from "./reconnect-policy.ts";
import { SendBuffer } from "./send-buffer.ts";
import type { StreamCursor } from "./stream-cursor.ts";

/** A send that keeps failing is retried at least this often. */
const MAX_SEND_RETRY_MS = 10_000;

/** What the sender needs of the receiver that owns it. */
export interface SenderHost {
  queue(): QueueSender;
  readonly cursor: StreamCursor;
  readonly counters: ReceiverCounters;
  tuning(): Tuning;
  waitUntil(promise: Promise<unknown>): void;
  /** Whether reading is paused for a full buffer (then the buffer drains at full speed). */
  paused(): boolean;
  /** The buffer is empty again after a send. */
  drained(): void;
  error(message: string): void;
}

export class QueueFlusher {
  readonly buffer = new SendBuffer();
  private readonly pacer: FlushPacer;
  private readonly retries: ReconnectPolicy;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextSendAt = 0;

  constructor(private readonly host: SenderHost) {
    const t = host.tuning();
    this.pacer = new FlushPacer(t.flushMs);
    this.retries = new ReconnectPolicy({ baseMs: t.backoffBaseMs, maxMs: t.backoffMaxMs });
  }

  configure(t: Tuning): void {
    this.pacer.configure(t.flushMs);
    this.retries.configure({ baseMs: t.backoffBaseMs, maxMs: t.backoffMaxMs });
  }

  /** Buffers a kept event and sends when a batch is full or the pacer allows. */
  push(event: JetstreamEvent, bytes: number): void {
    this.buffer.push(event, bytes, Date.now());
    if (this.buffer.waitingBytes >= this.host.tuning().maxBatchBytes) this.flush();
    else this.flushSoon();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Sends at once when nothing went out in the last flushMs (and no retry is
   * waiting), else when that interval is over; with nothing buffered, the
   * cursor follows the stream.
   */
  flushSoon(): void {
    if (this.buffer.sending || this.timer !== undefined) return;
    const now = Date.now();
    const wait = this.buffer.length === 0 ? 0 : Math.max(this.pacer.wait(now), this.nextSendAt - now);
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  /** Sends the head of the buffer (one sendBatch at a time), or advances the cursor when empty. */
  flush(): void {
    const { cursor } = this.host;
    if (this.buffer.sending) return;
    if (this.buffer.length === 0) {
      cursor.advance(cursor.lastFrameTime());
      return;
    }
    if (Date.now() < this.nextSendAt) return;
    const batch = this.buffer.take(this.host.tuning());
    if (!batch) return;
    // The cursor may move to the last frame seen only when nothing kept remains behind.
    const upTo = batch.all ? (cursor.lastFrameTime() ?? batch.last.time_us) : batch.last.time_us;
    this.pacer.sent(Date.now());
    const sent = this.host
      .queue()
      .sendBatch(batch.messages.map((body) => ({ body, contentType: "json" as const })));
    this.host.waitUntil(
      sent.then(
        () => this.onSent(batch.taken, batch.messages.length, upTo),
        (err) => this.onSendFailed(err),
      ),
    );
  }

  private onSent(taken: number, messageCount: number, upTo: number): void {
    this.buffer.accepted();
    this.retries.reset();
    this.nextSendAt = 0;
    this.host.counters.eventsSent += taken;
    this.host.counters.queueMessagesSent += messageCount;
    this.host.cursor.advance(upTo);
    if (this.buffer.length > 0) {
      // More than one batch was waiting: keep going (at most one send in flight);
      // a full batch or a paused socket at once, else one interval after this send.
      if (this.buffer.bytes >= this.host.tuning().maxBatchBytes || this.host.paused()) this.flush();
      else this.flushSoon();
    } else this.host.drained();
  }

  private onSendFailed(err: unknown): void {
    this.buffer.failed();
    this.host.counters.sendFailures++;
    this.nextSendAt = Date.now() + Math.min(this.retries.nextDelay(), MAX_SEND_RETRY_MS);
    this.host.error(`queue send failed (${this.buffer.length} events kept for retry): ${String(err)}`);
    console.error(
      JSON.stringify({
        event: "firehose_send_failed",
        buffered: this.buffer.length,
        bufferedBytes: this.buffer.bytes,
        retryInMs: this.nextSendAt - Date.now(),
        error: String(err),
      }),
    );
  }
}
