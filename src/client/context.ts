// What every part of the client shares: the options, the fetch with its
// timeout, the generated XRPC client pointed at the Worker, the signed-in
// session (if any) and identity resolution. The AtrariumClient facade makes
// one of these; the query and write modules take it as their first argument.
import type { Agent } from "@atproto/api";
import type { IdResolver } from "@atproto/identity";
import { AtrariumError, toAtrariumError } from "./errors.ts";
import { createIdResolver, Identity } from "./identity.ts";
import { AtpBaseClient } from "./lexicon/index.ts";

/** How an AtrariumClient reaches the Worker, the user's session and the identity directory. */
export interface AtrariumClientOptions {
  /** Base URL of the Atrarium Worker, e.g. http://127.0.0.1:8787. */
  service: string | URL;
  /**
   * The signed-in user's session, needed for writes and service auth: an
   * AtpAgent after login, or an Agent over an OAuth session.
   */
  agent?: Agent;
  /** The Worker's service DID. Learned from describeFeedGenerator when omitted. */
  serviceDid?: string;
  /** PLC directory for did:plc resolution (default https://plc.directory). */
  plcUrl?: string;
  /** A resolver of your own (takes precedence over plcUrl). */
  idResolver?: IdResolver;
  /** Ask the Worker to index each record right after writing it (default true). */
  requestIndex?: boolean;
  /** Called with each warning as it happens (warnings are also returned in results). */
  onWarning?: (message: string) => void;
  /** Timeout of each request to the Worker or a foreign PDS, in ms (default 10 000). */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** The signed-in account: its agent, the generated client over it, and its DID. */
export interface Session {
  agent: Agent;
  own: AtpBaseClient;
  did: string;
}

/** The state the client's modules share; internal (not exported from index.ts). */
export class ClientContext {
  readonly options: AtrariumClientOptions;
  /** Origin of the Worker. */
  readonly serviceUrl: string;
  /** fetch with the per-request timeout applied. */
  readonly fetch: typeof globalThis.fetch;
  /** The generated XRPC client pointed at the Worker. */
  readonly worker: AtpBaseClient;
  readonly agent?: Agent;
  /** The generated client, routed through the user's own session and PDS. */
  readonly own?: AtpBaseClient;
  readonly identity: Identity;
  /** Memo of the Worker's service DID (see service.ts). */
  serviceDidPromise: Promise<string> | undefined;

  constructor(options: AtrariumClientOptions) {
    this.options = options;
    this.serviceUrl = new URL(options.service).origin;
    const baseFetch = options.fetch ?? globalThis.fetch;
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = (input, init) =>
      baseFetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
    this.worker = new AtpBaseClient({ service: this.serviceUrl, fetch: this.fetch });
    const agent = options.agent;
    if (agent) {
      this.agent = agent;
      this.own = new AtpBaseClient((url, init) => agent.fetchHandler(url, init));
    }
    this.identity = new Identity({
      idResolver: options.idResolver ?? createIdResolver(options.plcUrl),
      ...(agent ? { agent } : {}),
      fetch: this.fetch,
    });
  }

  /** The signed-in session, or an "auth" error saying what it was needed for. */
  session(action: string): Session {
    const did = this.agent?.did;
    if (!this.agent || !this.own || !did) {
      throw new AtrariumError("auth", `Sign in first to ${action} (atrarium login)`);
    }
    return { agent: this.agent, own: this.own, did };
  }

  /** How errors name the Worker. */
  get workerName(): string {
    return `the Atrarium service at ${this.serviceUrl}`;
  }

  /** Runs a call to the Worker, turning its failures into AtrariumErrors. */
  async onWorker<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw toAtrariumError(err, what, this.workerName);
    }
  }

  /** Records a warning in a result and reports it to onWarning. */
  warn(warnings: string[], message: string): void {
    warnings.push(message);
    this.options.onWarning?.(message);
  }
}
