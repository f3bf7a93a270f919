// A per-host circuit breaker: after FAILURE_THRESHOLD consecutive failures a
// host is left alone for OPEN_MS, so one dead PDS cannot tie up every request
// that touches it. Kept per isolate, which is enough to shed load.

const FAILURE_THRESHOLD = 5;
const OPEN_MS = 30_000;

interface HostState {
  failures: number;
  openUntil: number;
}

const hosts = new Map<string, HostState>();

export function circuitOpen(host: string, now = Date.now()): boolean {
  const state = hosts.get(host);
  return state !== undefined && state.openUntil > now;
}

export function recordSuccess(host: string): void {
  hosts.delete(host);
}

export function recordFailure(host: string, now = Date.now()): void {
  const state = hosts.get(host) ?? { failures: 0, openUntil: 0 };
  state.failures++;
  if (state.failures >= FAILURE_THRESHOLD) {
    state.openUntil = now + OPEN_MS;
    state.failures = 0;
  }
  hosts.set(host, state);
}

/** For tests: forget every host. */
export function resetCircuits(): void {
  hosts.clear();
}
