import type { AppContext } from "../context.ts";
import { communityHashtags } from "../records/hashtags.ts";
import { validateMembership, validateModerationAction } from "../records/validate.ts";
import { atUri, COLLECTIONS, type IndexEvent, type JetstreamEvent, type QueueMessageBody } from "./events.ts";

// Stage 2 of the pipeline, the Worker's queue() handler: exact hashtag match,
// record validation, and routing of each event to the communities it concerns.

const HASHTAG_TTL_MS = 30_000;
const hashtagOwners = new Map<string, { community: string; until: number }>();

/** Which community owns each hashtag; positive answers are cached briefly in the isolate. */
async function resolveHashtags(ctx: AppContext, hashtags: string[]): Promise<Map<string, string>> {
  const now = Date.now();
  const owners = new Map<string, string>();
  const unknown: string[] = [];
  for (const tag of new Set(hashtags)) {
    const cached = hashtagOwners.get(tag);
    if (cached && cached.until > now) owners.set(tag, cached.community);
    else unknown.push(tag);
  }
  if (unknown.length > 0) {
    // Unknown tags are not cached: a community that appears is reachable at once.
    const found = await ctx.directory().resolveHashtags(unknown);
    for (const [tag, community] of Object.entries(found)) {
      owners.set(tag, community);
      hashtagOwners.set(tag, { community, until: now + HASHTAG_TTL_MS });
    }
  }
  return owners;
}

export interface RoutingStats {
  invalid: number;
  unmatched: number;
}

type Routed = Map<string, IndexEvent[]>;

function route(routed: Routed, community: string, event: IndexEvent): void {
  const list = routed.get(community);
  if (list) list.push(event);
  else routed.set(community, [event]);
}

/** Routes one message's events to communities; returns what it dropped. */
export async function routeEvents(
  ctx: AppContext,
  events: JetstreamEvent[],
): Promise<{ configs: Routed; rest: Routed; stats: RoutingStats }> {
  const configs: Routed = new Map();
  const rest: Routed = new Map();
  const stats: RoutingStats = { invalid: 0, unmatched: 0 };
  const byAuthor: { did: string; event: IndexEvent }[] = [];
  const byHashtag: { tags: string[]; event: IndexEvent }[] = [];

  for (const e of events) {
    if (e.kind === "account") {
      byAuthor.push({
        did: e.did,
        event: { kind: "account", did: e.did, active: e.account.active, time: e.time_us },
      });
      continue;
    }
    if (e.kind !== "commit") continue;
    const { collection, operation, rkey, record, cid } = e.commit;
    const event: IndexEvent = {
      kind: "record",
      did: e.did,
      collection,
      rkey,
      operation,
      time: e.time_us,
      ...(record !== undefined ? { record } : {}),
      ...(cid !== undefined ? { cid } : {}),
    };
    if (collection === COLLECTIONS.config) {
      route(configs, atUri(e.did, collection, rkey), event);
    } else if (collection === COLLECTIONS.membership || collection === COLLECTIONS.action) {
      if (operation === "delete") {
        byAuthor.push({ did: e.did, event });
        continue;
      }
      const checked =
        collection === COLLECTIONS.membership ? validateMembership(record) : validateModerationAction(record);
      if (!checked.ok) {
        stats.invalid++;
        console.warn(
          JSON.stringify({
            event: "invalid_record",
            uri: atUri(e.did, collection, rkey),
            reasons: checked.reasons,
          }),
        );
        continue;
      }
      route(rest, checked.value.community, event);
    } else if (collection === COLLECTIONS.post) {
      if (operation === "delete") {
        byAuthor.push({ did: e.did, event });
        continue;
      }
      const tags = record ? communityHashtags(record) : [];
      if (tags.length === 0) stats.unmatched++;
      else byHashtag.push({ tags, event });
    }
  }

  if (byHashtag.length > 0) {
    const owners = await resolveHashtags(
      ctx,
      byHashtag.flatMap((p) => p.tags),
    );
    for (const { tags, event } of byHashtag) {
      const communities = tags.flatMap((t) => owners.get(t) ?? []);
      if (communities.length === 0) stats.unmatched++;
      for (const community of communities) route(rest, community, event);
    }
  }
  if (byAuthor.length > 0) {
    const memberOf = await ctx.directory().communitiesOf(byAuthor.map((a) => a.did));
    for (const { did, event } of byAuthor) {
      for (const community of memberOf[did] ?? []) route(rest, community, event);
    }
  }
  return { configs, rest, stats };
}

async function applyRouted(ctx: AppContext, routed: Routed): Promise<void> {
  await Promise.all(
    [...routed].map(([community, events]) => ctx.communityFeed(community).applyEvents(community, events)),
  );
}

/** Applies one queue message. Configs go first so that posts in the same message find their community. */
export async function processMessage(ctx: AppContext, body: QueueMessageBody): Promise<RoutingStats> {
  const configEvents = body.events.filter(
    (e) => e.kind === "commit" && e.commit.collection === COLLECTIONS.config,
  );
  const first = await routeEvents(ctx, configEvents);
  await applyRouted(ctx, first.configs);
  const { rest, stats } = await routeEvents(
    ctx,
    body.events.filter((e) => !(e.kind === "commit" && e.commit.collection === COLLECTIONS.config)),
  );
  await applyRouted(ctx, rest);
  return stats;
}

/**
 * The queue() handler. Ack and retry are per message: a failing community
 * retries only the message that carried its events (re-applying the rest is
 * harmless, applying is idempotent); after max_retries it lands in the DLQ.
 */
export async function processFirehoseBatch(
  batch: MessageBatch<QueueMessageBody>,
  ctx: AppContext,
): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        if (!message.body || !Array.isArray(message.body.events)) {
          console.error(JSON.stringify({ event: "malformed_queue_message", id: message.id }));
          message.ack();
          return;
        }
        await processMessage(ctx, message.body);
        message.ack();
      } catch (err) {
        console.error(
          JSON.stringify({
            event: "queue_message_failed",
            id: message.id,
            attempts: message.attempts,
            error: String(err),
          }),
        );
        message.retry();
      }
    }),
  );
}
