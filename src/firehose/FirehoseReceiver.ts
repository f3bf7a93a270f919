import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import type { JetstreamEvent, QueueMessageBody } from "./events.ts";
import { MALFORMED, stage1, timeOf, utf8Length, WANTED_COLLECTIONS } from "./filter.ts";

// The FirehoseReceiver: one Durable Object holding the one Jetstream socket.
//
//   socket -> stage 1 (filter.ts) -> buffer -> sendBatch -> firehose-events queue
//
// Delivery is at-least-once. The cursor (a Jetstream time_us) is saved only
// once every kept event up to it has been accepted by the queue; sends go out
// one at a time and in order, so a failed send keeps its events at the head of
// the buffer and holds the cursor back. A reconnect resumes a few seconds
// before the cursor; the duplicates are harmless because applying is idempotent.
//
// Liveness: an alarm every few seconds re-checks the socket (and reconnects
// after a restart of the object); a socket that has been silent for too long
// is treated as dead. Reconnects back off exponentially with full jitter up to
// a cap. The buffer is bounded: when the queue keeps failing and the buffer
// fills, the socket is closed and reading resumes from the cursor once the
// buffer has drained.

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

/** Tuning knobs; the defaults suit production. Tests pass smaller times to start(). */
export interface ReceiverOptions {
  /** Jetstream /subscribe URL(s); defaults to JETSTREAM_URL (comma-separated fallbacks). */
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

const DEFAULTS: Required<Omit<ReceiverOptions, "url">> = {
  flushMs: 500,
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

/**
 * Test seam: a test can watch (and fail) the sends of one receiver and see
 * every cursor it saves. Keyed by the object's id (stub.id.toString()).
 */
export interface ReceiverProbe {
  queue?: QueueSender;
  cursorSaved?(cursor: number): void;
}
export const receiverProbes = new Map<string, ReceiverProbe>();

interface Buffered {
  event: JetstreamEvent;
  bytes: number;
}

interface Counters {
  eventsSeen: number;
  eventsKept: number;
  eventsSent: number;
  queueMessagesSent: number;
  reconnects: number;
  eventsMalformed: number;
  eventsTooLarge: number;
  sendFailures: number;
}

interface Persisted {
  started?: boolean;
  startedAt?: string;
  options?: ReceiverOptions;
  cursor?: number;
  counters?: Counters;
  lastError?: string;
}

const KEY = "receiver";
// JSON overhead of {"events":[...]} plus the commas between events.
const MESSAGE_OVERHEAD = 16;

function parseUrls(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : (value ?? "").split(",");
  return list.map((u) => u.trim()).filter((u) => u.length > 0);
}

export class FirehoseReceiver extends DurableObject<Env> {
  private readonly kv: SyncKvStorage;
  private opts: Required<Omit<ReceiverOptions, "url">> = DEFAULTS;
  private options: ReceiverOptions = {};
  private urls: string[] = [];
  private urlIndex = 0;
  private started = false;
  private startedAt: string | undefined;

  // The socket. Frames of a replaced socket are ignored.
  private socket: WebSocket | null = null;
  private connected = false;
  private connectingSince = 0;
  private connectedAt = 0;
  private attempts = 0;
  private nextConnectAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private paused = false;

  // Stage 1.
  private members: Set<string> = new Set();
  private learned = new Map<string, number>();
  private membersRefreshedAt = 0;
  private refreshingMembers = false;
  private afterMembers: ((ok: boolean) => void)[] = [];
  private lastRaw: string | undefined;
  private lastTimedRaw: string | undefined;

  // The buffer: events kept and not yet accepted by the queue, in order.
  // The first `inFlight` of them are being sent.
  private buffer: Buffered[] = [];
  private bufferHead = 0;
  private bufferedBytes = 0;
  private inFlight = 0;
  private inFlightBytes = 0;
  private sendFailuresInARow = 0;
  private nextSendAt = 0;

  // Cursor: saved = persisted; everything kept at or before it is on the queue.
  private cursor: number | undefined;
  private lastEventTime: number | undefined;
  private savedCursor: number | undefined;
  private lastSaved = 0;

  private counters: Counters = {
    eventsSeen: 0,
    eventsKept: 0,
    eventsSent: 0,
    queueMessagesSent: 0,
    reconnects: 0,
    eventsMalformed: 0,
    eventsTooLarge: 0,
    sendFailures: 0,
  };
  private lastError: string | undefined;
  private rateWindow: { at: number; seen: number; kept: number; sent: number }[] = [];
  private seenAtLastTick = 0;
  private lastFrameAt = 0;
  private tickTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.kv = ctx.storage.kv;
    const saved = this.kv.get<Persisted>(KEY) ?? {};
    this.started = saved.started ?? false;
    this.startedAt = saved.startedAt;
    this.cursor = saved.cursor;
    this.savedCursor = saved.cursor;
    this.options = saved.options ?? {};
    this.lastError = saved.lastError;
    if (saved.counters) this.counters = { ...this.counters, ...saved.counters };
    this.configure(saved.options);
  }

  private configure(options: ReceiverOptions | undefined): void {
    const { url, ...tuning } = options ?? {};
    this.opts = { ...DEFAULTS, ...tuning };
    this.opts.flushMs = Math.min(this.opts.flushMs, 1000);
    this.urls = parseUrls(url ?? this.env.JETSTREAM_URL);
    this.urlIndex = 0;
  }

  private persist(): void {
    const state: Persisted = {
      started: this.started,
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(this.cursor !== undefined ? { cursor: this.cursor } : {}),
      counters: this.counters,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      options: this.options,
    };
    this.kv.put(KEY, state);
  }

  private get probe(): ReceiverProbe | undefined {
    return receiverProbes.size > 0 ? receiverProbes.get(this.ctx.id.toString()) : undefined;
  }

  // ---- lifecycle -----------------------------------------------------------

  /** Starts (or restarts with new options) and returns the Jetstream URL in use. */
  async start(options?: ReceiverOptions): Promise<string> {
    if (options) {
      this.options = options;
      this.configure(options);
      this.persist();
      this.closeSocket("restarted with new options");
      this.attempts = 0;
      this.nextConnectAt = 0;
    }
    if (this.urls.length === 0) throw new Error("no Jetstream URL configured (JETSTREAM_URL)");
    if (!this.started) {
      this.started = true;
      this.startedAt = new Date().toISOString();
      this.persist();
    }
    this.run();
    await this.armAlarm();
    return this.currentUrl();
  }

  /** Called by the cron trigger: starts the receiver if it is not running. */
  async ensureStarted(): Promise<void> {
    if (this.urls.length === 0) return;
    await this.start();
  }

  /** Stops reading and forgets the socket (the cursor and counters stay). */
  async stop(): Promise<void> {
    this.started = false;
    this.persist();
    this.closeSocket("stopped");
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    await this.ctx.storage.deleteAlarm();
  }

  override async alarm(): Promise<void> {
    if (!this.started) return;
    this.run();
    await this.armAlarm();
  }

  private async armAlarm(): Promise<void> {
    const now = Date.now();
    const at =
      this.connected || this.socket ? now + this.opts.checkMs : Math.max(this.nextConnectAt, now + 50);
    await this.ctx.storage.setAlarm(Math.min(at, now + this.opts.checkMs));
  }

  /** Makes sure the socket is up (or a reconnect is due) and the tick runs. */
  private run(): void {
    if (!this.started) return;
    this.ensureTick();
    if (this.socket || this.paused) return;
    const now = Date.now();
    if (now >= this.nextConnectAt) this.openSocket();
    else this.scheduleReconnect(this.nextConnectAt - now);
  }

  private currentUrl(): string {
    return this.urls[this.urlIndex % Math.max(1, this.urls.length)] ?? "";
  }

  private subscribeUrl(): string {
    const url = new URL(this.currentUrl());
    for (const c of WANTED_COLLECTIONS) url.searchParams.append("wantedCollections", c);
    if (this.cursor !== undefined)
      url.searchParams.set("cursor", String(Math.max(0, this.cursor - this.opts.rewindUs)));
    return url.toString();
  }

  private openSocket(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.membersRefreshedAt === 0) {
      // Stage 1 needs the member set before the first frame: load it, then connect.
      this.refreshMembers(true, (ok) => {
        if (!this.started || this.socket || this.paused) return;
        if (ok) this.openSocket();
        else this.onDisconnect(null, "cannot load the member DIDs from the Directory");
      });
      return;
    }
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.subscribeUrl());
    } catch (err) {
      this.onDisconnect(null, `cannot connect: ${String(err)}`);
      return;
    }
    this.socket = ws;
    this.connected = false;
    this.connectingSince = Date.now();
    this.lastFrameAt = this.connectingSince;
    ws.addEventListener("open", () => {
      if (this.socket !== ws) return;
      this.connected = true;
      this.connectedAt = Date.now();
      this.lastFrameAt = this.connectedAt;
      console.log(
        JSON.stringify({ event: "firehose_connected", url: this.currentUrl(), cursor: this.cursor }),
      );
    });
    ws.addEventListener("message", (ev: MessageEvent) => {
      if (this.socket === ws) this.onFrame(ev.data);
    });
    ws.addEventListener("close", (ev: CloseEvent) => {
      if (this.socket === ws)
        this.onDisconnect(ws, `socket closed (${ev.code}${ev.reason ? ` ${ev.reason}` : ""})`);
    });
    ws.addEventListener("error", (ev: Event) => {
      const message = (ev as ErrorEvent).message;
      if (this.socket === ws) this.onDisconnect(ws, `socket error${message ? `: ${message}` : ""}`);
    });
  }

  private closeSocket(reason: string): void {
    const ws = this.socket;
    this.socket = null;
    this.connected = false;
    if (!ws) return;
    const close = () => {
      try {
        ws.close(1000, reason.slice(0, 100));
      } catch {
        // already closed
      }
    };
    // Closing a socket that is still connecting makes workerd log an exception: close it once open.
    if (ws.readyState === WebSocket.CONNECTING) ws.addEventListener("open", close);
    else close();
  }

  /** The socket is gone (closed, failed, silent): back off and reconnect. */
  private onDisconnect(ws: WebSocket | null, reason: string): void {
    if (ws && this.socket !== ws) return;
    const wasHealthy = this.connected && Date.now() - this.connectedAt >= this.opts.healthyMs;
    this.closeSocket(reason);
    this.lastError = `${new Date().toISOString()} ${reason}`;
    console.warn(JSON.stringify({ event: "firehose_disconnected", url: this.currentUrl(), reason }));
    if (!this.started) return;
    this.counters.reconnects++;
    if (wasHealthy) this.attempts = 0;
    else if (this.urls.length > 1) this.urlIndex = (this.urlIndex + 1) % this.urls.length;
    const delay = this.backoff(this.attempts++);
    this.nextConnectAt = Date.now() + delay;
    this.persist();
    if (!this.paused) this.scheduleReconnect(delay);
  }

  /** Exponential backoff with full jitter: a random delay in [cap/2, cap], cap = min(max, base·2^n). */
  private backoff(attempt: number): number {
    const cap = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** Math.min(attempt, 30));
    return Math.round(cap / 2 + Math.random() * (cap / 2));
  }

  private scheduleReconnect(delay: number): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.started && !this.socket && !this.paused) this.openSocket();
    }, delay);
    // The alarm is the backstop should the object be restarted meanwhile.
    void this.ctx.storage.setAlarm(Date.now() + delay + 50).catch(() => {});
  }

  // ---- frames --------------------------------------------------------------

  private onFrame(data: unknown): void {
    this.counters.eventsSeen++;
    if (typeof data !== "string") {
      this.dropMalformed("binary frame");
      return;
    }
    this.lastRaw = data;
    if (this.cursor === undefined) this.initialCursor(data);
    const kept = stage1(data, this.members);
    if (kept === null) return;
    if (kept === MALFORMED) {
      this.dropMalformed(data.length > 80 ? `${data.slice(0, 80)}…` : data);
      return;
    }
    this.keep(kept, data);
  }

  /**
   * A first start reads live, without a cursor: nothing before the first frame
   * concerns us, so the cursor starts just before it. A reconnect before the
   * first flush then resumes from there instead of going live again.
   */
  private initialCursor(raw: string): void {
    const t = timeOf(raw);
    if (t === undefined) return;
    this.cursor = t - 1;
    this.saveCursor();
  }

  private dropMalformed(sample: string): void {
    this.counters.eventsMalformed++;
    if (this.counters.eventsMalformed <= 10 || this.counters.eventsMalformed % 1000 === 0)
      console.warn(
        JSON.stringify({ event: "firehose_malformed_frame", count: this.counters.eventsMalformed, sample }),
      );
  }

  private keep(event: JetstreamEvent, raw: string): void {
    const bytes = utf8Length(raw);
    if (bytes + MESSAGE_OVERHEAD > this.opts.maxMessageBytes) {
      // It cannot travel in any queue message: say so, never drop in silence.
      this.counters.eventsTooLarge++;
      this.lastError = `${new Date().toISOString()} event too large for a queue message (${bytes} bytes): ${event.did} ${event.kind === "commit" ? `${event.commit.collection}/${event.commit.rkey}` : event.kind}`;
      console.error(
        JSON.stringify({ event: "firehose_event_too_large", bytes, did: event.did, time_us: event.time_us }),
      );
      return;
    }
    this.counters.eventsKept++;
    if (
      event.kind === "commit" &&
      event.commit.collection === "com.atrarium.community.membership" &&
      event.commit.operation !== "delete"
    ) {
      // A new member's deletes count from now on, before the Directory knows of it.
      this.members.add(event.did);
      this.learned.set(event.did, Date.now());
    }
    this.buffer.push({ event, bytes });
    this.bufferedBytes += bytes;
    if (this.bufferedBytes - this.inFlightBytes >= this.opts.maxBatchBytes) this.flush();
    if (this.bufferedBytes > this.opts.maxBufferBytes && !this.paused) this.pause();
  }

  private bufferedEvents(): number {
    return this.buffer.length - this.bufferHead;
  }

  /** The buffer is full: stop reading; resume from the cursor once it has drained. */
  private pause(): void {
    this.paused = true;
    this.lastError = `${new Date().toISOString()} queue backlog: paused reading at ${this.bufferedBytes} buffered bytes`;
    console.warn(JSON.stringify({ event: "firehose_paused", bufferedBytes: this.bufferedBytes }));
    this.closeSocket("paused: queue backlog");
  }

  // ---- sending -------------------------------------------------------------

  /** Sends the head of the buffer (one sendBatch at a time), or advances the cursor when empty. */
  private flush(): void {
    if (this.inFlight > 0) return;
    const now = Date.now();
    if (this.bufferedEvents() === 0) {
      this.advanceCursor(this.lastRawTime());
      return;
    }
    if (now < this.nextSendAt) return;
    const messages: QueueMessageBody[] = [];
    let current: JetstreamEvent[] = [];
    let currentBytes = MESSAGE_OVERHEAD;
    let totalBytes = 0;
    let taken = 0;
    for (let i = this.bufferHead; i < this.buffer.length; i++) {
      const item = this.buffer[i] as Buffered;
      const size = item.bytes + 1;
      if (currentBytes + size > this.opts.maxMessageBytes) {
        if (messages.length + 1 >= this.opts.maxBatchMessages) break;
        messages.push({ events: current });
        current = [];
        currentBytes = MESSAGE_OVERHEAD;
      }
      if (totalBytes + size + MESSAGE_OVERHEAD * (messages.length + 1) > this.opts.maxBatchBytes && taken > 0)
        break;
      current.push(item.event);
      currentBytes += size;
      totalBytes += size;
      taken++;
    }
    if (current.length > 0) messages.push({ events: current });
    const all = taken === this.bufferedEvents();
    const last = this.buffer[this.bufferHead + taken - 1] as Buffered;
    // The cursor may move to the last frame seen only when nothing kept remains behind.
    const upTo = all ? (this.lastRawTime() ?? last.event.time_us) : last.event.time_us;
    this.inFlight = taken;
    this.inFlightBytes = totalBytes - taken;
    const queue = this.probe?.queue ?? this.env.FIREHOSE_QUEUE;
    const sent = queue.sendBatch(messages.map((body) => ({ body, contentType: "json" as const })));
    this.ctx.waitUntil(
      sent.then(
        () => this.onSent(taken, messages.length, upTo),
        (err) => this.onSendFailed(err),
      ),
    );
  }

  private onSent(taken: number, messageCount: number, upTo: number): void {
    for (let i = this.bufferHead; i < this.bufferHead + taken; i++)
      this.bufferedBytes -= (this.buffer[i] as Buffered).bytes;
    this.bufferHead += taken;
    if (this.bufferHead > 1024 && this.bufferHead * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.bufferHead);
      this.bufferHead = 0;
    }
    if (this.bufferedEvents() === 0) {
      this.buffer = [];
      this.bufferHead = 0;
      this.bufferedBytes = 0;
    }
    this.inFlight = 0;
    this.inFlightBytes = 0;
    this.sendFailuresInARow = 0;
    this.nextSendAt = 0;
    this.counters.eventsSent += taken;
    this.counters.queueMessagesSent += messageCount;
    this.advanceCursor(upTo);
    if (this.bufferedEvents() > 0) {
      // More than one batch was waiting: keep going (at most one send in flight).
      if (this.bufferedBytes >= this.opts.maxBatchBytes || this.paused) this.flush();
    } else if (this.paused) {
      this.paused = false;
      console.log(JSON.stringify({ event: "firehose_resumed", cursor: this.cursor }));
      this.attempts = 0;
      this.nextConnectAt = 0;
      this.run();
    }
  }

  private onSendFailed(err: unknown): void {
    this.inFlight = 0;
    this.inFlightBytes = 0;
    this.counters.sendFailures++;
    this.sendFailuresInARow++;
    const delay = this.backoff(this.sendFailuresInARow - 1);
    this.nextSendAt = Date.now() + Math.min(delay, 10_000);
    this.lastError = `${new Date().toISOString()} queue send failed (${this.bufferedEvents()} events kept for retry): ${String(err)}`;
    console.error(
      JSON.stringify({
        event: "firehose_send_failed",
        buffered: this.bufferedEvents(),
        bufferedBytes: this.bufferedBytes,
        retryInMs: this.nextSendAt - Date.now(),
        error: String(err),
      }),
    );
  }

  /** The time_us of the last frame seen (parsed once per frame asked about, not per frame). */
  private lastRawTime(): number | undefined {
    if (this.lastRaw !== undefined && this.lastRaw !== this.lastTimedRaw) {
      this.lastTimedRaw = this.lastRaw;
      const t = timeOf(this.lastRaw);
      if (t !== undefined) this.lastEventTime = t;
    }
    return this.lastEventTime;
  }

  private advanceCursor(upTo: number | undefined): void {
    if (upTo === undefined || (this.cursor !== undefined && upTo <= this.cursor)) return;
    this.cursor = upTo;
    const now = Date.now();
    // Saved at most a few times a second; a crash just rewinds a little further.
    if (now - this.lastSaved >= Math.min(1000, this.opts.flushMs)) this.saveCursor();
  }

  private saveCursor(): void {
    this.lastSaved = Date.now();
    this.savedCursor = this.cursor;
    this.persist();
    if (this.cursor !== undefined) this.probe?.cursorSaved?.(this.cursor);
  }

  // ---- the tick: flush, liveness, members, rates ----------------------------

  private ensureTick(): void {
    if (this.tickTimer !== undefined) return;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined;
      this.tick();
    }, this.opts.flushMs);
  }

  private tick(): void {
    try {
      this.tickOnce();
    } catch (err) {
      console.error(JSON.stringify({ event: "firehose_tick_failed", error: String(err) }));
    }
    if (this.started || this.bufferedEvents() > 0) this.ensureTick();
  }

  private tickOnce(): void {
    const now = Date.now();
    if (this.counters.eventsSeen !== this.seenAtLastTick) {
      this.seenAtLastTick = this.counters.eventsSeen;
      this.lastFrameAt = now;
    }
    // Flush: any buffered event has waited at most flushMs; with none, the cursor follows the stream.
    this.flush();
    if (this.cursor !== this.savedCursor && now - this.lastSaved >= 1000) this.saveCursor();
    if (this.socket) {
      if (this.connected && now - this.connectedAt >= this.opts.healthyMs) this.attempts = 0;
      if (now - this.lastFrameAt >= this.opts.silentMs) {
        this.onDisconnect(
          this.socket,
          this.connected ? `silent for ${now - this.lastFrameAt} ms` : "connect timed out",
        );
      }
    }
    if (now - this.membersRefreshedAt >= this.opts.memberRefreshMs) this.refreshMembers(false);
    this.rateWindow.push({
      at: now,
      seen: this.counters.eventsSeen,
      kept: this.counters.eventsKept,
      sent: this.counters.eventsSent,
    });
    while (this.rateWindow.length > 2 && now - (this.rateWindow[1]?.at ?? now) >= 10_000)
      this.rateWindow.shift();
  }

  private refreshMembers(force: boolean, then?: (ok: boolean) => void): void {
    if (this.refreshingMembers) {
      if (then) this.afterMembers.push(then);
      return;
    }
    if (then) this.afterMembers.push(then);
    if (!force && Date.now() - this.membersRefreshedAt < this.opts.memberRefreshMs) return;
    this.refreshingMembers = true;
    const directory = this.env.DIRECTORY.getByName("directory");
    this.ctx.waitUntil(
      directory
        .memberDids()
        .then((dids) => {
          const now = Date.now();
          const members = new Set(dids);
          for (const [did, at] of this.learned) {
            if (now - at > 5 * 60_000) this.learned.delete(did);
            else members.add(did);
          }
          this.members = members;
          this.membersRefreshedAt = now;
          return true;
        })
        .catch((err) => {
          // Keep the old set; retry a second later.
          if (this.membersRefreshedAt > 0)
            this.membersRefreshedAt = Date.now() - this.opts.memberRefreshMs + 1000;
          console.warn(JSON.stringify({ event: "firehose_member_refresh_failed", error: String(err) }));
          return false;
        })
        .then((ok) => {
          this.refreshingMembers = false;
          const waiting = this.afterMembers;
          this.afterMembers = [];
          for (const fn of waiting) fn(ok);
        }),
    );
  }

  // ---- status --------------------------------------------------------------

  async getStatus(): Promise<FirehoseStatus> {
    const now = Date.now();
    const lastTime = this.lastRawTime();
    const oldest = this.rateWindow[0];
    const span = oldest ? (now - oldest.at) / 1000 : 0;
    const rate = (value: number, from: number) => (span >= 1 ? Math.round((value - from) / span) : undefined);
    const seenRate = oldest ? rate(this.counters.eventsSeen, oldest.seen) : undefined;
    const keptRate = oldest ? rate(this.counters.eventsKept, oldest.kept) : undefined;
    const sentRate = oldest ? rate(this.counters.eventsSent, oldest.sent) : undefined;
    const url = this.currentUrl();
    return {
      connected: this.connected,
      ...(url ? { url } : {}),
      ...(this.cursor !== undefined ? { cursor: this.cursor } : {}),
      ...(lastTime !== undefined
        ? { lagSeconds: Math.max(0, Math.round((now * 1000 - lastTime) / 1e6)) }
        : {}),
      eventsSeen: this.counters.eventsSeen,
      eventsKept: this.counters.eventsKept,
      eventsSent: this.counters.eventsSent,
      ...(seenRate !== undefined ? { eventsSeenPerSecond: seenRate } : {}),
      ...(keptRate !== undefined ? { eventsKeptPerSecond: keptRate } : {}),
      ...(sentRate !== undefined ? { eventsSentPerSecond: sentRate } : {}),
      queueMessagesSent: this.counters.queueMessagesSent,
      reconnects: this.counters.reconnects,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      started: this.started,
      eventsMalformed: this.counters.eventsMalformed,
      eventsTooLarge: this.counters.eventsTooLarge,
      sendFailures: this.counters.sendFailures,
      bufferedEvents: this.bufferedEvents(),
      bufferedBytes: this.bufferedBytes,
      paused: this.paused,
      memberDids: this.members.size,
    };
  }
}
