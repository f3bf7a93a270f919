// Times every XRPC request this isolate answers. Each request is one data
// point in Workers Analytics Engine (when REQUEST_ANALYTICS is bound: the
// time series behind the dashboards, see analytics.ts) and one count in this
// isolate's per-minute tallies, which go to the RequestMetrics object every
// few seconds: that is what getMetrics reports, locally and in production.
import { ids } from "../lexicon/lexicons.ts";
import { writeRequestPoint } from "./analytics.ts";
import { count, emptyTally, type MinuteTally, merge, minuteOf } from "./tally.ts";

/** How often an isolate sends its tallies (a busy isolate: one write per interval). */
const FLUSH_MS = 10_000;
/** Our XRPC methods: a request for anything else (scanners, typos) is not counted. */
const METHODS: ReadonlySet<string> = new Set(Object.values(ids));

/** Where the tallies go: the RequestMetrics object. */
export interface TallyStore {
  add(tallies: MinuteTally[]): Promise<void> | void;
}

/** The XRPC method a request URL calls, if it is one of ours. */
export function methodOf(url: URL): string | undefined {
  if (!url.pathname.startsWith("/xrpc/")) return undefined;
  const method = url.pathname.slice("/xrpc/".length);
  return METHODS.has(method) ? method : undefined;
}

export class RequestRecorder {
  private pending = new Map<string, MinuteTally>();
  private lastFlush = Date.now();
  private sending: Promise<void> | null = null;

  constructor(
    private readonly store: () => TallyStore,
    private readonly analytics?: AnalyticsEngineDataset,
  ) {}

  record(url: URL, ms: number, status: number, now = Date.now()): void {
    const method = methodOf(url);
    if (!method) return;
    const minute = minuteOf(now);
    const key = `${minute} ${method}`;
    const tally = this.pending.get(key) ?? emptyTally(minute, method);
    count(tally, ms, status);
    this.pending.set(key, tally);
    if (this.analytics) writeRequestPoint(this.analytics, { method, url, ms, status });
  }

  /** Whether the tallies are due to be sent. */
  due(now = Date.now()): boolean {
    return this.pending.size > 0 && now - this.lastFlush >= FLUSH_MS;
  }

  /** Sends everything counted so far; what fails to go is kept for the next time. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.lastFlush = Date.now();
    const sending = this.send(batch);
    this.sending = sending;
    await sending;
    if (this.sending === sending) this.sending = null;
  }

  private async send(batch: Map<string, MinuteTally>): Promise<void> {
    try {
      await this.store().add([...batch.values()]);
    } catch (err) {
      for (const [key, tally] of batch) {
        const kept = this.pending.get(key);
        if (kept) merge(kept, tally);
        else this.pending.set(key, tally);
      }
      console.warn(JSON.stringify({ event: "request_metrics_flush_failed", error: String(err) }));
    }
  }
}

type Fetch = (request: Request, env: unknown, ctx: ExecutionContext) => Response | Promise<Response>;

/** The Worker's fetch handler, timed: each XRPC request is recorded once answered. */
export function timeRequests(handler: Fetch, recorder: RequestRecorder): Fetch {
  return async (request, env, ctx) => {
    const started = Date.now();
    let status = 500;
    try {
      const response = await handler(request, env, ctx);
      status = response.status;
      return response;
    } finally {
      recorder.record(new URL(request.url), Date.now() - started, status);
      if (recorder.due()) ctx.waitUntil(recorder.flush());
    }
  };
}
