// The request numbers' parts that need no Worker: the latency histogram
// against exact percentiles, and the per-isolate recorder (what it counts,
// what it sends, what it keeps when sending fails, the Analytics Engine
// data point). getMetrics through workerd is in test/worker/metrics.test.ts.
import { describe, expect, it } from "vitest";
import { bucketOf, quantile } from "../../src/metrics/histogram.ts";
import { RequestRecorder } from "../../src/metrics/recorder.ts";
import type { MinuteTally } from "../../src/metrics/tally.ts";

const FEED =
  "https://feeds.test/xrpc/app.bsky.feed.getFeedSkeleton?feed=at%3A%2F%2Fdid%3Aplc%3Aa%2Fapp.bsky.feed.generator%2F3k";

function histogramOf(samples: number[]): [number, number][] {
  const counts = new Map<number, number>();
  for (const s of samples) counts.set(bucketOf(s), (counts.get(bucketOf(s)) ?? 0) + 1);
  return [...counts];
}

function exact(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1] as number;
}

describe("latency histogram", () => {
  it("gives percentiles within 5% of the exact ones", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    // Long-tailed, like request latency: mostly tens of ms, a few seconds.
    const samples = Array.from({ length: 5000 }, () => Math.round(5 + 40 * (-Math.log(random())) ** 2));
    const histogram = histogramOf(samples);
    for (const q of [0.5, 0.9, 0.99]) {
      const want = exact(samples, q);
      const got = quantile(histogram, q);
      expect(Math.abs(got - want) / want, `p${q * 100}: ${got} vs ${want}`).toBeLessThan(0.05);
    }
  });

  it("keeps small whole milliseconds exact", () => {
    const histogram = histogramOf([0, 0, 1, 2, 3, 3, 3, 8, 12, 12]);
    expect(quantile(histogram, 0.2)).toBe(0);
    expect(quantile(histogram, 0.5)).toBe(3);
    expect(quantile(histogram, 0.8)).toBe(8);
    expect(quantile(histogram, 1)).toBe(12);
    expect(quantile([], 0.5)).toBe(0);
  });
});

describe("request recorder", () => {
  const minute = 29_000_000;
  const at = (second: number) => minute * 60_000 + second * 1000;

  it("counts our XRPC methods per minute with their status classes, and nothing else", async () => {
    const sent: MinuteTally[][] = [];
    const recorder = new RequestRecorder(() => ({ add: (t) => void sent.push(t) }));
    recorder.record(new URL(FEED), 12, 200, at(1));
    recorder.record(new URL(FEED), 30, 400, at(2));
    recorder.record(new URL(FEED), 900, 502, at(61));
    recorder.record(new URL("https://feeds.test/xrpc/_health"), 1, 200, at(3));
    recorder.record(new URL("https://feeds.test/xrpc/com.example.nothing"), 1, 404, at(3));
    recorder.record(new URL("https://feeds.test/.well-known/did.json"), 1, 200, at(3));
    await recorder.flush();
    expect(sent).toHaveLength(1);
    const tallies = (sent[0] as MinuteTally[]).sort((a, b) => a.minute - b.minute);
    expect(
      tallies.map((t) => [t.minute, t.method, t.requests, t.clientErrors, t.serverErrors, t.maxMs]),
    ).toEqual([
      [minute, "app.bsky.feed.getFeedSkeleton", 2, 1, 0, 30],
      [minute + 1, "app.bsky.feed.getFeedSkeleton", 1, 0, 1, 900],
    ]);
    await recorder.flush();
    expect(sent).toHaveLength(1);
  });

  it("is due to send after ten seconds with something counted", () => {
    const recorder = new RequestRecorder(() => ({ add: () => {} }));
    const start = Date.now();
    expect(recorder.due(start + 60_000)).toBe(false);
    recorder.record(new URL(FEED), 5, 200, start);
    expect(recorder.due(start + 1_000)).toBe(false);
    expect(recorder.due(start + 10_000)).toBe(true);
  });

  it("keeps what it could not send, and sends it with the next counts", async () => {
    const sent: MinuteTally[][] = [];
    let failing = true;
    const recorder = new RequestRecorder(() => ({
      add(tallies) {
        if (failing) throw new Error("object unavailable");
        sent.push(tallies);
      },
    }));
    recorder.record(new URL(FEED), 10, 200, at(1));
    await recorder.flush();
    failing = false;
    recorder.record(new URL(FEED), 20, 200, at(2));
    await recorder.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.[0]).toMatchObject({ requests: 2, maxMs: 20 });
  });

  it("writes one Analytics Engine data point per request, in the README's column layout", () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const recorder = new RequestRecorder(() => ({ add: () => {} }), {
      writeDataPoint: (p) => void points.push(p ?? {}),
    });
    recorder.record(new URL(FEED), 42, 400, at(1));
    recorder.record(new URL("https://feeds.test/xrpc/app.bsky.feed.describeFeedGenerator"), 3, 200, at(1));
    expect(points).toEqual([
      {
        indexes: ["app.bsky.feed.getFeedSkeleton"],
        blobs: ["app.bsky.feed.getFeedSkeleton", "at://did:plc:a/app.bsky.feed.generator/3k", "4xx"],
        doubles: [42, 400],
      },
      {
        indexes: ["app.bsky.feed.describeFeedGenerator"],
        blobs: ["app.bsky.feed.describeFeedGenerator", "", "2xx"],
        doubles: [3, 200],
      },
    ]);
  });
});
