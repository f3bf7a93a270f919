// Identity resolution for the client and the command line: handles to DIDs,
// DIDs to their PDS, and the handle an account's PDS reports. One IdResolver
// setup for both, so a local PLC works the same everywhere.
import { type Agent, AtpAgent } from "@atproto/api";
import { IdResolver } from "@atproto/identity";
import { isLoopbackHost } from "../net/hosts.ts";
import { parseActor } from "./addresses.ts";
import { AtrariumError, isNetworkFailure, toAtrariumError } from "./errors.ts";

/** The public PLC directory, used when no other is given. */
export const DEFAULT_PLC_URL = "https://plc.directory";

/** True for a URL on this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopback(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * An IdResolver for a PLC directory. A PLC on loopback (local development)
 * cannot pass the SSRF-safe default fetch, so it gets the plain one.
 */
export function createIdResolver(plcUrl: string = DEFAULT_PLC_URL): IdResolver {
  return new IdResolver({ plcUrl, ...(isLoopback(plcUrl) ? { fetch: globalThis.fetch } : {}) });
}

/** What Identity resolves with. */
export interface IdentityOptions {
  /** Resolves DIDs and, without a session, handles. */
  idResolver: IdResolver;
  /** The signed-in session: handles are resolved through its PDS. */
  agent?: Agent;
  /** Used for describeRepo on other people's PDSes. */
  fetch: typeof globalThis.fetch;
}

/** Resolves actors with caches that live as long as the client. */
export class Identity {
  readonly idResolver: IdResolver;
  private readonly agent?: Agent;
  private readonly fetch: typeof globalThis.fetch;
  private readonly pdsCache = new Map<string, Promise<string>>();
  private readonly handleCache = new Map<string, Promise<string | undefined>>();

  constructor(options: IdentityOptions) {
    this.idResolver = options.idResolver;
    if (options.agent) this.agent = options.agent;
    this.fetch = options.fetch;
  }

  /** A DID for a DID or handle (handles are resolved through the user's PDS, or DNS/HTTPS without one). */
  async resolveActor(input: string): Promise<string> {
    const ref = parseActor(input);
    if ("did" in ref) return ref.did;
    const { handle } = ref;
    try {
      if (this.agent) {
        const res = await this.agent.com.atproto.identity.resolveHandle({ handle });
        return res.data.did;
      }
      const did = await this.idResolver.handle.resolve(handle);
      if (!did) throw new AtrariumError("not_found", `No account has the handle ${handle}`);
      return did;
    } catch (err) {
      const e = toAtrariumError(err, `resolving the handle ${handle}`, "the handle resolver");
      if (e.kind === "invalid" || e.kind === "not_found") {
        throw new AtrariumError("not_found", `No account has the handle ${handle}`, { cause: err });
      }
      throw e;
    }
  }

  /** The PDS endpoint of a DID, from its DID document. */
  async resolvePds(did: string): Promise<string> {
    let found = this.pdsCache.get(did);
    if (!found) {
      found = this.idResolver.did.resolveAtprotoData(did).then((data) => data.pds);
      this.pdsCache.set(did, found);
      found.catch(() => this.pdsCache.delete(did));
    }
    try {
      return await found;
    } catch (err) {
      throw new AtrariumError(
        isNetworkFailure(err) ? "network" : "not_found",
        `Could not find the PDS of ${did} (${err instanceof Error ? err.message : String(err)}); for a local PLC pass --plc URL`,
        { cause: err },
      );
    }
  }

  /** The handle an account's own PDS reports for it (describeRepo), if any. */
  handleOf(did: string): Promise<string | undefined> {
    let found = this.handleCache.get(did);
    if (!found) {
      found = this.describeHandle(did).catch(() => undefined);
      this.handleCache.set(did, found);
    }
    return found;
  }

  private async describeHandle(did: string): Promise<string | undefined> {
    const agent = this.agent;
    if (agent && did === agent.did) {
      return (await agent.com.atproto.repo.describeRepo({ repo: did })).data.handle;
    }
    let service: string;
    try {
      service = await this.resolvePds(did);
    } catch {
      // Unresolvable DID: the user's own PDS may host it too (as in a local setup).
      if (!agent) return undefined;
      return (await agent.com.atproto.repo.describeRepo({ repo: did })).data.handle;
    }
    const anon = new AtpAgent({ service, fetch: this.fetch });
    return (await anon.com.atproto.repo.describeRepo({ repo: did })).data.handle;
  }
}
