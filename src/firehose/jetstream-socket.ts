// The one WebSocket to Jetstream, as the receiver sees it: opened, a frame,
// gone (closed or failed, once). Once closed from our side it reports
// nothing more, so the frames of a replaced socket never reach the receiver.

export interface SocketHandlers {
  opened(): void;
  frame(data: unknown): void;
  /** The socket closed or failed on its own; called at most once. */
  gone(reason: string): void;
}

export class JetstreamSocket {
  private readonly ws: WebSocket;
  private closed = false;
  private openedAt = 0;

  /** Connects to `url`; throws when the URL cannot be connected to at all. */
  constructor(url: string, handlers: SocketHandlers) {
    this.ws = new WebSocket(url);
    this.ws.addEventListener("open", () => {
      if (this.closed) return;
      this.openedAt = Date.now();
      handlers.opened();
    });
    this.ws.addEventListener("message", (ev: MessageEvent) => {
      if (!this.closed) handlers.frame(ev.data);
    });
    this.ws.addEventListener("close", (ev: CloseEvent) => {
      if (!this.closed) handlers.gone(`socket closed (${ev.code}${ev.reason ? ` ${ev.reason}` : ""})`);
    });
    this.ws.addEventListener("error", (ev: Event) => {
      const message = (ev as ErrorEvent).message;
      if (!this.closed) handlers.gone(`socket error${message ? `: ${message}` : ""}`);
    });
  }

  /** Whether the connection is open (and not closed from our side). */
  get connected(): boolean {
    return !this.closed && this.openedAt > 0;
  }

  /** When the connection opened (0 while connecting). */
  get connectedAt(): number {
    return this.openedAt;
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const close = () => {
      try {
        this.ws.close(1000, reason.slice(0, 100));
      } catch {
        // already closed
      }
    };
    // Closing a socket that is still connecting makes workerd log an exception: close it once open.
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.addEventListener("open", close);
    else close();
  }
}
