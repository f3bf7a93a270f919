// The synthetic Jetstream of bench:ingest: a WebSocket server on 127.0.0.1
// (raw frames written on node:net, for speed) that replays a made-up network
// to whoever connects, either as fast as the reader takes it or at a set rate.
//
// Two mixes: "mixed" is about 30% posts, 40% likes, the rest follows and
// reposts (what a Jetstream without wantedCollections carries); "posts" is
// posts only (what wantedCollections leaves). In both, 0.5% of the posts
// carry a community hashtag, half of them by members.

import { createHash } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { JetstreamEvent, RecordEvent } from "../src/firehose/events.ts";
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

export interface BenchCommunity {
  owner: string;
  rkey: string;
  uri: string;
  feed: string;
  hashtag: string;
  /** The owner first, then the members who post. */
  members: string[];
}

export function benchCommunity(n: number, members: number): BenchCommunity {
  const owner = didOf(900_000 + n);
  const rkey = `3kbench${n}`;
  return {
    owner,
    rkey,
    uri: `at://${owner}/com.atrarium.community.config/${rkey}`,
    feed: `at://${owner}/app.bsky.feed.generator/${rkey}`,
    hashtag: `#atr_${(0xbe0c0000 + n).toString(16)}`,
    members: [owner, ...Array.from({ length: members }, (_, m) => didOf(910_000 + n * 1000 + m))],
  };
}

/** The config and every membership of a community, as Jetstream JSON. */
export function communityFrames(c: BenchCommunity, time: () => number): string[] {
  const now = new Date().toISOString();
  return [
    commitFrame(c.owner, time(), "create", "com.atrarium.community.config", c.rkey, {
      $type: "com.atrarium.community.config",
      name: `Bench ${c.hashtag}`,
      hashtag: c.hashtag,
      stage: "community",
      createdAt: now,
    }),
    ...c.members.map((did, m) =>
      commitFrame(did, time(), "create", "com.atrarium.community.membership", `3kmember${m}`, {
        $type: "com.atrarium.community.membership",
        community: c.uri,
        role: m === 0 ? "owner" : "member",
        joinedAt: now,
      }),
    ),
  ];
}

// ---- WebSocket framing -------------------------------------------------------

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

// ---- the replay server -----------------------------------------------------------

export interface TaggedPost {
  uri: string;
  feed: string;
  member: boolean;
  /** Date.now() when its frame was handed to the socket. */
  sentAt: number;
  /** Whether it was written while `measuring` was set. */
  measured: boolean;
}

export type Mix = "mixed" | "posts";

const CHUNK = 512;

export class Replay {
  private readonly server: Server;
  port = 0;
  private socket: Socket | null = null;
  private lastTime = 0;
  private rng = 0x2545f491;
  private seq = 0;
  private pending: Buffer[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private streamStart = 0;
  private streamWritten = 0;
  private streaming = false;
  /** What the stream carries. */
  mix: Mix = "mixed";
  /** Frames per second while streaming; 0 means as fast as the reader takes them. */
  rate = 0;
  /** Share of posts that carry a community hashtag. */
  taggedShare = 0.005;
  /** Communities whose hashtags the stream's tagged posts carry. */
  communities: BenchCommunity[] = [];
  measuring = false;
  /** Every frame written to the socket: the stream's and those queued by send(). */
  framesWritten = 0;
  readonly tagged: TaggedPost[] = [];
  connections = 0;

  constructor() {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
    return `ws://127.0.0.1:${this.port}/subscribe`;
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
        if (((data[0] ?? 0) & 0x0f) === 0x8) socket.destroy();
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

  /** A fresh, strictly increasing time_us. */
  time(): number {
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

  /** Queues JSON frames to go out before the synthetic stream (seed records, probes, bursts). */
  send(jsons: string[]): void {
    for (const j of jsons) this.pending.push(wsFrame(Buffer.from(j, "utf8")));
    this.pump();
  }

  /** A post with the community's hashtag, by a member (round robin) or a stranger; remembered in `tagged`. */
  taggedPost(c: BenchCommunity, member: boolean): string {
    const n = this.seq++;
    const author = member
      ? (c.members[1 + (n % (c.members.length - 1))] as string)
      : didOf(950_000 + (n % 5000));
    const rkey = `3kt${n.toString(36).padStart(10, "0")}`;
    const frame = commitFrame(
      author,
      this.time(),
      "create",
      "app.bsky.feed.post",
      rkey,
      postRecord(`${plainText(n)} ${c.hashtag}`),
    );
    this.tagged.push({
      uri: `at://${author}/app.bsky.feed.post/${rkey}`,
      feed: c.feed,
      member,
      sentAt: Date.now(),
      measured: this.measuring && member,
    });
    return frame;
  }

  /** One chunk of the synthetic stream: `n` frames in one buffer. */
  private chunk(n: number): Buffer {
    const parts: Buffer[] = [];
    let size = 0;
    const postShare = this.mix === "posts" ? 1 : 0.3;
    for (let i = 0; i < n; i++) {
      const r = this.random();
      const pick = (this.seq++ * 2654435761) % POOL;
      let frame: Buffer;
      if (r < postShare && this.communities.length > 0 && this.random() < this.taggedShare) {
        const c = this.communities[Math.floor(this.random() * this.communities.length)] as BenchCommunity;
        frame = wsFrame(Buffer.from(this.taggedPost(c, this.random() < 0.5), "utf8"));
      } else {
        const tpl = (
          r < postShare ? pools.post : r < 0.7 ? pools.like : r < 0.85 ? pools.follow : pools.repost
        )[pick] as Template;
        frame = Buffer.from(tpl.frame);
        frame.write(String(this.time()), tpl.timeAt, "latin1");
      }
      parts.push(frame);
      size += frame.length;
    }
    return Buffer.concat(parts, size);
  }

  /** Starts the synthetic stream (at `rate`, or as fast as the reader takes it). */
  start(): void {
    this.streaming = true;
    this.streamStart = Date.now();
    this.streamWritten = 0;
    this.pump();
  }

  /** Frames of the synthetic stream written since the last start(). */
  writtenSinceStart(): number {
    return this.streamWritten;
  }

  /** Stops the synthetic stream; queued frames (send) still go out. */
  stop(): void {
    this.streaming = false;
    clearTimeout(this.timer);
  }

  /**
   * Writes while the socket takes it, then waits for 'drain': backpressure, no
   * busy loop. At a set rate, writes what is due and comes back a few ms later.
   */
  private pump(): void {
    clearTimeout(this.timer);
    const socket = this.socket;
    if (!socket || socket.writableNeedDrain) return;
    while (this.pending.length > 0) {
      this.framesWritten++;
      if (!socket.write(this.pending.shift() as Buffer)) return;
    }
    while (this.streaming) {
      const due = this.rate > 0 ? Math.floor(((Date.now() - this.streamStart) * this.rate) / 1000) : Infinity;
      const n = Math.min(CHUNK, due - this.streamWritten);
      if (n <= 0) {
        this.timer = setTimeout(() => this.pump(), 5);
        return;
      }
      this.streamWritten += n;
      this.framesWritten += n;
      if (!socket.write(this.chunk(n))) return;
    }
  }

  close(): void {
    this.stop();
    this.socket?.destroy();
    this.server.close();
  }
}

/** A Jetstream commit as routing hands it to a community (optionally as another author's). */
export function indexEvent(e: JetstreamEvent, did = e.did): RecordEvent {
  if (e.kind !== "commit") throw new Error("commits only");
  const { collection, rkey, operation, record, cid } = e.commit;
  return {
    kind: "record",
    did,
    collection,
    rkey,
    operation,
    record,
    ...(cid ? { cid } : {}),
    time: e.time_us,
  };
}
