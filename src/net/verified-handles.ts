// The handle a page shows for a DID, verified both ways as the AppView does
// (@atproto-labs/identity-resolver): the DID document names the handle
// (alsoKnownAs), and the handle resolves back to the DID, by DNS TXT
// (_atproto.<handle>, over HTTPS) or https://<handle>/.well-known/atproto-did.
// The DID's own PDS is not asked: a self-hosted PDS can claim any handle.
// Every fetch goes through the guard. DID documents come from the Worker's one
// DID resolver (cached there); handle → DID answers are cached for 10 minutes
// by the library; the pages cache the verified handle (src/web/server/hydrate.ts).
import type { DidResolver as IdentityDidResolver } from "@atproto/identity";
import {
  type AtprotoIdentityDidMethods,
  type Did,
  type DidResolver,
  isAtprotoDid,
  type ResolvedDocument,
} from "@atproto-labs/did-resolver";
import {
  AtprotoDohHandleResolver,
  CachedHandleResolver,
  type HandleResolver,
  XrpcHandleResolver,
} from "@atproto-labs/handle-resolver";
import { AtprotoIdentityResolver, HANDLE_INVALID } from "@atproto-labs/identity-resolver";
import { guardedFetcher } from "./guarded-fetch.ts";
import { isLocalDevelopmentHost } from "./hosts.ts";

/** The DNS-over-HTTPS service (JSON API) handles are looked up with unless told otherwise. */
export const DEFAULT_DOH_URL = "https://cloudflare-dns.com/dns-query";
const HANDLE_TIMEOUT_MS = 2_000;

export interface HandleVerifierOptions {
  /** Local development (ALLOW_PRIVATE_PDS): see `handlesFor`. */
  allowPrivate: boolean;
  /** The DNS-over-HTTPS endpoint (Google-flavoured JSON), DEFAULT_DOH_URL when absent. */
  dohUrl?: string;
}

/** The labs resolver's view of the Worker's one DID resolver, so a document is fetched and cached once. */
function sharedDidResolver(dids: IdentityDidResolver): DidResolver<AtprotoIdentityDidMethods> {
  return {
    async resolve<D extends Did>(did: D) {
      // @atproto/identity checked the document's shape and that its id is `did`;
      // the two libraries only type the same JSON differently.
      return (await dids.ensureResolve(did)) as unknown as ResolvedDocument<D, AtprotoIdentityDidMethods>;
    },
  };
}

export class HandleVerifier {
  private readonly dids: IdentityDidResolver;
  private readonly didResolver: DidResolver<AtprotoIdentityDidMethods>;
  private readonly allowPrivate: boolean;
  private readonly fetch: typeof fetch;
  private readonly publicHandles: HandleResolver;

  constructor(dids: IdentityDidResolver, options: HandleVerifierOptions) {
    const dohUrl = options.dohUrl ?? DEFAULT_DOH_URL;
    this.dids = dids;
    this.didResolver = sharedDidResolver(dids);
    this.allowPrivate = options.allowPrivate;
    this.fetch = guardedFetcher({
      allowPrivate: options.allowPrivate,
      // The DNS service is the operator's choice; handle hosts are judged like any other.
      trusted: [new URL(dohUrl).origin],
      what: "handle host",
      timeoutMs: HANDLE_TIMEOUT_MS,
    });
    this.publicHandles = new CachedHandleResolver(
      new AtprotoDohHandleResolver({ dohEndpoint: dohUrl, fetch: this.fetch }),
    );
  }

  /**
   * The handle `did` and its handle's DNS or well-known file agree on, or
   * null when there is none. Throws when the DID itself cannot be resolved.
   */
  async verifiedHandle(did: string): Promise<string | null> {
    if (!isAtprotoDid(did)) return null;
    const identity = new AtprotoIdentityResolver(this.didResolver, this.handlesFor(did));
    const { handle } = await identity.resolveFromDid(did);
    return handle === HANDLE_INVALID ? null : handle;
  }

  /**
   * Names reserved for tests (alice.test) never resolve on the public
   * internet. In local development only, such a handle is resolved by the PDS
   * the DID document names, as @atproto/dev-env resolves its handles; every
   * other handle, and every handle in production, goes to DNS and well-known.
   */
  private handlesFor(did: string): HandleResolver {
    if (!this.allowPrivate) return this.publicHandles;
    return {
      resolve: async (handle, options) => {
        if (!isLocalDevelopmentHost(handle)) return this.publicHandles.resolve(handle, options);
        const { pds } = await this.dids.resolveAtprotoData(did);
        return new XrpcHandleResolver(pds, { fetch: this.fetch }).resolve(handle, options);
      },
    };
  }
}
