import { DurableObject } from "cloudflare:workers";
import { checkConfig } from "../config/check.ts";
import type { Env } from "../env.ts";
import { fitsInMessage } from "./batch-packing.ts";
import type { JetstreamEvent } from "./events.ts";
import { MALFORMED, stage1, utf8Length, WANTED_COLLECTIONS } from "./filter.ts";
import { JetstreamSocket } from "./jetstream-socket.ts";
import { MemberSet } from "./member-set.ts";
import { QueueFlusher } from "./queue-flusher.ts";
import { RateWindow, type ReceiverCounters, zeroCounters } from "./rate-counters.ts";
import {
  DEFAULTS,
  type ReceiverOptions,
  type ReceiverSeams,
  type Tuning,
  tuningOf,
} from "./receiver-options.ts";
import type { FirehoseStatus } from "./receiver-status.ts";
import { ReconnectPolicy } from "./reconnect-policy.ts";
import { StreamCursor } from "./stream-cursor.ts";

export type { FirehoseStatus };

// The FirehoseReceiver: one Durable Object holding the one Jetstream socket.
//
//   socket -> stage 1 (filter.ts) -> QueueFlusher (queue-flusher.ts) -> firehose-events queue
//
// Delivery is at-least-once. The cursor (a Jetstream time_us) is saved only
// once every kept event up to it has been accepted by the queue (the flusher
// sends one batch at a time, in order). A reconnect resumes a few seconds
// before the cursor; the duplicates are harmless because applying is idempotent.
//
// Liveness: an alarm every few seconds re-checks the socket (and reconnects
// after a restart of the object); a socket that has been silent for too long
// is treated as dead. Reconnects follow a ReconnectPolicy. The buffer is
// bounded: when the queue keeps failing and the buffer fills, the socket is
// closed and reading resumes from the cursor once the buffer has drained.

interface Persisted {
  started?: boolean;
  startedAt?: string;
  options?: ReceiverOptions;
  cursor?: number;
  counters?: ReceiverCounters;
  lastError?: string;
}

const KEY = "receiver";

export class FirehoseReceiver extends DurableObject<Env> {
  private readonly kv: SyncKvStorage;
  private opts: Tuning = DEFAULTS;
  private options: ReceiverOptions = {};
  /** JETSTREAM_URL as the configuration parsed it; none while the configuration is invalid. */
  private readonly configuredUrls: string[];
  private urls: string[] = [];
  private urlIndex = 0;
  private started = false;
  private startedAt: string | undefined;

  // The socket. Frames of a replaced socket are ignored.
  private socket: JetstreamSocket | null = null;
  private readonly reconnects: ReconnectPolicy;
  private nextConnectAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private paused = false;

  // Stage 1.
  private readonly members: MemberSet;

  private readonly sender: QueueFlusher;

  // Everything kept at or before the cursor is on the queue.
  private readonly cursor: StreamCursor;

  /** One object, shared with the sender, which counts what it sends. */
  private readonly counters: ReceiverCounters;
  private readonly rates = new RateWindow();
  private lastError: string | undefined;
  private seenAtLastTick = 0;
  private lastFrameAt = 0;
  private tickTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    ctx: DurableObjectState,
    env: Env,
    private readonly seams: ReceiverSeams = {},
  ) {
    super(ctx, env);
    this.kv = ctx.storage.kv;
    const config = checkConfig(env as unknown as Record<string, unknown>);
    this.configuredUrls = config.ok ? config.config.jetstreamUrls.map((url) => url.href) : [];
    const saved = this.kv.get<Persisted>(KEY) ?? {};
    this.started = saved.started ?? false;
    this.startedAt = saved.startedAt;
    this.cursor = new StreamCursor(
      saved.cursor,
      (cursor) => {
        this.persist();
        if (cursor !== undefined) this.seams.onCursorSaved?.(cursor);
      },
      () => Math.min(1000, this.opts.flushMs),
    );
    this.options = saved.options ?? {};
    this.lastError = saved.lastError;
    this.counters = { ...zeroCounters(), ...saved.counters };
    this.opts = tuningOf(this.options);
    this.reconnects = new ReconnectPolicy({ baseMs: this.opts.backoffBaseMs, maxMs: this.opts.backoffMaxMs });
    this.sender = new QueueFlusher({
      queue: () => this.seams.queue ?? this.env.FIREHOSE_QUEUE,
      cursor: this.cursor,
      counters: this.counters,
      tuning: () => this.opts,
      waitUntil: (promise) => this.ctx.waitUntil(promise),
      paused: () => this.paused,
      drained: () => this.resumeIfPaused(),
      error: (message) => this.setError(message),
    });
    this.members = new MemberSet(
      (after) => this.env.DIRECTORY.getByName("directory").memberDids(after),
      this.opts.memberRefreshMs,
    );
    this.urls = this.urlsOf(this.options);
  }

  /** The Jetstream URLs to try, in order: the options' own, else the configuration's. */
  private urlsOf(options: ReceiverOptions): string[] {
    return options.url === undefined ? this.configuredUrls : [options.url].flat();
  }

  private configure(options: ReceiverOptions): void {
    this.options = options;
    this.opts = tuningOf(options);
    this.reconnects.configure({ baseMs: this.opts.backoffBaseMs, maxMs: this.opts.backoffMaxMs });
    this.sender.configure(this.opts);
    this.members.configure(this.opts.memberRefreshMs);
    this.urls = this.urlsOf(options);
    this.urlIndex = 0;
  }

  private persist(): void {
    const state: Persisted = {
      started: this.started,
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(this.cursor.value !== undefined ? { cursor: this.cursor.value } : {}),
      counters: this.counters,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      options: this.options,
    };
    this.kv.put(KEY, state);
  }

  private setError(message: string): void {
    this.lastError = `${new Date().toISOString()} ${message}`;
  }

  // ---- lifecycle -----------------------------------------------------------

  /** Starts (or restarts with new options) and returns the Jetstream URL in use. */
  async start(options?: ReceiverOptions): Promise<string> {
    if (options) {
      this.configure(options);
      this.persist();
      this.closeSocket("restarted with new options");
      this.reconnects.reset();
      this.nextConnectAt = 0;
    }
    if (this.urls.length === 0)
      throw new Error("no Jetstream URL configured (JETSTREAM_URL, or the configuration is invalid)");
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
    this.sender.stop();
    await this.ctx.storage.deleteAlarm();
  }

  override async alarm(): Promise<void> {
    if (!this.started) return;
    this.run();
    await this.armAlarm();
  }

  private async armAlarm(): Promise<void> {
    const now = Date.now();
    const at = this.socket ? now + this.opts.checkMs : Math.max(this.nextConnectAt, now + 50);
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
    const cursor = this.cursor.value;
    if (cursor !== undefined)
      url.searchParams.set("cursor", String(Math.max(0, cursor - this.opts.rewindUs)));
    return url.toString();
  }

  private openSocket(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (!this.members.loaded) {
      // Stage 1 needs the member set before the first frame: load it, then connect.
      this.ctx.waitUntil(
        this.members.refresh().then((ok) => {
          if (!this.started || this.socket || this.paused) return;
          if (ok) this.openSocket();
          else this.onDisconnect(null, "cannot load the member DIDs from the Directory");
        }),
      );
      return;
    }
    let socket: JetstreamSocket;
    try {
      socket = new JetstreamSocket(this.subscribeUrl(), {
        opened: () => {
          this.lastFrameAt = Date.now();
          console.log(
            JSON.stringify({
              event: "firehose_connected",
              url: this.currentUrl(),
              cursor: this.cursor.value,
            }),
          );
        },
        frame: (data) => this.onFrame(data),
        gone: (reason) => this.onDisconnect(socket, reason),
      });
    } catch (err) {
      this.onDisconnect(null, `cannot connect: ${String(err)}`);
      return;
    }
    this.socket = socket;
    this.lastFrameAt = Date.now();
  }

  private closeSocket(reason: string): void {
    this.socket?.close(reason);
    this.socket = null;
  }

  /** The socket is gone (closed, failed, silent): back off and reconnect. */
  private onDisconnect(socket: JetstreamSocket | null, reason: string): void {
    if (socket && this.socket !== socket) return;
    const wasHealthy =
      this.socket?.connected === true && Date.now() - this.socket.connectedAt >= this.opts.healthyMs;
    this.closeSocket(reason);
    this.setError(reason);
    console.warn(JSON.stringify({ event: "firehose_disconnected", url: this.currentUrl(), reason }));
    if (!this.started) return;
    this.counters.reconnects++;
    if (wasHealthy) this.reconnects.reset();
    else if (this.urls.length > 1) this.urlIndex = (this.urlIndex + 1) % this.urls.length;
    const delay = this.reconnects.nextDelay();
    this.nextConnectAt = Date.now() + delay;
    this.persist();
    if (!this.paused) this.scheduleReconnect(delay);
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
    this.cursor.seen(data);
    const kept = stage1(data, this.members.dids);
    if (kept === null) return;
    if (kept === MALFORMED) {
      this.dropMalformed(data.length > 80 ? `${data.slice(0, 80)}…` : data);
      return;
    }
    this.keep(kept, data);
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
    if (!fitsInMessage(bytes, this.opts)) {
      // It cannot travel in any queue message: say so, never drop in silence.
      this.counters.eventsTooLarge++;
      this.setError(
        `event too large for a queue message (${bytes} bytes): ${event.did} ${event.kind === "commit" ? `${event.commit.collection}/${event.commit.rkey}` : event.kind}`,
      );
      console.error(
        JSON.stringify({ event: "firehose_event_too_large", bytes, did: event.did, time_us: event.time_us }),
      );
      return;
    }
    this.counters.eventsKept++;
    if (event.kind === "commit" && event.commit.operation !== "delete") {
      // A new member, moderator or poster: a community will know this DID, so its
      // deletes and edits count from now on, before the Directory's list catches up.
      this.members.learn(event.did);
    }
    this.sender.push(event, bytes);
    if (this.sender.buffer.bytes > this.opts.maxBufferBytes && !this.paused) this.pause();
  }

  /** The buffer is full: stop reading; resume from the cursor once it has drained. */
  private pause(): void {
    this.paused = true;
    this.setError(`queue backlog: paused reading at ${this.sender.buffer.bytes} buffered bytes`);
    console.warn(JSON.stringify({ event: "firehose_paused", bufferedBytes: this.sender.buffer.bytes }));
    this.closeSocket("paused: queue backlog");
  }

  /** The buffer drained after a pause: read again from the cursor. */
  private resumeIfPaused(): void {
    if (!this.paused) return;
    this.paused = false;
    console.log(JSON.stringify({ event: "firehose_resumed", cursor: this.cursor.value }));
    this.reconnects.reset();
    this.nextConnectAt = 0;
    this.run();
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
    if (this.started || this.sender.buffer.length > 0) this.ensureTick();
  }

  private tickOnce(): void {
    const now = Date.now();
    if (this.counters.eventsSeen !== this.seenAtLastTick) {
      this.seenAtLastTick = this.counters.eventsSeen;
      this.lastFrameAt = now;
    }
    // A backstop for the pacer's timer (and the send retry); with nothing buffered, the cursor follows the stream.
    this.sender.flushSoon();
    this.cursor.saveIfStale(now);
    const socket = this.socket;
    if (socket) {
      if (socket.connected && now - socket.connectedAt >= this.opts.healthyMs) this.reconnects.reset();
      if (now - this.lastFrameAt >= this.opts.silentMs) {
        this.onDisconnect(
          socket,
          socket.connected ? `silent for ${now - this.lastFrameAt} ms` : "connect timed out",
        );
      }
    }
    if (this.members.due()) this.ctx.waitUntil(this.members.refresh());
    this.rates.sample(now, this.counters);
  }

  // ---- status --------------------------------------------------------------

  async getStatus(): Promise<FirehoseStatus> {
    const now = Date.now();
    const lastTime = this.cursor.lastFrameTime();
    const cursor = this.cursor.value;
    const url = this.currentUrl();
    const oldest = this.sender.buffer.oldestKeptAt();
    return {
      connected: this.socket?.connected ?? false,
      ...(url ? { url } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
      ...(lastTime !== undefined
        ? { lagSeconds: Math.max(0, Math.round((now * 1000 - lastTime) / 1e6)) }
        : {}),
      eventsSeen: this.counters.eventsSeen,
      eventsKept: this.counters.eventsKept,
      eventsSent: this.counters.eventsSent,
      ...this.rates.rates(now, this.counters),
      queueMessagesSent: this.counters.queueMessagesSent,
      reconnects: this.counters.reconnects,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(oldest !== undefined ? { oldestBufferedMs: Math.max(0, now - oldest) } : {}),
      started: this.started,
      eventsMalformed: this.counters.eventsMalformed,
      eventsTooLarge: this.counters.eventsTooLarge,
      sendFailures: this.counters.sendFailures,
      bufferedEvents: this.sender.buffer.length,
      bufferedBytes: this.sender.buffer.bytes,
      paused: this.paused,
      memberDids: this.members.size,
    };
  }
}
