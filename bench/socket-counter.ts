// Bench only (bench/socket-counter.wrangler.toml): the cheapest possible
// WebSocket reader in a Durable Object. It takes each frame's text (which any
// reader must), counts frames and characters and does nothing else, so
// bench:ingest can put the receiver's rate next to the ceiling of the same
// sender, the same frames and the same runtime on this machine.
import { DurableObject } from "cloudflare:workers";

interface Env {
  SOCKET_COUNTER: DurableObjectNamespace<SocketCounter>;
}

export interface SocketCount {
  frames: number;
  chars: number;
  /** Date.now() at the first and the last frame. */
  firstAt: number;
  lastAt: number;
}

export class SocketCounter extends DurableObject<Env> {
  private socket: WebSocket | null = null;
  private count: SocketCount = { frames: 0, chars: 0, firstAt: 0, lastAt: 0 };

  listen(url: string): void {
    this.socket?.close();
    this.count = { frames: 0, chars: 0, firstAt: 0, lastAt: 0 };
    const ws = new WebSocket(url);
    ws.addEventListener("message", (event: MessageEvent) => {
      const now = Date.now();
      this.count.chars += typeof event.data === "string" ? event.data.length : 0;
      if (this.count.frames++ === 0) this.count.firstAt = now;
      this.count.lastAt = now;
    });
    this.socket = ws;
  }

  counted(): SocketCount {
    return this.count;
  }

  disconnect(): void {
    this.socket?.close();
    this.socket = null;
  }
}

/** Driven by the bench through routes: /listen?url=…, /count, /disconnect. */
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const counter = env.SOCKET_COUNTER.getByName("counter");
    if (url.pathname === "/listen") await counter.listen(url.searchParams.get("url") ?? "");
    else if (url.pathname === "/disconnect") await counter.disconnect();
    else if (url.pathname === "/count") return Response.json(await counter.counted());
    else return new Response("not found", { status: 404 });
    return new Response(null, { status: 204 });
  },
} satisfies ExportedHandler<Env>;
