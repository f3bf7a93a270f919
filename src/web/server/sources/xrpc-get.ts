// One XRPC GET for a page being rendered: a single short attempt (a page does
// not wait for retries), behind the same per-host circuit breaker that
// requestIndex uses, so a dead server costs nothing once it is known dead.
import { circuitOpen, recordFailure, recordSuccess } from "../../../net/circuit.ts";

export const PAGE_FETCH_TIMEOUT_MS = 2_000;

export interface XrpcAnswer {
  status: number;
  body: { error?: string; [key: string]: unknown };
}

/** The server could not be reached or failed (5xx, 429, timeout). */
export class UnreachableError extends Error {}

export async function xrpcGet(
  service: URL,
  nsid: string,
  params: [string, string][],
  timeoutMs = PAGE_FETCH_TIMEOUT_MS,
): Promise<XrpcAnswer> {
  const host = service.host;
  if (circuitOpen(host)) throw new UnreachableError(`${host} is not answering (retrying later)`);
  const url = new URL(`/xrpc/${nsid}`, service);
  for (const [name, value] of params) url.searchParams.append(name, value);
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json" },
    });
  } catch (err) {
    recordFailure(host);
    const timedOut = err instanceof Error && err.name === "TimeoutError";
    throw new UnreachableError(`${host} ${timedOut ? "did not answer in time" : "could not be reached"}`);
  }
  if (res.status >= 500 || res.status === 429) {
    recordFailure(host);
    await res.body?.cancel();
    throw new UnreachableError(`${host} answered ${res.status}`);
  }
  recordSuccess(host);
  const body = (await res.json().catch(() => ({}))) as XrpcAnswer["body"];
  return { status: res.status, body };
}
