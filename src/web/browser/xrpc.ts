// XRPC calls, typed by the generated lexicon types (types only: nothing of the
// generated client is bundled). Three destinations: the signed-in user's own
// PDS, this Worker through the user's PDS (atproto-proxy, so the Worker learns
// who is calling), and this Worker directly for public reads.
import type { WebConfig } from "./config.ts";
import { Problem, problemFromResponse } from "./errors.ts";
import type { Session } from "./session.ts";

type Params = Record<string, string | number | string[] | undefined>;

function query(params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

interface Call {
  /** What is being done, for messages: "posting", "joining". */
  doing: string;
  params?: Params;
  /** A JSON body makes the call a procedure (POST). */
  input?: unknown;
}

async function answer<T>(res: Response, who: string, doing: string): Promise<T> {
  if (!res.ok) throw await problemFromResponse(res, who, doing);
  return (await res.json()) as T;
}

function init(call: Call, headers: Record<string, string> = {}): RequestInit {
  return call.input === undefined
    ? { headers }
    : {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(call.input),
      };
}

/** A method of the user's own PDS, with their session. */
export async function own<T>(session: Session, nsid: string, call: Call): Promise<T> {
  const res = await session.fetch(`/xrpc/${nsid}${query(call.params)}`, init(call));
  return answer<T>(res, `Your server (${session.pdsHost})`, call.doing);
}

/** A method of this Worker, forwarded by the user's PDS with a service-auth token for the user. */
export async function proxied<T>(session: Session, config: WebConfig, nsid: string, call: Call): Promise<T> {
  const res = await session.fetch(
    `/xrpc/${nsid}${query(call.params)}`,
    init(call, { "atproto-proxy": config.proxy }),
  );
  return answer<T>(res, "Atrarium (through your server)", call.doing);
}

/** A public method of this Worker. */
export async function worker<T>(nsid: string, call: Call): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/xrpc/${nsid}${query(call.params)}`, init(call));
  } catch {
    throw new Problem("network", `Atrarium could not be reached while ${call.doing}. Check your connection.`);
  }
  return answer<T>(res, "Atrarium", call.doing);
}
