// The one XRPC GET of the Worker, through the guarded fetch: the sync path
// (requestIndex, resync) asks with retries and a 5 s deadline, a page being
// rendered asks once within 2 s. Either way an answer is one of three things:
// a JSON object (2xx), the server's definite no (another 4xx, with its XRPC
// error name when it gave one), or an outage, thrown as UnreachableError
// once the attempts are spent (network failure, timeout, 5xx, 429, or a 2xx
// whose body is no JSON object).
import { type GuardOptions, guardedFetch, UnreachableError } from "./guarded-fetch.ts";

export interface XrpcGetOptions extends GuardOptions {
  /** How many times an outage is tried (default 1). */
  attempts?: number;
}

export type XrpcAnswer =
  | { ok: true; status: number; body: Record<string, unknown> }
  | { ok: false; status: number; error?: string; message?: string };

const BACKOFF_MS = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A JSON object: not null, not an array. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export async function xrpcGet(
  service: URL,
  nsid: string,
  params: Iterable<[string, string]>,
  options: XrpcGetOptions,
): Promise<XrpcAnswer> {
  const url = new URL(`/xrpc/${nsid}`, service);
  for (const [name, value] of params) url.searchParams.append(name, value);
  const attempts = options.attempts ?? 1;
  let outage = new UnreachableError(url.host, "was not asked");
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(BACKOFF_MS * 2 ** (attempt - 1) * (1 + Math.random()));
    try {
      return await answerOf(
        url.host,
        await guardedFetch(url, { headers: { accept: "application/json" } }, options),
      );
    } catch (err) {
      if (!(err instanceof UnreachableError) || !err.retryable) throw err;
      outage = err;
    }
  }
  throw outage;
}

async function answerOf(host: string, res: Response): Promise<XrpcAnswer> {
  if (res.status >= 500 || res.status === 429) {
    await res.body?.cancel();
    throw new UnreachableError(host, `answered ${res.status}`);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (res.ok) {
    if (!isJsonObject(body)) throw new UnreachableError(host, `answered ${res.status} without a JSON object`);
    return { ok: true, status: res.status, body };
  }
  const { error, message } = isJsonObject(body) ? body : {};
  return {
    ok: false,
    status: res.status,
    ...(typeof error === "string" ? { error } : {}),
    ...(typeof message === "string" ? { message } : {}),
  };
}
