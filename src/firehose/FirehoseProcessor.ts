import type { AppContext } from "../context.ts";
import { noteFailure } from "../dead-letters/dead-letter-queue.ts";
import { atUri, COLLECTIONS, parseCommunityUri } from "../records/address.ts";
import { communityHashtags } from "../records/hashtags.ts";
import {
  validateCommunityConfig,
  validateMembership,
  validateModerationAction,
  validatePost,
} from "../records/validate.ts";
import type { IndexEvent, JetstreamEvent, QueueMessageBody } from "./events.ts";

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
  /** Records that failed validation: dropped, not retried. */
  invalid: number;
  /** Posts without a community hashtag (or whose hashtag no community owns). */
  unmatched: number;
  /** Events handed to communities (an event for two communities counts twice). */
  routed: number;
}

function logInvalid(uri: string, reasons: string[]): void {
  console.warn(JSON.stringify({ event: "invalid_record", uri, reasons }));
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
): Promise<{ configs: Routed; rest: Routed; parked: Routed; stats: RoutingStats }> {
  const configs: Routed = new Map();
  const rest: Routed = new Map();
  const named = new Set<string>();
  const stats: RoutingStats = { invalid: 0, unmatched: 0, routed: 0 };
  const byAuthor: { did: string; event: IndexEvent; moderation?: boolean }[] = [];
  const reject = (uri: string, reasons: string[]): void => {
    stats.invalid++;
    logInvalid(uri, reasons);
  };
  const byHashtag: { tags: string[]; event: IndexEvent }[] = [];

  for (const e of events) {
    if (e.kind === "account") {
      if (typeof e.account?.active !== "boolean") continue;
      byAuthor.push({
        did: e.did,
        event: { kind: "account", did: e.did, active: e.account.active, time: e.time_us },
      });
      continue;
    }
    if (e.kind !== "commit" || !e.commit) continue;
    const { collection, operation, rkey, record, cid } = e.commit;
    const uri = atUri(e.did, collection, rkey);
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
      if (!parseCommunityUri(uri)) continue;
      // An invalid config never creates a community object; a delete deactivates one.
      if (operation !== "delete") {
        const checked = validateCommunityConfig(record);
        if (!checked.ok) {
          reject(uri, checked.reasons);
          continue;
        }
      }
      route(configs, uri, event);
      stats.routed++;
    } else if (collection === COLLECTIONS.membership || collection === COLLECTIONS.action) {
      if (operation === "delete") {
        // The record is gone, and with it the community it named: ask who the author is to us.
        byAuthor.push({ did: e.did, event, moderation: collection === COLLECTIONS.action });
        continue;
      }
      const checked =
        collection === COLLECTIONS.membership ? validateMembership(record) : validateModerationAction(record);
      if (!checked.ok) {
        reject(uri, checked.reasons);
        continue;
      }
      if (!parseCommunityUri(checked.value.community)) {
        reject(uri, [`community is not a community config URI: ${checked.value.community}`]);
        continue;
      }
      route(rest, checked.value.community, event);
      named.add(checked.value.community);
      stats.routed++;
    } else if (collection === COLLECTIONS.post) {
      if (operation === "delete") {
        byAuthor.push({ did: e.did, event });
        continue;
      }
      const checked = validatePost(record);
      if (!checked.ok) {
        reject(uri, checked.reasons);
        continue;
      }
      const tags = communityHashtags(checked.value);
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
      for (const community of new Set(communities)) {
        route(rest, community, event);
        stats.routed++;
      }
    }
  }
  if (byAuthor.length > 0) {
    const memberOf = await ctx.directory().communitiesOf(byAuthor.map((a) => a.did));
    const authors = byAuthor.filter((a) => a.moderation).map((a) => a.did);
    // A deleted moderation action matters where its author moderates, member or not.
    const moderated: Record<string, string[]> =
      authors.length > 0 ? await ctx.directory().communitiesModeratedBy(authors) : {};
    for (const { did, event, moderation } of byAuthor) {
      const targets = new Set([...(memberOf[did] ?? []), ...(moderation ? (moderated[did] ?? []) : [])]);
      for (const community of targets) {
        route(rest, community, event);
        stats.routed++;
      }
    }
  }
  return { configs, rest, parked: await parkUnknown(ctx, rest, named), stats };
}

/**
 * A community named only by a membership or action record, whose config the
 * index has never seen, gets no object: its events move to `parked`, to be
 * kept by the Directory until the config arrives.
 */
async function parkUnknown(ctx: AppContext, rest: Routed, named: Set<string>): Promise<Routed> {
  const parked: Routed = new Map();
  if (named.size === 0) return parked;
  const known = new Set(await ctx.directory().knownCommunities([...named]));
  for (const community of named) {
    const events = rest.get(community);
    if (known.has(community) || !events) continue;
    parked.set(community, events);
    rest.delete(community);
  }
  return parked;
}

/**
 * Hands parked events to the Directory; those whose community became known
 * in the meantime come back, to be applied like the rest.
 */
export async function park(ctx: AppContext, parked: Routed): Promise<Routed> {
  const back: Routed = new Map();
  if (parked.size === 0) return back;
  for (const community of await ctx.directory().park(Object.fromEntries(parked))) {
    back.set(community, parked.get(community) ?? []);
  }
  return back;
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
  const { rest, parked, stats } = await routeEvents(
    ctx,
    body.events.filter((e) => !(e.kind === "commit" && e.commit.collection === COLLECTIONS.config)),
  );
  await applyRouted(ctx, rest);
  await applyRouted(ctx, await park(ctx, parked));
  return {
    invalid: first.stats.invalid + stats.invalid,
    unmatched: stats.unmatched,
    routed: first.stats.routed + stats.routed,
  };
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
  const totals = { messages: batch.messages.length, events: 0, retried: 0, ...emptyStats() };
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        if (!message.body || !Array.isArray(message.body.events)) {
          // Retrying cannot fix its shape: drop it, loudly.
          console.error(JSON.stringify({ event: "malformed_queue_message", id: message.id }));
          message.ack();
          return;
        }
        const stats = await processMessage(ctx, message.body);
        totals.events += message.body.events.length;
        totals.invalid += stats.invalid;
        totals.unmatched += stats.unmatched;
        totals.routed += stats.routed;
        message.ack();
      } catch (err) {
        totals.retried++;
        console.error(
          JSON.stringify({
            event: "queue_message_failed",
            id: message.id,
            attempts: message.attempts,
            error: String(err),
          }),
        );
        // Should this message die, its dead letter says why.
        await noteFailure(ctx, message, err);
        message.retry();
      }
    }),
  );
  // Quiet when all is well; the receiver's status carries the throughput.
  if (totals.invalid > 0 || totals.retried > 0)
    console.warn(JSON.stringify({ event: "firehose_batch", ...totals }));
}

function emptyStats(): RoutingStats {
  return { invalid: 0, unmatched: 0, routed: 0 };
}
