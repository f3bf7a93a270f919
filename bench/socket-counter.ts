// Bench only (exported by the bench entry, bench/timed-worker.ts): the
// cheapest possible WebSocket reader in a Durable Object. It takes each frame's text (which any
// reader must), counts frames and characters and does nothing else, so
// bench:ingest can put the receiver's rate next to the ceiling of the same
// sender, the same frames and the same workerd process on this machine.
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

/** The counter's routes (/bench/socket/listen?url=…, /count, /disconnect), or null for any other request. */
export async function routeSocketCounter(
  request: Request,
  namespace: DurableObjectNamespace<SocketCounter>,
): Promise<Response | null> {
  const url = new URL(request.url);
  const counter = namespace.getByName("counter");
  if (url.pathname === "/bench/socket/listen") await counter.listen(url.searchParams.get("url") ?? "");
  else if (url.pathname === "/bench/socket/disconnect") await counter.disconnect();
  else if (url.pathname === "/bench/socket/count") return Response.json(await counter.counted());
  else return null;
  return new Response(null, { status: 204 });
}
