import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import type { MethodLatency } from "../lexicon/types/com/atrarium/admin/getMetrics.ts";
import { migrate, Sql } from "../storage.ts";
import { quantile } from "./histogram.ts";
import { type MinuteTally, minuteOf } from "./tally.ts";

/** How much history is kept: the longest window getMetrics offers. */
export const KEPT_MINUTES = 60;

const MIGRATIONS = [
  {
    version: 1,
    description: "per minute and method: request counts and a latency histogram",
    sql: `
  CREATE TABLE requests (
    minute INTEGER NOT NULL, method TEXT NOT NULL, requests INTEGER NOT NULL, client_errors INTEGER NOT NULL,
    server_errors INTEGER NOT NULL, max_ms INTEGER NOT NULL, PRIMARY KEY (minute, method)
  );
  CREATE TABLE latency (
    minute INTEGER NOT NULL, method TEXT NOT NULL, bucket INTEGER NOT NULL, requests INTEGER NOT NULL,
    PRIMARY KEY (minute, method, bucket)
  );
  `,
  },
];

/**
 * The Worker's request latency over the last hour, summed over every isolate
 * (each sends its tallies every few seconds; see recorder.ts). One object for
 * the whole deployment: it takes one small write per isolate and interval,
 * never one per request.
 */
export class RequestMetrics extends DurableObject<Env> {
  private readonly sql: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = new Sql(ctx.storage.sql);
    migrate(ctx.storage, MIGRATIONS);
  }

  add(tallies: MinuteTally[]): void {
    this.ctx.storage.transactionSync(() => {
      for (const t of tallies) {
        this.sql.run`INSERT INTO requests (minute, method, requests, client_errors, server_errors, max_ms)
          VALUES (${t.minute}, ${t.method}, ${t.requests}, ${t.clientErrors}, ${t.serverErrors}, ${t.maxMs})
          ON CONFLICT (minute, method) DO UPDATE SET requests = requests + excluded.requests,
            client_errors = client_errors + excluded.client_errors,
            server_errors = server_errors + excluded.server_errors, max_ms = max(max_ms, excluded.max_ms)`;
        for (const [bucket, n] of Object.entries(t.buckets))
          this.sql.run`INSERT INTO latency (minute, method, bucket, requests)
            VALUES (${t.minute}, ${t.method}, ${Number(bucket)}, ${n})
            ON CONFLICT (minute, method, bucket) DO UPDATE SET requests = requests + excluded.requests`;
      }
      const oldest = minuteOf(Date.now()) - KEPT_MINUTES;
      this.sql.run`DELETE FROM requests WHERE minute < ${oldest}`;
      this.sql.run`DELETE FROM latency WHERE minute < ${oldest}`;
    });
  }

  /** Each method's counts and percentiles over the last `minutes` minutes (the current one included). */
  latency(minutes: number): MethodLatency[] {
    const from = minuteOf(Date.now()) - Math.min(Math.max(1, minutes), KEPT_MINUTES) + 1;
    const totals = this.sql.all<{
      method: string;
      requests: number;
      client_errors: number;
      server_errors: number;
      max_ms: number;
    }>`SELECT method, sum(requests) AS requests, sum(client_errors) AS client_errors,
        sum(server_errors) AS server_errors, max(max_ms) AS max_ms
      FROM requests WHERE minute >= ${from} GROUP BY method ORDER BY method`;
    const buckets = new Map<string, [number, number][]>();
    for (const row of this.sql.all<{ method: string; bucket: number; requests: number }>`
        SELECT method, bucket, sum(requests) AS requests FROM latency WHERE minute >= ${from}
        GROUP BY method, bucket`) {
      const list = buckets.get(row.method) ?? [];
      list.push([row.bucket, row.requests]);
      buckets.set(row.method, list);
    }
    return totals.map((t) => {
      const histogram = buckets.get(t.method) ?? [];
      // A bucket's upper edge can lie above the slowest request in it.
      const at = (q: number) => Math.min(quantile(histogram, q), t.max_ms);
      return {
        method: t.method,
        requests: t.requests,
        clientErrors: t.client_errors,
        serverErrors: t.server_errors,
        p50Ms: at(0.5),
        p90Ms: at(0.9),
        p99Ms: at(0.99),
        maxMs: t.max_ms,
      };
    });
  }
}
