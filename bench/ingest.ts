// npm run bench:ingest — the Jetstream ingestion benchmark.
//
// A local WebSocket server (below, raw frames on node:net for speed) replays
// a synthetic Jetstream stream as fast as the receiver takes it: about 30%
// posts, 40% likes, the rest follows and reposts; 0.5% of the posts carry a
// community hashtag, half of them from members. The Worker runs locally
// (wrangler's unstable_startWorker: workerd with local Durable Objects and
// Queues), started by com.atrarium.admin.startFirehose like in production.
//
// Measured:
//   events_per_s      frames through stage 1 per second (the receiver's own count), sustained
//   queue_msgs_per_s  queue messages sent per second at that rate
//   p50/p99_latency_ms  from a member's tagged post leaving this server to it
//                     showing in getFeedSkeleton (feeds polled every 100 ms)
// The last line printed is one JSON object. Offline, 127.0.0.1 only.

import { createHash } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { startWorker } from "../test/firehose/start-worker.ts";
import {
  commitFrame,
  didOf,
  followFrame,
  likeFrame,
  plainText,
  postRecord,
  repostFrame,
  rkeyOf,
} from "../test/firehose/synthetic.ts";

const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 4);
const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 15);
const DRAIN_S = 10;
const COMMUNITIES = 4;
const MEMBERS_PER_COMMUNITY = 25;
const POLL_MS = 100;
const ADMIN_PASSWORD = "bench-admin-password";

const log = (...args: unknown[]) =>
  console.error(`[bench +${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...args);
const T0 = Date.now();

// ---- the synthetic network ---------------------------------------------------

interface Community {
  owner: string;
  rkey: string;
  uri: string;
  feed: string;
  hashtag: string;
  members: string[];
}

const communities: Community[] = Array.from({ length: COMMUNITIES }, (_, c) => {
  const owner = didOf(900_000 + c);
  const rkey = `3kbench${c}`;
  return {
    owner,
    rkey,
    uri: `at://${owner}/com.atrarium.community.config/${rkey}`,
    feed: `at://${owner}/app.bsky.feed.generator/${rkey}`,
    hashtag: `#atr_${(0xbe0c0000 + c).toString(16)}`,
    members: [
      owner,
      ...Array.from({ length: MEMBERS_PER_COMMUNITY }, (_, m) => didOf(910_000 + c * 1000 + m)),
    ],
  };
});

function seedFrames(t: () => number): string[] {
  const frames: string[] = [];
  const now = new Date().toISOString();
  for (const c of communities) {
    frames.push(
      commitFrame(c.owner, t(), "create", "com.atrarium.community.config", c.rkey, {
        $type: "com.atrarium.community.config",
        name: `Bench ${c.hashtag}`,
        hashtag: c.hashtag,
        stage: "community",
        createdAt: now,
      }),
    );
  }
  for (const c of communities) {
    c.members.forEach((did, m) => {
      frames.push(
        commitFrame(did, t(), "create", "com.atrarium.community.membership", `3kmember${m}`, {
          $type: "com.atrarium.community.membership",
          community: c.uri,
          role: m === 0 ? "owner" : "member",
          joinedAt: now,
        }),
      );
    });
  }
  return frames;
}

// ---- WebSocket framing ---------------------------------------------------------

const TIME_DIGITS = 16;
const TIME_PLACEHOLDER = "1".repeat(TIME_DIGITS);

/** A server-to-client text frame (unmasked). */
function wsFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const header = n < 126 ? Buffer.from([0x81, n]) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 65536) {
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([header, payload]);
}

interface Template {
  frame: Buffer;
  timeAt: number; // offset of the 16 time digits in `frame`
}

function template(json: string): Template {
  const payload = Buffer.from(json, "utf8");
  const frame = wsFrame(payload);
  const at = payload.indexOf(`"time_us":${TIME_PLACEHOLDER}`);
  if (at < 0) throw new Error("no time_us placeholder");
  return { frame, timeAt: frame.length - payload.length + at + '"time_us":'.length };
}

// Pools of untagged frames: copied into the stream with a fresh time_us.
const POOL = 4096;
const placeholder = Number(TIME_PLACEHOLDER);
const pools = {
  post: Array.from({ length: POOL }, (_, i) =>
    template(
      commitFrame(
        didOf(i * 7 + 1),
        placeholder,
        "create",
        "app.bsky.feed.post",
        rkeyOf(i),
        postRecord(plainText(i)),
      ),
    ),
  ),
  like: Array.from({ length: POOL }, (_, i) => template(likeFrame(didOf(i * 11 + 2), placeholder, i))),
  follow: Array.from({ length: POOL }, (_, i) => template(followFrame(didOf(i * 13 + 3), placeholder, i))),
  repost: Array.from({ length: POOL }, (_, i) => template(repostFrame(didOf(i * 17 + 4), placeholder, i))),
};

// ---- the replay server ------------------------------------------------------------

interface Tagged {
  uri: string;
  feed: string;
  member: boolean;
  sentAt: number;
  visibleAt?: number;
  measured: boolean;
}

class Replay {
  readonly server: Server;
  port = 0;
  private socket: Socket | null = null;
  private lastTime = 0;
  private rng = 0x2545f491;
  private seq = 0;
  private pending: Buffer[] = [];
  mode: "idle" | "stream" = "idle";
  measuring = false;
  framesWritten = 0;
  readonly tagged: Tagged[] = [];
  connections = 0;

  constructor() {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1];
      if (!key || !/^GET \/subscribe/.test(head)) {
        socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
        return;
      }
      const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      // Whatever the client sends (pings, close) is read and ignored; a close ends the socket.
      socket.on("data", (data: Buffer) => {
        if ((data[0] ?? 0) & 0x0f && ((data[0] ?? 0) & 0x0f) === 0x8) socket.destroy();
      });
      socket.on("error", () => {});
      socket.on("close", () => {
        if (this.socket === socket) this.socket = null;
      });
      this.socket?.destroy();
      this.socket = socket;
      this.connections++;
      socket.on("drain", () => this.pump());
      this.pump();
    };
    socket.on("data", onData);
    socket.on("error", () => {});
  }

  private time(): number {
    const now = Date.now() * 1000;
    this.lastTime = now > this.lastTime ? now : this.lastTime + 1;
    return this.lastTime;
  }

  private random(): number {
    // xorshift32
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng / 0x100000000;
  }

  /** Queues JSON frames to go out before the synthetic stream (seed records, probes). */
  send(jsons: string[]): void {
    for (const j of jsons) this.pending.push(wsFrame(Buffer.from(j, "utf8")));
    this.pump();
  }

  taggedPost(c: Community, member: boolean): string {
    const author = member
      ? (c.members[1 + (this.seq % MEMBERS_PER_COMMUNITY)] as string)
      : didOf(950_000 + (this.seq % 5000));
    const rkey = `3kt${(this.seq++).toString(36).padStart(10, "0")}`;
    const text = `${plainText(this.seq)} ${c.hashtag}`;
    const frame = commitFrame(author, this.time(), "create", "app.bsky.feed.post", rkey, postRecord(text));
    this.tagged.push({
      uri: `at://${author}/app.bsky.feed.post/${rkey}`,
      feed: c.feed,
      member,
      sentAt: 0,
      measured: this.measuring && member,
    });
    return frame;
  }

  /** One chunk of the synthetic stream: `n` frames in one buffer. */
  private chunk(n: number): { buffer: Buffer; tagged: number } {
    const parts: Buffer[] = [];
    let tagged = 0;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const r = this.random();
      const pick = (this.seq++ * 2654435761) % POOL;
      let tpl: Template;
      if (r < 0.3) {
        if (this.random() < 0.005) {
          const c = communities[Math.floor(this.random() * COMMUNITIES)] as Community;
          const frame = wsFrame(Buffer.from(this.taggedPost(c, this.random() < 0.5), "utf8"));
          parts.push(frame);
          size += frame.length;
          tagged++;
          continue;
        }
        tpl = pools.post[pick] as Template;
      } else if (r < 0.7) tpl = pools.like[pick] as Template;
      else if (r < 0.85) tpl = pools.follow[pick] as Template;
      else tpl = pools.repost[pick] as Template;
      const frame = Buffer.from(tpl.frame);
      frame.write(String(this.time()), tpl.timeAt, "latin1");
      parts.push(frame);
      size += frame.length;
    }
    return { buffer: Buffer.concat(parts, size), tagged };
  }

  /**
   * Writes while the socket takes it (as fast as the receiver reads), then
   * waits for 'drain': backpressure, no busy loop.
   */
  pump(): void {
    const socket = this.socket;
    if (!socket || socket.writableNeedDrain) return;
    while (this.pending.length > 0) {
      if (!socket.write(this.pending.shift() as Buffer)) return;
    }
    while (this.mode === "stream") {
      const before = this.tagged.length;
      const { buffer } = this.chunk(512);
      const now = Date.now();
      for (let i = before; i < this.tagged.length; i++) (this.tagged[i] as Tagged).sentAt = now;
      this.framesWritten += 512;
      if (!socket.write(buffer)) return;
    }
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }
}

// ---- the run ------------------------------------------------------------------------

interface Status {
  connected: boolean;
  eventsSeen: number;
  eventsKept: number;
  eventsSent: number;
  queueMessagesSent: number;
  reconnects: number;
  lastError?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  const replay = new Replay();
  await replay.listen();
  const worker = await startWorker({
    JETSTREAM_URL: `ws://127.0.0.1:${replay.port}/subscribe`,
    ADMIN_PASSWORD,
    PLC_URL: "http://127.0.0.1:9/plc-unused",
  });
  log("worker at", worker.url, "jetstream at", replay.port);
  const auth = { authorization: `Basic ${btoa(`admin:${ADMIN_PASSWORD}`)}` };
  const status = async (): Promise<Status> => {
    const res = await fetch(`${worker.url}/xrpc/com.atrarium.admin.getFirehoseStatus`, {
      headers: auth,
      signal: AbortSignal.timeout(30_000),
    });
    return (await res.json()) as Status;
  };
  const feedPosts = async (feed: string): Promise<string[] | null> => {
    const res = await fetch(
      `${worker.url}/xrpc/app.bsky.feed.getFeedSkeleton?feed=${encodeURIComponent(feed)}&limit=100`,
      { signal: AbortSignal.timeout(30_000) },
    );
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    return ((await res.json()) as { feed: { post: string }[] }).feed.map((f) => f.post);
  };

  try {
    const started = await fetch(`${worker.url}/xrpc/com.atrarium.admin.startFirehose`, {
      method: "POST",
      headers: auth,
    });
    if (!started.ok) throw new Error(`startFirehose: ${started.status} ${await started.text()}`);
    const deadline = (s: number) => Date.now() + s * 1000;
    const until = async (what: string, s: number, check: () => Promise<boolean>) => {
      const end = deadline(s);
      while (!(await check())) {
        if (Date.now() > end) throw new Error(`timed out: ${what} (${JSON.stringify(await status())})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until("the receiver connects", 15, async () => replay.connections > 0);

    // Seed: configs and memberships, then one probe post per community.
    let seedTime = Date.now() * 1000 - 5_000_000;
    replay.send(seedFrames(() => seedTime++));
    // (Asked of the Directory's listing: a feed asked about too early is cached as unknown for a few seconds.)
    await until("the communities exist", 20, async () => {
      const res = await fetch(`${worker.url}/xrpc/com.atrarium.community.listCommunities?limit=100`);
      const listed = ((await res.json()) as { communities?: { uri: string }[] }).communities ?? [];
      return communities.every((c) => listed.some((l) => l.uri === c.uri));
    });
    replay.send(communities.map((c) => replay.taggedPost(c, true)));
    for (const t of replay.tagged) t.sentAt = Date.now();
    await until("the probe posts show", 20, async () => {
      for (const c of communities) if (((await feedPosts(c.feed)) ?? []).length === 0) return false;
      return true;
    });
    log("seeded", COMMUNITIES, "communities; streaming");

    // Poll every feed while streaming; remember when each post first showed.
    const seenAt = new Map<string, number>();
    let polling = true;
    const pollers = communities.map(async (c, i) => {
      await new Promise((r) => setTimeout(r, (i * POLL_MS) / COMMUNITIES));
      while (polling) {
        const asked = Date.now();
        const posts = (await feedPosts(c.feed)) ?? [];
        const now = Date.now();
        for (const uri of posts) if (!seenAt.has(uri)) seenAt.set(uri, now);
        await new Promise((r) => setTimeout(r, Math.max(0, POLL_MS - (now - asked))));
      }
    });

    replay.mode = "stream";
    replay.pump();
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    replay.measuring = true;
    const before = await status();
    const t1 = Date.now();
    const samples: number[] = [];
    let last = before;
    for (let s = 0; s < MEASURE_S; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await status();
      samples.push(now.eventsSeen - last.eventsSeen);
      if (process.env.BENCH_VERBOSE) log(now);
      last = now;
    }
    const after = await status();
    const t2 = Date.now();
    replay.measuring = false;
    replay.mode = "idle";
    const seconds = (t2 - t1) / 1000;
    log("per-second events seen:", samples.join(" "));

    const measured = replay.tagged.filter((t) => t.measured);
    const drainEnd = deadline(DRAIN_S);
    while (Date.now() < drainEnd && measured.some((t) => !seenAt.has(t.uri))) {
      await new Promise((r) => setTimeout(r, 100));
    }
    polling = false;
    await Promise.all(pollers);
    const final = await status();

    const latencies = measured
      .map((t) => (seenAt.has(t.uri) ? (seenAt.get(t.uri) as number) - t.sentAt : Number.POSITIVE_INFINITY))
      .sort((a, b) => a - b);
    const missing = latencies.filter((l) => l === Number.POSITIVE_INFINITY).length;
    const strangers = replay.tagged.filter((t) => !t.member);
    const leaked = strangers.filter((t) => seenAt.has(t.uri)).length;
    const result = {
      events_per_s: Math.round((after.eventsSeen - before.eventsSeen) / seconds),
      queue_msgs_per_s: Number(((after.queueMessagesSent - before.queueMessagesSent) / seconds).toFixed(2)),
      p50_latency_ms: percentile(latencies, 50),
      p99_latency_ms: percentile(latencies, 99),
      kept_per_s: Math.round((after.eventsKept - before.eventsKept) / seconds),
      sent_per_s: Math.round((after.eventsSent - before.eventsSent) / seconds),
      min_1s_events: Math.min(...samples),
      max_1s_events: Math.max(...samples),
      measured_s: Number(seconds.toFixed(1)),
      frames_written: replay.framesWritten,
      events_seen: final.eventsSeen,
      events_kept: final.eventsKept,
      events_sent: final.eventsSent,
      latency_posts: measured.length,
      latency_missing: missing,
      non_member_posts: strangers.length,
      non_member_posts_shown: leaked,
      reconnects: final.reconnects,
      ...(final.lastError ? { last_error: final.lastError } : {}),
    };
    console.log(JSON.stringify(result));
  } finally {
    replay.close();
    await worker.dispose();
  }
}

await main();
