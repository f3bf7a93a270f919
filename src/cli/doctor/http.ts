// The doctor's requests: plain HTTP as the AppView or a PDS makes it, timed,
// with a failure to connect told apart from an answer.

export interface Answer {
  status: number;
  /** Milliseconds from sending to the whole body. */
  ms: number;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  text: string;
}

/** No answer at all: refused, unresolvable, timed out, bad certificate. */
export class Unreachable extends Error {}

/**
 * The server closed the connection: a reset, or undici's "other side closed"
 * (UND_ERR_SOCKET), which is what a kept-alive connection to a server that has
 * since stopped gives.
 */
const CLOSED = new Set(["ECONNRESET", "UND_ERR_SOCKET"]);

function reasonOf(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError"))
    return `no answer within ${timeoutMs / 1000} s`;
  const cause =
    err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code !== undefined && CLOSED.has(cause.code)) return "connection reset";
  if (cause?.code === "ENOTFOUND") return "the host name does not resolve";
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

export async function request(
  url: string,
  init: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  const timeoutMs = init.timeoutMs ?? 15_000;
  const started = performance.now();
  let text: string;
  let status: number;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, {
        ...(init.headers ? { headers: init.headers } : {}),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      text = await res.text();
      break;
    } catch (err) {
      // A kept-alive connection the server has since closed: ask once more on a new one.
      const code = (err as { cause?: { code?: string } }).cause?.code;
      const reset = code !== undefined && CLOSED.has(code);
      if (!reset || attempt > 1) throw new Unreachable(reasonOf(err, timeoutMs), { cause: err });
    }
  }
  const ms = Math.round(performance.now() - started);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, ms, json, text };
}

/** An XRPC error's message, or the start of whatever else came back. */
export function errorOf(answer: Answer): string {
  const body = answer.json as { error?: unknown; message?: unknown } | undefined;
  if (body && typeof body.error === "string")
    return `${body.error}${typeof body.message === "string" ? `: ${body.message}` : ""}`;
  return answer.text.slice(0, 200).trim() || `HTTP ${answer.status}`;
}
