/**
 * Local Jetstream bridge: turns a PDS's `com.atproto.sync.subscribeRepos`
 * firehose (DAG-CBOR) into the Jetstream v1 JSON wire, so that the Worker can
 * be developed and tested against a local PDS exactly as it runs against the
 * real Jetstream in production.
 *
 * It is a dev tool: signatures are not verified, and the replay buffer lives in
 * memory only.
 *
 *   node scripts/jetstream-bridge.ts --pds http://127.0.0.1:2583 --port 6008
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { type Cid, isCid } from "@atproto/lex-data";
import { lexToJson } from "@atproto/lex-json";
import { cborToLexRecord, readCar } from "@atproto/repo";
import { Subscription } from "@atproto/xrpc-server";
import { type WebSocket, WebSocketServer } from "ws";

export type JetstreamBridgeOptions = {
  pdsUrl: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Number of events kept for `cursor` replay. */
  bufferSize?: number;
  /** A client whose unsent backlog exceeds this is closed with 1008. */
  maxClientBufferedBytes?: number;
};

export type JetstreamBridge = {
  /** ws://host:port — subscribe at `${url}/subscribe`. */
  url: string;
  /**
   * Stops sending to subscribers (a Jetstream running behind): events still
   * get their time_us as they happen, and go out in order on release().
   */
  hold(): void;
  release(): void;
  /** How many events the bridge has emitted so far (held or not). */
  emitted(): number;
  /** How many subscribers are connected and not yet closed by the bridge. */
  subscribers(): number;
  close(): Promise<void>;
};

const SUBSCRIBE_REPOS = "com.atproto.sync.subscribeRepos";
const MAX_WANTED_COLLECTIONS = 100;
const MAX_WANTED_DIDS = 10_000;
const NSID_PATTERN = /^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/;
const log = (...args: unknown[]): void => console.error("[jetstream-bridge]", ...args);

// ---- upstream frames (only the fields we read) ----------------------------

type RepoOp = { action: "create" | "update" | "delete"; path: string; cid: Cid | null };
type CommitFrame = {
  $type: `${typeof SUBSCRIBE_REPOS}#commit`;
  seq: number;
  repo: string;
  rev: string;
  blocks: Uint8Array;
  ops: RepoOp[];
};
type IdentityFrame = {
  $type: `${typeof SUBSCRIBE_REPOS}#identity`;
  seq: number;
  did: string;
  time: string;
  handle?: string;
};
type AccountFrame = {
  $type: `${typeof SUBSCRIBE_REPOS}#account`;
  seq: number;
  did: string;
  time: string;
  active: boolean;
  status?: string;
};
type Frame = CommitFrame | IdentityFrame | AccountFrame;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

const isRepoOp = (v: unknown): v is RepoOp =>
  isObject(v) &&
  (v.action === "create" || v.action === "update" || v.action === "delete") &&
  typeof v.path === "string" &&
  (v.cid === null || v.cid === undefined || isCid(v.cid));

// A hand-written guard rather than full lexicon validation: we only need the
// few fields above, and #sync / #info frames are simply dropped.
const asFrame = (v: unknown): Frame | undefined => {
  if (!isObject(v) || typeof v.seq !== "number") return undefined;
  switch (v.$type) {
    case `${SUBSCRIBE_REPOS}#commit`:
      if (
        typeof v.repo === "string" &&
        typeof v.rev === "string" &&
        v.blocks instanceof Uint8Array &&
        Array.isArray(v.ops) &&
        v.ops.every(isRepoOp)
      ) {
        return v as CommitFrame;
      }
      return undefined;
    case `${SUBSCRIBE_REPOS}#identity`:
      return typeof v.did === "string" && typeof v.time === "string" ? (v as IdentityFrame) : undefined;
    case `${SUBSCRIBE_REPOS}#account`:
      return typeof v.did === "string" && typeof v.active === "boolean" ? (v as AccountFrame) : undefined;
    default:
      return undefined;
  }
};

// ---- Jetstream events ------------------------------------------------------

/** An emitted event, serialized once and shared by every subscriber. */
type Buffered = { timeUs: number; did: string; collection?: string; json: string };

type Filter = { collections?: { exact: Set<string>; prefixes: string[] }; dids?: Set<string> };

type Client = { ws: WebSocket; filter: Filter; next: number; live: boolean; open: boolean };

const matches = (f: Filter, ev: Buffered): boolean => {
  if (f.dids && !f.dids.has(ev.did)) return false;
  // Identity and account events bypass the collection filter (Jetstream does too).
  if (!f.collections || ev.collection === undefined) return true;
  if (f.collections.exact.has(ev.collection)) return true;
  return f.collections.prefixes.some((p) => ev.collection?.startsWith(p));
};

/** Parses the subscribe query; returns an error string for a 400. */
const parseQuery = (q: URLSearchParams): { filter: Filter; cursor?: number } | string => {
  const filter: Filter = {};
  const cols = q.getAll("wantedCollections").filter((c) => c !== "");
  if (cols.length > MAX_WANTED_COLLECTIONS) return `at most ${MAX_WANTED_COLLECTIONS} wantedCollections`;
  if (cols.length > 0) {
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const c of cols) {
      const isPrefix = c.endsWith(".*");
      if (!NSID_PATTERN.test(isPrefix ? c.slice(0, -2) : c)) return `invalid wantedCollections: ${c}`;
      // Keep the trailing dot so that "com.atrarium.*" does not match "com.atrariumx.y".
      if (isPrefix) prefixes.push(c.slice(0, -1));
      else exact.add(c);
    }
    filter.collections = { exact, prefixes };
  }
  const dids = q.getAll("wantedDids").filter((d) => d !== "");
  if (dids.length > MAX_WANTED_DIDS) return `at most ${MAX_WANTED_DIDS} wantedDids`;
  if (dids.some((d) => !d.startsWith("did:"))) return "invalid wantedDids";
  if (dids.length > 0) filter.dids = new Set(dids);
  const rawCursor = q.get("cursor");
  if (rawCursor === null || rawCursor === "") return { filter };
  const cursor = Number(rawCursor);
  if (!Number.isSafeInteger(cursor) || cursor < 0) return "invalid cursor";
  return { filter, cursor };
};

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export async function startJetstreamBridge(opts: JetstreamBridgeOptions): Promise<JetstreamBridge> {
  const host = opts.host ?? "127.0.0.1";
  const bufferSize = Math.max(1, opts.bufferSize ?? 100_000);
  const maxBuffered = opts.maxClientBufferedBytes ?? 16 * 1024 * 1024;

  // Ring buffer addressed by absolute event index: event i lives in ring[i % bufferSize]
  // and is still available while i >= total - bufferSize.
  const ring: Buffered[] = [];
  let total = 0;
  let lastTimeUs = 0;
  const clients = new Set<Client>();
  let held = false;
  const oldest = (): number => Math.max(0, total - bufferSize);
  const at = (i: number): Buffered => ring[i % bufferSize] as Buffered;

  const closeClient = (c: Client, code: number, reason: string): void => {
    if (!c.open) return;
    c.open = false;
    clients.delete(c);
    c.ws.close(code, reason);
  };

  // Replay from the ring at the client's pace: stop while its socket backlog is
  // high and retry shortly, so a big replay never balloons memory. Events
  // emitted meanwhile are appended to the ring, so the client catches up
  // through them and then switches to live sends with no gap or duplicate.
  const pump = (c: Client): void => {
    while (c.open && !c.live && !held) {
      if (c.next < oldest()) {
        closeClient(c, 1008, "consumer too slow: fell out of replay buffer");
        return;
      }
      if (c.next >= total) {
        c.live = true;
        return;
      }
      if (c.ws.bufferedAmount > maxBuffered / 2) {
        setTimeout(() => pump(c), 20);
        return;
      }
      const ev = at(c.next++);
      if (matches(c.filter, ev)) c.ws.send(ev.json);
    }
  };

  const emit = (did: string, collection: string | undefined, body: Record<string, unknown>): void => {
    // time_us must be strictly increasing: it is the replay cursor.
    let timeUs = Date.now() * 1000;
    if (timeUs <= lastTimeUs) timeUs = lastTimeUs + 1;
    lastTimeUs = timeUs;
    const ev: Buffered = { timeUs, did, collection, json: JSON.stringify({ did, time_us: timeUs, ...body }) };
    ring[total % bufferSize] = ev;
    total++;
    for (const c of clients) {
      if (!c.live) continue; // the pump will reach this event
      c.next = total;
      if (!matches(c.filter, ev)) continue;
      c.ws.send(ev.json);
      // A reader that cannot keep up would otherwise make us buffer forever.
      if (c.ws.bufferedAmount > maxBuffered) closeClient(c, 1008, "consumer too slow");
    }
  };

  const handleFrame = async (frame: Frame): Promise<void> => {
    if (frame.$type === `${SUBSCRIBE_REPOS}#identity`) {
      const identity = { did: frame.did, handle: frame.handle, seq: frame.seq, time: frame.time };
      emit(frame.did, undefined, { kind: "identity", identity });
    } else if (frame.$type === `${SUBSCRIBE_REPOS}#account`) {
      const account = {
        active: frame.active,
        did: frame.did,
        seq: frame.seq,
        time: frame.time,
        status: frame.status,
      };
      emit(frame.did, undefined, { kind: "account", account });
    } else {
      const { blocks } = await readCar(frame.blocks);
      for (const op of frame.ops) {
        const slash = op.path.indexOf("/");
        const collection = op.path.slice(0, slash);
        const rkey = op.path.slice(slash + 1);
        const commit: Record<string, unknown> = { rev: frame.rev, operation: op.action, collection, rkey };
        if (op.action !== "delete") {
          const bytes = op.cid ? blocks.get(op.cid) : undefined;
          if (!op.cid || !bytes) {
            log(`skipping ${op.action} ${frame.repo}/${op.path}: record block missing from commit`);
            continue;
          }
          commit.record = lexToJson(cborToLexRecord(bytes));
          commit.cid = op.cid.toString();
        }
        emit(frame.repo, collection, { kind: "commit", commit });
      }
    }
  };

  // ---- upstream: PDS firehose, resumed from the last seq on every reconnect ----
  const abort = new AbortController();
  // Cursor 0 = everything the PDS still has, so that records written before the
  // bridge started are not missed.
  let lastSeq = 0;
  const subscription = new Subscription<Frame>({
    service: opts.pdsUrl.replace(/^http/, "ws").replace(/\/+$/, ""),
    method: SUBSCRIBE_REPOS,
    signal: abort.signal,
    getParams: () => ({ cursor: lastSeq }),
    validate: asFrame,
    onReconnectError: (err, n) => log(`upstream reconnect #${n}:`, String(err)),
  });
  const upstream = (async () => {
    while (!abort.signal.aborted) {
      try {
        for await (const frame of subscription) {
          if (frame.seq <= lastSeq) continue; // already relayed before a reconnect
          try {
            await handleFrame(frame);
          } catch (err) {
            log(`dropping seq ${frame.seq}:`, err);
          }
          lastSeq = frame.seq;
        }
      } catch (err) {
        if (abort.signal.aborted) break;
        // A fresh dev PDS restarts its seq at 1; our old cursor is then "in the future".
        if (isObject(err) && err.error === "FutureCursor") lastSeq = 0;
        log("upstream error, retrying:", String(err));
      }
      await sleep(1000, abort.signal);
    }
  })();

  // ---- downstream: Jetstream wire on /subscribe ----
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "GET" && path === "/health") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    } else {
      res.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://x");
    const parsed = url.pathname === "/subscribe" ? parseQuery(url.searchParams) : "not found";
    if (typeof parsed === "string") {
      const status = parsed === "not found" ? "404 Not Found" : "400 Bad Request";
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${parsed}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const { cursor } = parsed;
      let next = total;
      if (cursor !== undefined) {
        // Binary search for the first buffered event with time_us >= cursor.
        let lo = oldest();
        let hi = total;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (at(mid).timeUs < cursor) lo = mid + 1;
          else hi = mid;
        }
        next = lo;
      }
      const c: Client = { ws, filter: parsed.filter, next, live: false, open: true };
      clients.add(c);
      ws.on("close", () => {
        c.open = false;
        clients.delete(c);
      });
      ws.on("error", () => closeClient(c, 1011, "error"));
      pump(c);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `ws://${host.includes(":") ? `[${host}]` : host}:${port}`,
    hold: () => {
      held = true;
      for (const c of clients) c.live = false;
    },
    release: () => {
      held = false;
      for (const c of clients) pump(c);
    },
    emitted: () => total,
    subscribers: () => clients.size,
    close: () => {
      closing ??= (async () => {
        abort.abort();
        for (const c of clients) closeClient(c, 1001, "bridge shutting down");
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await upstream;
      })();
      return closing;
    },
  };
}

// ---- CLI ----

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) {
  const { values } = parseArgs({
    options: {
      pds: { type: "string", default: "http://127.0.0.1:2583" },
      port: { type: "string", default: "6008" },
      host: { type: "string", default: "127.0.0.1" },
      "buffer-size": { type: "string", default: "100000" },
    },
  });
  const bridge = await startJetstreamBridge({
    pdsUrl: values.pds,
    port: Number(values.port),
    host: values.host,
    bufferSize: Number(values["buffer-size"]),
  });
  console.log(`Jetstream bridge for ${values.pds} listening on ${bridge.url}/subscribe`);
  const stop = (): void => {
    bridge.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log(err);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
