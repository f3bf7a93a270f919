import type { CommunityFeed } from "./community/CommunityFeed.ts";
import type { DeadLetters } from "./dead-letters/DeadLetters.ts";
import type { Directory } from "./directory/Directory.ts";
import type { QueueMessageBody } from "./firehose/events.ts";
import type { FirehoseReceiver } from "./firehose/FirehoseReceiver.ts";
import type { RequestMetrics } from "./metrics/RequestMetrics.ts";

/** The Worker's bindings, as declared in wrangler.toml: code reaches the objects and the queue through these. */
export interface Bindings {
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

/**
 * The Worker's settings as text, as wrangler.toml [vars] and secrets (.dev.vars)
 * give them. Only src/config/ reads these: it parses them into the typed
 * Config (src/config/config.ts) that the rest of the code reads.
 */
export interface TextVariables {
  SERVICE_DID: string;
  PUBLIC_URL: string;
  JETSTREAM_URL: string;
  PLC_URL: string;
  ALLOW_PRIVATE_PDS?: string;
  ADMIN_PASSWORD?: string;
  APPVIEW_URL?: string;
  HANDLE_RESOLVER_URL?: string;
}

/** Everything the runtime hands the Worker and its Durable Objects. */
export type Env = Bindings & TextVariables;
