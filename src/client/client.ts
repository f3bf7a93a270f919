// The typed Atrarium client. Records are written into the signed-in user's own
// repo through their own session (an @atproto/api Agent); the Atrarium Worker
// is only ever asked to *read* them (requestIndex) and to answer queries, so it
// never sees a password or a session. Reads of other people's records go to
// their own PDS, found through DID resolution.
import { type Agent, AtpAgent, RichText } from "@atproto/api";
import { IdResolver } from "@atproto/identity";
import { isValidDid } from "@atproto/syntax";
import {
  type Validation,
  validateCommunityConfig,
  validateMembership,
  validateModerationAction,
} from "../records/validate.ts";
import { AtrariumError, isNetworkFailure, toAtrariumError } from "./errors.ts";
import { AtpBaseClient } from "./lexicon/index.ts";
import type * as AppBskyFeedGetFeedSkeleton from "./lexicon/types/app/bsky/feed/getFeedSkeleton.ts";
import type * as ComAtrariumAdminGetFirehoseStatus from "./lexicon/types/com/atrarium/admin/getFirehoseStatus.ts";
import type * as ConfigLex from "./lexicon/types/com/atrarium/community/config.ts";
import type * as ComAtrariumCommunityDefs from "./lexicon/types/com/atrarium/community/defs.ts";
import type * as ComAtrariumCommunityGetMembers from "./lexicon/types/com/atrarium/community/getMembers.ts";
import type * as ComAtrariumCommunityGetMembership from "./lexicon/types/com/atrarium/community/getMembership.ts";
import type * as ComAtrariumCommunityListCommunities from "./lexicon/types/com/atrarium/community/listCommunities.ts";
import type * as MembershipLex from "./lexicon/types/com/atrarium/community/membership.ts";
import type * as ActionLex from "./lexicon/types/com/atrarium/moderation/action.ts";
import type * as ComAtrariumModerationGetActions from "./lexicon/types/com/atrarium/moderation/getActions.ts";
import type * as ComAtrariumSyncRequestIndex from "./lexicon/types/com/atrarium/sync/requestIndex.ts";
import {
  ACTION_COLLECTION,
  CONFIG_COLLECTION,
  feedUriFor,
  GENERATOR_COLLECTION,
  generateHashtag,
  graphemeLength,
  MEMBERSHIP_COLLECTION,
  nextTid,
  POST_COLLECTION,
  parseActor,
  parseCommunityUri,
  parsePostRef,
  parseRecordUri,
  type TagFacet,
  truncateGraphemes,
  utf8Length,
  withHashtag,
} from "./text.ts";

export type CommunityConfig = ConfigLex.Record;
export type FeedMix = ConfigLex.FeedMix;
export type MembershipRecord = MembershipLex.Record;
export type ModerationActionRecord = ActionLex.Record;
export type CommunityView = ComAtrariumCommunityDefs.CommunityView;
export type MemberView = ComAtrariumCommunityDefs.MemberView;
export type ActionView = ComAtrariumCommunityDefs.ActionView;
export type MembershipStatus = ComAtrariumCommunityGetMembership.OutputSchema;
export type MembersPage = ComAtrariumCommunityGetMembers.OutputSchema;
export type CommunitiesPage = ComAtrariumCommunityListCommunities.OutputSchema;
export type ActionsPage = ComAtrariumModerationGetActions.OutputSchema;
export type FeedSkeleton = AppBskyFeedGetFeedSkeleton.OutputSchema;
export type RequestIndexResult = ComAtrariumSyncRequestIndex.OutputSchema;
export type FirehoseStatus = ComAtrariumAdminGetFirehoseStatus.OutputSchema;
export type Stage = CommunityConfig["stage"];
export type ModerationActionName = "hide_post" | "unhide_post" | "block_user" | "unblock_user";

/** A record as read from a repo. */
export interface RecordEntry<T> {
  uri: string;
  cid: string;
  value: T;
}

/** What every write returns besides its own fields. */
export interface WriteOutcome {
  /** requestIndex answers, one per record URI the Worker was asked to index. */
  indexed: RequestIndexResult[];
  /** Things that did not stop the write but deserve a look (e.g. the Worker is down). */
  warnings: string[];
}

export interface CreateCommunityInput {
  name: string;
  description?: string;
  /** Default "theme". */
  stage?: Stage;
  moderators?: string[];
  blocklist?: string[];
  feedMix?: { own: number; parent: number; global: number };
  parentCommunity?: string;
}

export interface CreateCommunityResult extends WriteOutcome {
  uri: string;
  cid: string;
  hashtag: string;
  feedUri: string;
  membershipUri: string;
  record: CommunityConfig;
}

/**
 * Changes to a community config. Omitted fields stay as they are; `null`
 * removes an optional field. The add/remove lists change the current lists.
 */
export interface CommunityPatch {
  name?: string;
  description?: string | null;
  stage?: Stage;
  feedMix?: { own: number; parent: number; global: number } | null;
  parentCommunity?: string | null;
  /** Replaces the whole list (applied before add/remove). */
  moderators?: string[];
  addModerators?: string[];
  removeModerators?: string[];
  /** Replaces the whole list (applied before add/remove). */
  blocklist?: string[];
  addToBlocklist?: string[];
  removeFromBlocklist?: string[];
}

export interface UpdateCommunityResult extends WriteOutcome {
  uri: string;
  cid: string;
  record: CommunityConfig;
}

export interface JoinResult extends WriteOutcome {
  uri: string;
  cid: string;
  record: MembershipRecord;
  /** True when an active membership already existed and nothing was written. */
  alreadyMember: boolean;
}

export interface LeaveResult extends WriteOutcome {
  /** The membership records that were deleted. */
  deleted: string[];
}

export type ModerationTarget =
  /** A post; the cid is looked up on the author's PDS when omitted. */
  { uri: string; cid?: string } | { did: string };

export interface ModerationActionInput {
  community: string;
  action: ModerationActionName;
  target: ModerationTarget;
  reason?: string;
  /** Write the record even if the signed-in account is not a moderator (the index will ignore it). */
  force?: boolean;
}

export interface ModerationActionResult extends WriteOutcome {
  uri: string;
  cid: string;
  record: ModerationActionRecord;
}

export interface PostResult extends WriteOutcome {
  uri: string;
  cid: string;
  text: string;
  facets: unknown[];
  hashtag: string;
}

export interface FeedItem {
  uri: string;
  author: { did: string; handle?: string };
  text?: string;
  createdAt?: string;
  /** Why the post could not be read from its author's PDS, if it could not. */
  error?: string;
}

export interface FeedPage {
  feed: string;
  items: FeedItem[];
  cursor?: string;
}

export interface AtrariumClientOptions {
  /** Base URL of the Atrarium Worker, e.g. http://127.0.0.1:8787. */
  service: string | URL;
  /** The signed-in user's session (e.g. an AtpAgent after login). Needed for writes and service auth. */
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

const POST_MAX_GRAPHEMES = 300;
const POST_MAX_BYTES = 3000;
const FEED_NAME_MAX_GRAPHEMES = 24;
const FEED_DESCRIPTION_MAX_GRAPHEMES = 300;

const isLoopback = (url: string): boolean => {
  try {
    const { hostname } = new URL(url);
    return ["localhost", "127.0.0.1", "[::1]", "::1"].includes(hostname) || hostname.endsWith(".localhost");
  } catch {
    return false;
  }
};

function readable<T>(label: string, result: Validation<T>): T {
  if (result.ok) return result.value;
  const reasons = result.reasons.map((r) => r.replace(/^Record\//, "").replace(/^Record /, "record "));
  throw new AtrariumError("invalid", `The ${label} is invalid: ${reasons.join("; ")}`, { reasons });
}

function uniq(values: string[]): string[] {
  return [...new Set(values)];
}

function checkDids(field: string, dids: string[]): void {
  const bad = dids.filter((d) => !isValidDid(d));
  if (bad.length > 0) {
    throw new AtrariumError(
      "invalid",
      `${field} must be DIDs (resolve handles first), got: ${bad.join(", ")}`,
    );
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

export class AtrariumClient {
  readonly serviceUrl: string;
  readonly agent?: Agent;
  /** The generated XRPC client pointed at the Worker. */
  readonly worker: AtpBaseClient;
  private readonly options: AtrariumClientOptions;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly own?: AtpBaseClient;
  private idResolverInstance?: IdResolver;
  private serviceDidPromise?: Promise<string>;
  private readonly pdsCache = new Map<string, Promise<string>>();
  private readonly handleCache = new Map<string, Promise<string | undefined>>();

  constructor(options: AtrariumClientOptions) {
    this.options = options;
    this.serviceUrl = new URL(options.service).origin;
    const baseFetch = options.fetch ?? globalThis.fetch;
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchImpl = (input, init) =>
      baseFetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
    this.worker = new AtpBaseClient({ service: this.serviceUrl, fetch: this.fetchImpl });
    if (options.agent) {
      this.agent = options.agent;
      const agent = options.agent;
      // The generated client, routed through the user's own session and PDS.
      this.own = new AtpBaseClient((url, init) => agent.fetchHandler(url, init));
    }
  }

  /** The DID of the signed-in account, if any. */
  get did(): string | undefined {
    return this.agent?.did;
  }

  private session(action: string): { agent: Agent; own: AtpBaseClient; did: string } {
    const did = this.agent?.did;
    if (!this.agent || !this.own || !did) {
      throw new AtrariumError("auth", `Sign in first to ${action} (atrarium login)`);
    }
    return { agent: this.agent, own: this.own, did };
  }

  private get workerName(): string {
    return `the Atrarium service at ${this.serviceUrl}`;
  }

  private async onWorker<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw toAtrariumError(err, what, this.workerName);
    }
  }

  private warn(warnings: string[], message: string): void {
    warnings.push(message);
    this.options.onWarning?.(message);
  }

  // ---------------------------------------------------------------- identity

  get idResolver(): IdResolver {
    if (!this.idResolverInstance) {
      const plcUrl = this.options.plcUrl ?? "https://plc.directory";
      this.idResolverInstance =
        this.options.idResolver ??
        // A PLC on loopback (local development) cannot pass the SSRF-safe default fetch.
        new IdResolver({ plcUrl, ...(isLoopback(plcUrl) ? { fetch: globalThis.fetch } : {}) });
    }
    return this.idResolverInstance;
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

  /**
   * A client for reading the repo of `did`: the session for the user's own repo,
   * otherwise their PDS. When the DID cannot be resolved but a session exists,
   * the user's own PDS is tried (it may host that repo too, as in a local setup).
   */
  private async reader(
    did: string,
  ): Promise<{ client: AtpBaseClient; where: string; resolutionError?: AtrariumError }> {
    if (this.own && did === this.agent?.did) return { client: this.own, where: "your PDS" };
    try {
      const pds = await this.resolvePds(did);
      return {
        client: new AtpBaseClient({ service: pds, fetch: this.fetchImpl }),
        where: `the PDS at ${pds}`,
      };
    } catch (err) {
      if (this.own && err instanceof AtrariumError) {
        return { client: this.own, where: "your PDS", resolutionError: err };
      }
      throw err;
    }
  }

  private async getRecordFrom<T>(
    uri: string,
    label: string,
    check?: (value: unknown) => T,
  ): Promise<RecordEntry<T>> {
    const { repo, collection, rkey } = parseRecordUri(uri);
    const { client, where, resolutionError } = await this.reader(repo);
    let data: { uri: string; cid?: string; value: unknown };
    try {
      data = (await client.com.atproto.repo.getRecord({ repo, collection, rkey })).data;
    } catch (err) {
      const e = toAtrariumError(err, `reading the ${label} ${uri}`, where);
      if (e.kind === "not_found" || (e.kind === "invalid" && /repo|record/i.test(e.message))) {
        // Your own PDS was only a guess when the DID could not be resolved: report why.
        if (resolutionError) throw resolutionError;
        throw new AtrariumError("not_found", `No ${label} at ${uri}`, { cause: err });
      }
      throw e;
    }
    if (!data.cid) throw new AtrariumError("server", `${where} returned ${uri} without a cid`);
    const value = check ? check(data.value) : (data.value as T);
    return { uri: data.uri, cid: data.cid, value };
  }

  private async listOwn<T>(did: string, collection: string): Promise<RecordEntry<T>[]> {
    const { client, where } = await this.reader(did);
    const out: RecordEntry<T>[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.com.atproto.repo
        .listRecords({ repo: did, collection, limit: 100, ...(cursor ? { cursor } : {}) })
        .catch((err: unknown) => {
          throw toAtrariumError(err, `listing ${collection} records of ${did}`, where);
        });
      for (const r of page.data.records) out.push({ uri: r.uri, cid: r.cid, value: r.value as T });
      cursor = page.data.records.length > 0 ? page.data.cursor : undefined;
    } while (cursor);
    return out;
  }

  // ---------------------------------------------------------------- service

  /** The Worker's service DID: the option if given, else describeFeedGenerator. */
  serviceDid(): Promise<string> {
    if (this.options.serviceDid) return Promise.resolve(this.options.serviceDid);
    if (!this.serviceDidPromise) {
      this.serviceDidPromise = this.onWorker("learning its service DID", async () => {
        const res = await this.worker.app.bsky.feed.describeFeedGenerator();
        return res.data.did;
      });
      this.serviceDidPromise.catch(() => {
        this.serviceDidPromise = undefined;
      });
    }
    return this.serviceDidPromise;
  }

  /** A service-auth JWT from the user's PDS for one Worker method. */
  async serviceAuthHeaders(lxm: string): Promise<Record<string, string>> {
    const { agent } = this.session(`call ${lxm}`);
    const aud = await this.serviceDid();
    try {
      const res = await agent.com.atproto.server.getServiceAuth({ aud, lxm });
      return { authorization: `Bearer ${res.data.token}` };
    } catch (err) {
      throw toAtrariumError(err, `getting a service-auth token for ${lxm}`, "your PDS");
    }
  }

  // ---------------------------------------------------------------- queries

  async getCommunity(community: string): Promise<CommunityView> {
    parseCommunityUri(community);
    return this.onWorker("getting the community", async () => {
      return (await this.worker.com.atrarium.community.getCommunity({ community })).data;
    });
  }

  async listCommunities(params: { limit?: number; cursor?: string } = {}): Promise<CommunitiesPage> {
    return this.onWorker("listing communities", async () => {
      return (await this.worker.com.atrarium.community.listCommunities(params)).data;
    });
  }

  async getMembers(
    community: string,
    params: { limit?: number; cursor?: string } = {},
  ): Promise<MembersPage> {
    parseCommunityUri(community);
    return this.onWorker("listing members", async () => {
      return (await this.worker.com.atrarium.community.getMembers({ community, ...params })).data;
    });
  }

  /** The index's view of one account in a community (default: the signed-in account). */
  async getMembership(community: string, actor?: string): Promise<MembershipStatus> {
    parseCommunityUri(community);
    const did = actor ? await this.resolveActor(actor) : this.session("check your membership").did;
    return this.onWorker("getting the membership", async () => {
      return (await this.worker.com.atrarium.community.getMembership({ community, actor: did })).data;
    });
  }

  /** The moderation log; only the owner and moderators are answered (service auth). */
  async getActions(
    community: string,
    params: { limit?: number; cursor?: string } = {},
  ): Promise<ActionsPage> {
    parseCommunityUri(community);
    const headers = await this.serviceAuthHeaders("com.atrarium.moderation.getActions");
    return this.onWorker("getting moderation actions", async () => {
      return (await this.worker.com.atrarium.moderation.getActions({ community, ...params }, { headers }))
        .data;
    });
  }

  /** The feed skeleton of a feed generator URI, or of a community URI (mapped to its feed). */
  async getFeedSkeleton(
    feedOrCommunity: string,
    params: { limit?: number; cursor?: string } = {},
  ): Promise<FeedSkeleton> {
    const { collection } = parseRecordUri(feedOrCommunity);
    const feed = collection === CONFIG_COLLECTION ? feedUriFor(feedOrCommunity) : feedOrCommunity;
    return this.onWorker("getting the feed", async () => {
      return (await this.worker.app.bsky.feed.getFeedSkeleton({ feed, ...params })).data;
    });
  }

  /**
   * Asks the Worker to fetch one record from its author's PDS and apply it now.
   * Sends a service-auth JWT when signed in (the Worker treats it as optional).
   */
  async requestIndex(uri: string): Promise<RequestIndexResult> {
    parseRecordUri(uri);
    let headers: Record<string, string> = {};
    if (this.agent?.did) headers = await this.serviceAuthHeaders("com.atrarium.sync.requestIndex");
    return this.onWorker(`indexing ${uri}`, async () => {
      return (
        await this.worker.com.atrarium.sync.requestIndex({ uri }, { headers, encoding: "application/json" })
      ).data;
    });
  }

  /** Firehose consumer status (HTTP Basic, user "admin", the Worker's ADMIN_PASSWORD). */
  async getFirehoseStatus(adminPassword: string): Promise<FirehoseStatus> {
    const bytes = new TextEncoder().encode(`admin:${adminPassword}`);
    const authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`;
    return this.onWorker("getting the firehose status", async () => {
      return (await this.worker.com.atrarium.admin.getFirehoseStatus({}, { headers: { authorization } }))
        .data;
    });
  }

  /**
   * The community's feed with each post read from its author's PDS: author
   * handle and text. A post that cannot be read is listed with an error.
   */
  async getFeed(
    feedOrCommunity: string,
    params: { limit?: number; cursor?: string } = {},
  ): Promise<FeedPage> {
    const skeleton = await this.getFeedSkeleton(feedOrCommunity, params);
    const items = await mapLimit(skeleton.feed, 8, async ({ post }): Promise<FeedItem> => {
      const { repo } = parseRecordUri(post);
      const handle = await this.handleOf(repo);
      const author = handle ? { did: repo, handle } : { did: repo };
      try {
        const record = await this.getRecordFrom<{ text?: unknown; createdAt?: unknown }>(post, "post");
        const { text, createdAt } = record.value;
        return {
          uri: post,
          author,
          ...(typeof text === "string" ? { text } : {}),
          ...(typeof createdAt === "string" ? { createdAt } : {}),
        };
      } catch (err) {
        return { uri: post, author, error: err instanceof Error ? err.message : String(err) };
      }
    });
    const { collection } = parseRecordUri(feedOrCommunity);
    const feed = collection === CONFIG_COLLECTION ? feedUriFor(feedOrCommunity) : feedOrCommunity;
    return { feed, items, ...(skeleton.cursor ? { cursor: skeleton.cursor } : {}) };
  }

  /** The handle an account's own PDS reports for it (describeRepo), if any. */
  async handleOf(did: string): Promise<string | undefined> {
    let found = this.handleCache.get(did);
    if (!found) {
      found = (async () => {
        try {
          if (this.agent && did === this.agent.did) {
            return (await this.agent.com.atproto.repo.describeRepo({ repo: did })).data.handle;
          }
          let service: string;
          try {
            service = await this.resolvePds(did);
          } catch {
            if (!this.agent) return undefined;
            return (await this.agent.com.atproto.repo.describeRepo({ repo: did })).data.handle;
          }
          const anon = new AtpAgent({ service, fetch: this.fetchImpl });
          return (await anon.com.atproto.repo.describeRepo({ repo: did })).data.handle;
        } catch {
          return undefined;
        }
      })();
      this.handleCache.set(did, found);
    }
    return found;
  }

  // ---------------------------------------------------------------- records

  /** A community's config, read from the owner's PDS and validated. */
  async getCommunityConfig(uri: string): Promise<RecordEntry<CommunityConfig>> {
    parseCommunityUri(uri);
    return this.getRecordFrom(uri, "community", (value) =>
      readable("community config found at that URI", validateCommunityConfig(value)),
    ) as Promise<RecordEntry<CommunityConfig>>;
  }

  /** Membership records in a repo (default: the signed-in account's). */
  async listMemberships(actor?: string): Promise<RecordEntry<MembershipRecord>[]> {
    const did = actor ? await this.resolveActor(actor) : this.session("list your memberships").did;
    return this.listOwn<MembershipRecord>(did, MEMBERSHIP_COLLECTION);
  }

  /** The membership record for a community (an active one first), or undefined. */
  async getMembershipRecord(
    community: string,
    actor?: string,
  ): Promise<RecordEntry<MembershipRecord> | undefined> {
    const { uri } = parseCommunityUri(community);
    const mine = (await this.listMemberships(actor)).filter((m) => m.value.community === uri);
    return mine.find((m) => m.value.active !== false) ?? mine[0];
  }

  private async indexAfterWrite(uris: string[], warnings: string[]): Promise<RequestIndexResult[]> {
    if (this.options.requestIndex === false) return [];
    const indexed: RequestIndexResult[] = [];
    for (const uri of uris) {
      try {
        const result = await this.requestIndex(uri);
        indexed.push(result);
        if (result.status === "rejected") {
          this.warn(warnings, `The index rejected ${uri}${result.reason ? `: ${result.reason}` : ""}`);
        }
      } catch (err) {
        const e =
          err instanceof AtrariumError ? err : toAtrariumError(err, `indexing ${uri}`, this.workerName);
        this.warn(
          warnings,
          `Saved in your repo, but not indexed yet (${e.message}); it will appear once the firehose delivers it`,
        );
        if (e.kind === "network") break; // the Worker is down: one warning is enough
      }
    }
    return indexed;
  }

  private generatorRecord(
    serviceDid: string,
    config: { name: string; description?: string; hashtag: string },
  ) {
    const about = config.description ? `${config.description}\n\n` : "";
    return {
      $type: GENERATOR_COLLECTION,
      did: serviceDid,
      displayName: truncateGraphemes(config.name, FEED_NAME_MAX_GRAPHEMES),
      description: truncateGraphemes(
        `${about}Members post with ${config.hashtag} (an Atrarium community).`,
        FEED_DESCRIPTION_MAX_GRAPHEMES,
      ),
      createdAt: new Date().toISOString(),
    };
  }

  /**
   * Creates a community: the config record, the feed generator record with the
   * same rkey (its `did` is the Worker's service DID) and the owner's own
   * membership, in one atomic applyWrites commit to the owner's repo.
   */
  async createCommunity(input: CreateCommunityInput): Promise<CreateCommunityResult> {
    const { agent, did } = this.session("create a community");
    if (input.name.trim() === "") throw new AtrariumError("invalid", "The community needs a name");
    const now = new Date().toISOString();
    const hashtag = generateHashtag();
    if (input.moderators) checkDids("moderators", input.moderators);
    if (input.blocklist) checkDids("blocklist", input.blocklist);
    const record = readable(
      "community",
      validateCommunityConfig({
        $type: CONFIG_COLLECTION,
        name: input.name,
        ...(input.description !== undefined && input.description !== ""
          ? { description: input.description }
          : {}),
        hashtag,
        stage: input.stage ?? "theme",
        ...(input.moderators ? { moderators: uniq(input.moderators) } : {}),
        ...(input.blocklist ? { blocklist: uniq(input.blocklist) } : {}),
        ...(input.feedMix ? { feedMix: input.feedMix } : {}),
        ...(input.parentCommunity ? { parentCommunity: parseCommunityUri(input.parentCommunity).uri } : {}),
        createdAt: now,
      }),
    ) as CommunityConfig;
    const rkey = nextTid();
    const uri = `at://${did}/${CONFIG_COLLECTION}/${rkey}`;
    const feedUri = `at://${did}/${GENERATOR_COLLECTION}/${rkey}`;
    const membershipRkey = nextTid();
    const membershipUri = `at://${did}/${MEMBERSHIP_COLLECTION}/${membershipRkey}`;
    const membership = readable(
      "membership",
      validateMembership({ $type: MEMBERSHIP_COLLECTION, community: uri, role: "owner", joinedAt: now }),
    );
    const serviceDid = await this.serviceDid().catch((err: unknown) => {
      const e =
        err instanceof AtrariumError ? err : toAtrariumError(err, "learning its DID", this.workerName);
      throw new AtrariumError(
        e.kind,
        `${e.message}. The feed record needs the service DID: start the service or pass it (--service-did)`,
        { cause: err },
      );
    });
    let results: unknown[];
    try {
      const res = await agent.com.atproto.repo.applyWrites({
        repo: did,
        writes: [
          {
            $type: "com.atproto.repo.applyWrites#create",
            collection: CONFIG_COLLECTION,
            rkey,
            value: record,
          },
          {
            $type: "com.atproto.repo.applyWrites#create",
            collection: GENERATOR_COLLECTION,
            rkey,
            value: this.generatorRecord(serviceDid, record),
          },
          {
            $type: "com.atproto.repo.applyWrites#create",
            collection: MEMBERSHIP_COLLECTION,
            rkey: membershipRkey,
            value: membership,
          },
        ],
      });
      results = res.data.results ?? [];
    } catch (err) {
      throw toAtrariumError(err, "creating the community", "your PDS");
    }
    const first = results[0] as { uri?: string; cid?: string } | undefined;
    let cid = first?.cid;
    if (!cid) cid = (await this.getRecordFrom(uri, "community")).cid;
    const warnings: string[] = [];
    const indexed = await this.indexAfterWrite([uri, membershipUri], warnings);
    return { uri, cid, hashtag, feedUri, membershipUri, record, indexed, warnings };
  }

  /** Changes a community the signed-in account owns (putRecord with swapRecord). */
  async updateCommunity(uri: string, patch: CommunityPatch): Promise<UpdateCommunityResult> {
    const { own, did } = this.session("update a community");
    const address = parseCommunityUri(uri);
    if (address.repo !== did) {
      throw new AtrariumError(
        "forbidden",
        `Only the owner (${address.repo}) can change this community; you are ${did}`,
      );
    }
    const current = await this.getCommunityConfig(uri);
    const old = current.value;
    const next: Record<string, unknown> = { ...old };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.description === null || patch.description === "") delete next.description;
    else if (patch.description !== undefined) next.description = patch.description;
    if (patch.stage !== undefined) next.stage = patch.stage;
    if (patch.feedMix === null) delete next.feedMix;
    else if (patch.feedMix !== undefined) next.feedMix = patch.feedMix;
    if (patch.parentCommunity === null) delete next.parentCommunity;
    else if (patch.parentCommunity !== undefined)
      next.parentCommunity = parseCommunityUri(patch.parentCommunity).uri;
    const list = (
      field: "moderators" | "blocklist",
      replace: string[] | undefined,
      add: string[] = [],
      remove: string[] = [],
    ) => {
      for (const [label, dids] of [
        [field, replace ?? []],
        [`${field} to add`, add],
        [`${field} to remove`, remove],
      ] as const) {
        checkDids(label, dids);
      }
      if (replace === undefined && add.length === 0 && remove.length === 0) return;
      const drop = new Set(remove);
      const values = uniq([...(replace ?? old[field] ?? []), ...add]).filter((d) => !drop.has(d));
      if (values.length > 0) next[field] = values;
      else delete next[field];
    };
    list("moderators", patch.moderators, patch.addModerators, patch.removeModerators);
    list("blocklist", patch.blocklist, patch.addToBlocklist, patch.removeFromBlocklist);
    next.updatedAt = new Date().toISOString();
    const record = readable("community", validateCommunityConfig(next)) as CommunityConfig;

    let written: { uri: string; cid: string };
    try {
      written = await own.com.atrarium.community.config.put(
        { repo: did, rkey: address.rkey, swapRecord: current.cid },
        record,
      );
    } catch (err) {
      throw toAtrariumError(err, "updating the community", "your PDS");
    }
    const warnings: string[] = [];
    if (record.name !== old.name || record.description !== old.description) {
      await this.syncGeneratorRecord(address.rkey, record, warnings);
    }
    const indexed = await this.indexAfterWrite([written.uri], warnings);
    return { uri: written.uri, cid: written.cid, record, indexed, warnings };
  }

  /** Keeps the feed's displayName/description in step with the community's name/description. */
  private async syncGeneratorRecord(
    rkey: string,
    config: CommunityConfig,
    warnings: string[],
  ): Promise<void> {
    const { agent, did } = this.session("update the feed record");
    try {
      const existing = await agent.com.atproto.repo
        .getRecord({ repo: did, collection: GENERATOR_COLLECTION, rkey })
        .catch(() => undefined);
      const prior = existing?.data.value as { did?: string; createdAt?: string } | undefined;
      const serviceDid = prior?.did ?? (await this.serviceDid());
      const value = {
        ...this.generatorRecord(serviceDid, config),
        createdAt: prior?.createdAt ?? config.createdAt,
      };
      await agent.com.atproto.repo.putRecord({
        repo: did,
        collection: GENERATOR_COLLECTION,
        rkey,
        record: value,
      });
    } catch (err) {
      const e = toAtrariumError(err, "updating the feed record", "your PDS");
      this.warn(warnings, `The community was updated but its feed record was not: ${e.message}`);
    }
  }

  /** Joins a community: a membership record in the signed-in user's repo. Idempotent. */
  async join(community: string, options: { invitedBy?: string } = {}): Promise<JoinResult> {
    const { own, did } = this.session("join a community");
    const { uri: communityUri } = parseCommunityUri(community);
    const config = await this.getCommunityConfig(communityUri);
    const warnings: string[] = [];
    if (config.value.blocklist?.includes(did)) {
      this.warn(
        warnings,
        `You are on the blocklist of "${config.value.name}"; your membership will not count`,
      );
    }
    const existing = (await this.listMemberships()).filter((m) => m.value.community === communityUri);
    const active = existing.find((m) => m.value.active !== false);
    if (active) {
      return {
        uri: active.uri,
        cid: active.cid,
        record: active.value,
        alreadyMember: true,
        indexed: [],
        warnings,
      };
    }
    const invitedBy = options.invitedBy ? await this.resolveActor(options.invitedBy) : undefined;
    const record = readable(
      "membership",
      validateMembership({
        $type: MEMBERSHIP_COLLECTION,
        community: communityUri,
        role: parseCommunityUri(communityUri).repo === did ? "owner" : "member",
        joinedAt: new Date().toISOString(),
        ...(invitedBy ? { invitedBy } : {}),
      }),
    ) as MembershipRecord;
    let written: { uri: string; cid: string };
    try {
      const inactive = existing[0];
      written = inactive
        ? await own.com.atrarium.community.membership.put(
            { repo: did, rkey: parseRecordUri(inactive.uri).rkey, swapRecord: inactive.cid },
            record,
          )
        : await own.com.atrarium.community.membership.create({ repo: did }, record);
    } catch (err) {
      throw toAtrariumError(err, "joining the community", "your PDS");
    }
    const indexed = await this.indexAfterWrite([written.uri], warnings);
    return { ...written, record, alreadyMember: false, indexed, warnings };
  }

  /** Leaves a community: deletes every membership record for it from the user's repo. */
  async leave(community: string): Promise<LeaveResult> {
    const { own, did } = this.session("leave a community");
    const { uri: communityUri } = parseCommunityUri(community);
    const mine = (await this.listMemberships()).filter((m) => m.value.community === communityUri);
    if (mine.length === 0) {
      throw new AtrariumError("not_found", `You have no membership in ${communityUri}`);
    }
    const deleted: string[] = [];
    for (const m of mine) {
      try {
        await own.com.atrarium.community.membership.delete({ repo: did, rkey: parseRecordUri(m.uri).rkey });
      } catch (err) {
        throw toAtrariumError(err, "deleting your membership record", "your PDS");
      }
      deleted.push(m.uri);
    }
    const warnings: string[] = [];
    const indexed = await this.indexAfterWrite(deleted, warnings);
    return { deleted, indexed, warnings };
  }

  /** A post by reference (at:// URI or bsky.app link), read from its author's PDS. */
  async resolvePost(ref: string): Promise<RecordEntry<{ text?: string; [k: string]: unknown }>> {
    const { actor, rkey } = parsePostRef(ref);
    const did = await this.resolveActor(actor);
    return this.getRecordFrom(`at://${did}/${POST_COLLECTION}/${rkey}`, "post");
  }

  /**
   * Writes a moderation action into the signed-in user's repo. Refuses (unless
   * `force`) when the user is not the owner or a moderator, since the index
   * would ignore the action.
   */
  async createModerationAction(input: ModerationActionInput): Promise<ModerationActionResult> {
    const { own, did } = this.session("moderate");
    const { uri: communityUri, repo: owner } = parseCommunityUri(input.community);
    const postAction = input.action === "hide_post" || input.action === "unhide_post";
    const userAction = input.action === "block_user" || input.action === "unblock_user";
    if (!postAction && !userAction) {
      throw new AtrariumError(
        "invalid",
        `Unknown moderation action "${input.action}" (hide_post, unhide_post, block_user, unblock_user)`,
      );
    }
    let target: ActionLex.Record["target"];
    if (postAction) {
      if (!("uri" in input.target))
        throw new AtrariumError("invalid", `${input.action} needs a post (uri), not an account`);
      const { uri: postUri } = parseRecordUri(input.target.uri, POST_COLLECTION, "post");
      const cid = input.target.cid ?? (await this.getRecordFrom(postUri, "post")).cid;
      target = { $type: "com.atrarium.moderation.action#postTarget", uri: postUri, cid };
    } else {
      if (!("did" in input.target))
        throw new AtrariumError("invalid", `${input.action} needs an account (did), not a post`);
      checkDids("the account to block", [input.target.did]);
      target = { $type: "com.atrarium.moderation.action#userTarget", did: input.target.did };
    }
    const config = await this.getCommunityConfig(communityUri);
    const warnings: string[] = [];
    const isModerator = did === owner || (config.value.moderators ?? []).includes(did);
    if (!isModerator) {
      const message = `You (${did}) are not a moderator of "${config.value.name}", so the index would ignore this action; ask the owner to add you as a moderator`;
      if (!input.force) throw new AtrariumError("forbidden", message);
      this.warn(warnings, message);
    }
    if (userAction && "did" in input.target && input.target.did === owner) {
      throw new AtrariumError("invalid", "The owner of a community cannot be blocked from it");
    }
    const record = readable(
      "moderation action",
      validateModerationAction({
        $type: ACTION_COLLECTION,
        community: communityUri,
        action: input.action,
        target,
        ...(input.reason ? { reason: input.reason } : {}),
        createdAt: new Date().toISOString(),
      }),
    ) as ModerationActionRecord;
    let written: { uri: string; cid: string };
    try {
      written = await own.com.atrarium.moderation.action.create({ repo: did }, record);
    } catch (err) {
      throw toAtrariumError(err, "writing the moderation action", "your PDS");
    }
    const indexed = await this.indexAfterWrite([written.uri], warnings);
    return { ...written, record, indexed, warnings };
  }

  /**
   * Posts to a community: an app.bsky.feed.post with the community hashtag
   * appended and a #tag facet over it (UTF-8 byte offsets). Mentions, links
   * and other tags in the text get facets too.
   */
  async post(community: string, text: string, options: { langs?: string[] } = {}): Promise<PostResult> {
    const { agent, did } = this.session("post");
    const { uri: communityUri } = parseCommunityUri(community);
    const config = await this.getCommunityConfig(communityUri);
    const { hashtag } = config.value;
    const tagged = withHashtag(text, hashtag);
    const graphemes = graphemeLength(tagged.text);
    if (graphemes > POST_MAX_GRAPHEMES || utf8Length(tagged.text) > POST_MAX_BYTES) {
      throw new AtrariumError(
        "invalid",
        `The post is ${graphemes} characters with the hashtag ${hashtag}; the limit is ${POST_MAX_GRAPHEMES}. Shorten it`,
      );
    }
    const warnings: string[] = [];
    const membership = await this.getMembershipRecord(communityUri);
    if (!membership || membership.value.active === false) {
      this.warn(
        warnings,
        `You are not a member of "${config.value.name}", so this post will not enter its feed (atrarium join)`,
      );
    }
    const facets = await this.facetsFor(tagged.text, tagged.facet);
    const record = {
      $type: POST_COLLECTION,
      text: tagged.text,
      facets,
      createdAt: new Date().toISOString(),
      ...(options.langs ? { langs: options.langs } : {}),
    };
    let written: { uri: string; cid: string };
    try {
      written = (
        await agent.com.atproto.repo.createRecord({ repo: did, collection: POST_COLLECTION, record })
      ).data;
    } catch (err) {
      throw toAtrariumError(err, "writing the post", "your PDS");
    }
    const indexed = await this.indexAfterWrite([written.uri], warnings);
    return { uri: written.uri, cid: written.cid, text: tagged.text, facets, hashtag, indexed, warnings };
  }

  /** Our hashtag facet plus mention/link/tag facets found in the rest of the text. */
  private async facetsFor(text: string, ours: TagFacet): Promise<unknown[]> {
    const rt = new RichText({ text });
    try {
      if (this.agent) await rt.detectFacets(this.agent);
      else rt.detectFacetsWithoutResolution();
    } catch {
      rt.facets = undefined; // mention lookup failed: keep just our tag
    }
    const others = (rt.facets ?? []).filter(
      (f) => f.index.byteEnd <= ours.index.byteStart || f.index.byteStart >= ours.index.byteEnd,
    );
    return [...others, ours].sort((a, b) => a.index.byteStart - b.index.byteStart);
  }
}
