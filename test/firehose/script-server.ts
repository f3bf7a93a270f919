// A scripted Jetstream for the receiver's tests, run in Node (vitest globalSetup).
//
// A test registers a scenario under an id, then points the receiver at
// ws://127.0.0.1:<port>/s/<id>/subscribe. The scenario is a list of frames
// (each with the time_us it carries, or null for junk frames) and a script
// per connection: how many frames to send, then what to do (close abruptly,
// go silent, or stay open). Every connection replays from its cursor, as
// Jetstream does. GET /control/<id> reports the connections the server saw.

import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

// Loaded through Node's require: the worker project's globalSetup is resolved
// with workerd's export conditions, which would pick ws's browser stub.
const { WebSocket, WebSocketServer } = createRequire(import.meta.url)("ws") as typeof import("ws");
type WebSocket = import("ws").WebSocket;

export interface ScriptFrame {
  /** The event's time_us, or null for a frame that carries none (junk). */
  t: number | null;
  /** Text frame payload, or base64 of a binary frame when `binary` is set. */
  data: string;
  binary?: boolean;
}

export interface ConnectionScript {
  /** Frames to send on this connection before `after` (default: all). */
  frames?: number;
  /** What happens after: "destroy" drops TCP, "silent" keeps the socket open and sends nothing, "open" (default) waits for more. */
  after?: "destroy" | "silent" | "open" | "close";
}

export interface Scenario {
  frames: ScriptFrame[];
  /** Scripts for the first connections; later ones send everything and stay open. */
  connections?: ConnectionScript[];
  /** Refuse the first N upgrade attempts with HTTP 503. */
  refuseFirst?: number;
}

export interface ConnectionReport {
  url: string;
  cursor: number | null;
  wantedCollections: string[];
  sent: number;
  firstSentT: number | null;
  lastSentT: number | null;
  closed: boolean;
}

interface State {
  scenario: Scenario;
  connections: ConnectionReport[];
  refused: number;
  /** Date.now() of every upgrade attempt, refused or not. */
  attempts: number[];
  sockets: Set<WebSocket>;
  /** Frames appended after registration reach open "open" connections too. */
  live: Set<(frame: ScriptFrame) => void>;
}

export interface ScriptServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function startIndex(frames: ScriptFrame[], cursor: number | null): number {
  if (cursor === null) return 0;
  // Junk frames sit between events: replay from the first frame at or after the cursor.
  for (let i = 0; i < frames.length; i++) {
    const t = frames[i]?.t;
    if (t !== null && t !== undefined && t >= cursor) {
      let j = i;
      while (j > 0 && frames[j - 1]?.t === null) j--;
      return j;
    }
  }
  return frames.length;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startScriptServer(): Promise<ScriptServer> {
  const states = new Map<string, State>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const match = /^\/control\/([\w-]+)(\/append)?$/.exec(url.pathname);
    try {
      if (!match) {
        res.writeHead(404).end();
        return;
      }
      const id = match[1] as string;
      if (req.method === "PUT") {
        const old = states.get(id);
        for (const ws of old?.sockets ?? []) ws.terminate();
        states.set(id, {
          scenario: (await readJson(req)) as Scenario,
          connections: [],
          refused: 0,
          attempts: [],
          sockets: new Set(),
          live: new Set(),
        });
        res.writeHead(204).end();
      } else if (req.method === "POST" && match[2]) {
        const state = states.get(id);
        if (!state) throw new Error(`no scenario ${id}`);
        const frames = (await readJson(req)) as ScriptFrame[];
        for (const f of frames) {
          state.scenario.frames.push(f);
          for (const push of state.live) push(f);
        }
        res.writeHead(204).end();
      } else if (req.method === "DELETE") {
        const state = states.get(id);
        for (const ws of state?.sockets ?? []) ws.terminate();
        states.delete(id);
        res.writeHead(204).end();
      } else {
        const state = states.get(id);
        res.writeHead(state ? 200 : 404, { "content-type": "application/json" });
        res.end(
          JSON.stringify(
            state ? { connections: state.connections, refused: state.refused, attempts: state.attempts } : {},
          ),
        );
      }
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });

  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://x");
    const match = /^\/s\/([\w-]+)\/subscribe$/.exec(url.pathname);
    const state = match ? states.get(match[1] as string) : undefined;
    if (!state) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    state.attempts.push(Date.now());
    if (state.refused < (state.scenario.refuseFirst ?? 0)) {
      state.refused++;
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(state, ws, url));
  });

  function serve(state: State, ws: WebSocket, url: URL): void {
    const cursorParam = url.searchParams.get("cursor");
    const report: ConnectionReport = {
      url: url.pathname + url.search,
      cursor: cursorParam === null ? null : Number(cursorParam),
      wantedCollections: url.searchParams.getAll("wantedCollections"),
      sent: 0,
      firstSentT: null,
      lastSentT: null,
      closed: false,
    };
    const script = state.scenario.connections?.[state.connections.length] ?? {};
    state.connections.push(report);
    state.sockets.add(ws);
    ws.on("error", () => {});
    ws.on("message", () => {});
    const frames = state.scenario.frames;
    let next = startIndex(frames, report.cursor);
    const limit = script.frames ?? Number.POSITIVE_INFINITY;
    let stopped = false;
    const finish = () => {
      report.closed = true;
      stopped = true;
      state.sockets.delete(ws);
      state.live.delete(pushLive);
    };
    ws.on("close", finish);

    const sendFrame = (f: ScriptFrame) => {
      ws.send(f.binary ? Buffer.from(f.data, "base64") : f.data);
      report.sent++;
      if (f.t !== null) {
        report.firstSentT ??= f.t;
        report.lastSentT = f.t;
      }
    };
    const afterScript = () => {
      const then = script.after ?? "open";
      if (then === "destroy") {
        stopped = true;
        // Let the frames leave first, then cut the TCP connection without a close frame.
        setTimeout(() => ws.terminate(), 20);
      } else if (then === "close") {
        stopped = true;
        ws.close(1011, "scripted close");
      } else if (then === "silent") {
        stopped = true;
      } else {
        state.live.add(pushLive);
      }
    };
    function pushLive(f: ScriptFrame): void {
      if (stopped || ws.readyState !== WebSocket.OPEN) return;
      if (report.sent >= limit) return;
      next++;
      sendFrame(f);
    }
    const pump = () => {
      if (stopped || ws.readyState !== WebSocket.OPEN) return;
      let n = 0;
      while (next < frames.length && report.sent < limit && n < 200) {
        sendFrame(frames[next] as ScriptFrame);
        next++;
        n++;
        if (ws.bufferedAmount > 1024 * 1024) break;
      }
      if (next < frames.length && report.sent < limit)
        setTimeout(pump, ws.bufferedAmount > 1024 * 1024 ? 5 : 0);
      else afterScript();
    };
    pump();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      for (const state of states.values()) for (const ws of state.sockets) ws.terminate();
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
