import type { CommunityFeed } from "./community/CommunityFeed.ts";
import type { DeadLetters } from "./dead-letters/DeadLetters.ts";
import type { Directory } from "./directory/Directory.ts";
import type { QueueMessageBody } from "./firehose/events.ts";
import type { FirehoseReceiver } from "./firehose/FirehoseReceiver.ts";
import type { RequestMetrics } from "./metrics/RequestMetrics.ts";

/** The Worker's bindings, as declared in wrangler.toml (secrets in .dev.vars); checked by src/config/. */
export interface Env {
  SERVICE_DID: string;
  PUBLIC_URL: string;
  JETSTREAM_URL: string;
  PLC_URL: string;
  ALLOW_PRIVATE_PDS?: string;
  ADMIN_PASSWORD?: string;
  /** An AppView (e.g. https://public.api.bsky.app) the web pages read posts and handles from; unset: the authors' PDSes. */
  APPVIEW_URL?: string;
  /** Where the web app resolves a handle at sign-in (com.atproto.identity.resolveHandle); default https://public.api.bsky.app. */
  HANDLE_RESOLVER_URL?: string;
  COMMUNITY_FEED: DurableObjectNamespace<CommunityFeed>;
  DIRECTORY: DurableObjectNamespace<Directory>;
  FIREHOSE_RECEIVER: DurableObjectNamespace<FirehoseReceiver>;
  DEAD_LETTERS: DurableObjectNamespace<DeadLetters>;
  FIREHOSE_QUEUE: Queue<QueueMessageBody>;
  /** Request latency of the last hour, summed over isolates (getMetrics). */
  REQUEST_METRICS: DurableObjectNamespace<RequestMetrics>;
  /** Workers Analytics Engine: one data point per XRPC request (optional; see src/metrics/analytics.ts). */
  REQUEST_ANALYTICS?: AnalyticsEngineDataset;
  /** Workers Rate Limiting: /web/hydrate calls per client (optional; see src/web/server/hydrate-limits.ts). */
  HYDRATE_LIMITER?: RateLimit;
}
