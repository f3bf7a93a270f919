// Bench only: many clients at once against one URL, each a closed loop with
// one request in flight (it sends the next as soon as the last answer is
// read), for a set time. On this 2-core machine the clients are async loops in
// the bench's one Node process, not threads or processes: 200 of them keep
// 200 requests in flight over keep-alive connections while costing the client
// side about one core, so the Worker (one workerd isolate) is what saturates.
// The client's own CPU time is reported next to the rate, so a client-bound
// run shows itself.

export interface LoadResult {
  requests: number;
  perSecond: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time the bench process spent per wall-clock second (1 = one core busy). */
  clientCores: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number);

/**
 * `clients` closed loops on `url` for `seconds`; `inspect`, when given, sees
 * the body of every answer and when it arrived (the server answers when it
 * has handled the request: time spent waiting is before that).
 */
export async function closedLoop(
  url: string,
  clients: number,
  seconds: number,
  inspect?: (body: string, receivedAt: number) => void,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          const res = await fetch(url);
          const body = await res.text();
          const receivedAt = performance.now();
          if (res.status === 200) {
            latencies.push(receivedAt - t0);
            inspect?.(body, receivedAt);
          } else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSecond: latencies.length / wallS,
    errors,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    clientCores: (cpu.user + cpu.system) / 1e6 / wallS,
  };
}
