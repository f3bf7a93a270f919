import type { IdResolver } from "@atproto/identity";
import { createIdResolver } from "./auth/service.ts";
import type { Config } from "./config/config.ts";
import type { Bindings } from "./env.ts";
import { ClaimsCache } from "./firehose/claims-cache.ts";
import { isolateHotFeeds } from "./hot-feed-cache.ts";
import { RequestRecorder } from "./metrics/recorder.ts";
import { feedForCommunity } from "./records/address.ts";

// How long an isolate trusts what the Directory said about a community. A
// new community becomes reachable within NEGATIVE_TTL_MS; a feed request for
// a junk URI never creates a Durable Object.
const POSITIVE_TTL_MS = 60_000;
const NEGATIVE_TTL_MS = 5_000;

/**
 * The Durable Objects, reached through the Worker's bindings: all that needs
 * no setting. The queue consumers run on this alone, so the index keeps
 * applying what the firehose delivered while the configuration is refused.
 */
export class ObjectContext {
  /** First pages of feeds, kept for a moment; one per isolate (src/hot-feed-cache.ts). */
  readonly hotFeeds = isolateHotFeeds;
  /** Which community holds each hashtag, as the Directory last said (routing's cache, versioned). */
  readonly claims = new ClaimsCache();
  private readonly knownCommunities = new Map<string, { active: boolean; until: number }>();

  constructor(readonly env: Bindings) {}

  /** The CommunityFeed object of a community, named by its config's AT-URI. */
  communityFeed(communityUri: string) {
    return this.env.COMMUNITY_FEED.getByName(communityUri);
  }

  /** The single Directory object (hashtags, community list, member DIDs). */
  directory() {
    return this.env.DIRECTORY.getByName("directory");
  }

  firehoseReceiver() {
    return this.env.FIREHOSE_RECEIVER.getByName("firehose");
  }

  /** The single store of the firehose queue's dead letters. */
  deadLetters() {
    return this.env.DEAD_LETTERS.getByName("dead-letters");
  }

  /** Whether the index holds this community, cached briefly in the isolate. */
  async isActiveCommunity(uri: string): Promise<boolean> {
    const now = Date.now();
    const cached = this.knownCommunities.get(uri);
    if (cached && cached.until > now) return cached.active;
    const active = await this.directory().isActiveCommunity(uri);
    if (this.knownCommunities.size > 10_000) this.knownCommunities.clear();
    this.knownCommunities.set(uri, { active, until: now + (active ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
    return active;
  }

  /** Every indexed community with its feed URI. */
  async allCommunities(): Promise<{ uri: string; feed: string }[]> {
    const found: { uri: string; feed: string }[] = [];
    let after: { claimedAt: number; uri: string } | undefined;
    for (;;) {
      const page = await this.directory().listCommunities(100, after);
      for (const { uri } of page) {
        const feed = feedForCommunity(uri);
        if (feed) found.push({ uri, feed });
      }
      const last = page[page.length - 1];
      if (page.length < 100 || !last) return found;
      after = last;
    }
  }
}

/**
 * The one object every XRPC handler and page receives: the Durable Objects,
 * the parsed configuration (the only way code reads a setting), and the
 * services built from both. Built once per isolate, and only from a
 * configuration that passed the gate (src/config/gate.ts).
 */
export class AppContext extends ObjectContext {
  readonly idResolver: IdResolver;
  /** Times this isolate's XRPC requests (src/metrics/). */
  readonly requests: RequestRecorder;

  constructor(
    readonly config: Config,
    env: Bindings,
  ) {
    super(env);
    this.idResolver = createIdResolver(config.plcUrl.href, config.allowPrivatePds);
    this.requests = new RequestRecorder(
      () => env.REQUEST_METRICS.getByName("requests"),
      env.REQUEST_ANALYTICS,
    );
  }

  /** SERVICE_DID: the DID the AppView and PDSes know this Worker by. */
  get serviceDid(): string {
    return this.config.serviceDid.did;
  }
}
