// The Worker's queue() handler: the messages of a batch are routed together
// (routing.ts: one Directory lookup for the batch) and each community gets
// its events from every message in one call. Ack and retry stay per message:
// when a community fails, only the messages that carried its events retry;
// applying is idempotent, so a retried message leaves the index as one
// delivery would.
import type { ApplyOutcome } from "../community/apply/outcome.ts";
import type { ObjectContext } from "../context.ts";
import { noteFailure } from "../dead-letters/dead-letter-queue.ts";
import type { IndexEvent, QueueMessageBody } from "./events.ts";
import { applyTo, type Routed, type RoutingStats, routeMessages } from "./routing.ts";

/** A community refused events it must not take (it lost its hashtag meanwhile): retry routes them anew. */
class MisroutedError extends Error {}

/**
 * One community's events from several messages go in one call up to this
 * many: fewer calls and transactions, while a call stays short enough not to
 * hold the community's reads back for long.
 */
const MAX_EVENTS_PER_CALL = 2_000;

type MessageResult = { ok: true; stats: RoutingStats } | { ok: false; error: unknown };

/**
 * Applies queue messages together. Configs go first (a community's config
 * before the events that need it); a message fails when any community
 * failed to take its events.
 */
export async function processMessages(
  ctx: ObjectContext,
  bodies: QueueMessageBody[],
): Promise<MessageResult[]> {
  let routed: Awaited<ReturnType<typeof routeMessages>>;
  try {
    routed = await routeMessages(
      ctx,
      bodies.map((b) => b.events),
    );
  } catch (error) {
    return bodies.map(() => ({ ok: false, error }));
  }
  const errors = new Map<number, unknown>();
  await applyTogether(
    ctx,
    routed.map((r) => r.configs),
    errors,
  );
  await applyTogether(
    ctx,
    routed.map((r) => r.rest),
    errors,
  );
  return routed.map((r, i) =>
    errors.has(i) ? { ok: false, error: errors.get(i) } : { ok: true, stats: r.stats },
  );
}

/** Applies one queue message (a redriven dead letter); throws what failed it. */
export async function processMessage(ctx: ObjectContext, body: QueueMessageBody): Promise<RoutingStats> {
  const [result] = await processMessages(ctx, [body]);
  if (!result?.ok) throw result?.error;
  return result.stats;
}

/** A message's share of one community's events. */
interface Share {
  message: number;
  events: IndexEvent[];
}

/**
 * Sends each community the events of every message at once (in chunks of
 * whole messages), all communities in parallel. When a call fails, its
 * messages are tried one by one, so that only the one that fails retries.
 */
async function applyTogether(
  ctx: ObjectContext,
  perMessage: Routed[],
  errors: Map<number, unknown>,
): Promise<void> {
  const byCommunity = new Map<string, Share[]>();
  perMessage.forEach((routed, message) => {
    for (const [community, events] of routed)
      byCommunity.set(community, [...(byCommunity.get(community) ?? []), { message, events }]);
  });
  await Promise.all(
    [...byCommunity].map(async ([community, shares]) => {
      for (const chunk of chunks(shares)) {
        try {
          settle(
            community,
            chunk,
            await applyTo(
              ctx,
              community,
              chunk.flatMap((s) => s.events),
            ),
            errors,
          );
        } catch (err) {
          if (chunk.length === 1) errors.set((chunk[0] as Share).message, err);
          else
            for (const share of chunk) {
              try {
                settle(community, [share], await applyTo(ctx, community, share.events), errors);
              } catch (alone) {
                errors.set(share.message, alone);
              }
            }
        }
      }
    }),
  );
}

/** Fails the messages whose events the community refused as misrouted (one outcome per event, in order). */
function settle(
  community: string,
  chunk: Share[],
  outcomes: ApplyOutcome[],
  errors: Map<number, unknown>,
): void {
  let at = 0;
  for (const share of chunk) {
    const mine = outcomes.slice(at, at + share.events.length);
    at += share.events.length;
    const misrouted = mine.filter((o) => o.status === "misrouted").length;
    if (misrouted > 0)
      errors.set(
        share.message,
        new MisroutedError(`${misrouted} events reached ${community}, which lost their hashtag`),
      );
  }
}

function chunks(shares: Share[]): Share[][] {
  const out: Share[][] = [];
  let current: Share[] = [];
  let size = 0;
  for (const share of shares) {
    if (current.length > 0 && size + share.events.length > MAX_EVENTS_PER_CALL) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(share);
    size += share.events.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * The queue() handler. A failing community retries only the messages that
 * carried its events; after max_retries a message lands in the DLQ.
 */
export async function processFirehoseBatch(
  batch: MessageBatch<QueueMessageBody>,
  ctx: ObjectContext,
): Promise<void> {
  const totals = {
    messages: batch.messages.length,
    events: 0,
    retried: 0,
    invalid: 0,
    unmatched: 0,
    parked: 0,
    routed: 0,
  };
  const wellFormed = batch.messages.filter((message) => {
    if (message.body && Array.isArray(message.body.events)) return true;
    // Retrying cannot fix its shape: drop it, loudly.
    console.error(JSON.stringify({ event: "malformed_queue_message", id: message.id }));
    message.ack();
    return false;
  });
  const results = await processMessages(
    ctx,
    wellFormed.map((m) => m.body),
  );
  await Promise.all(
    wellFormed.map(async (message, i) => {
      const result = results[i] as MessageResult;
      if (result.ok) {
        totals.events += message.body.events.length;
        totals.invalid += result.stats.invalid;
        totals.unmatched += result.stats.unmatched;
        totals.parked += result.stats.parked;
        totals.routed += result.stats.routed;
        message.ack();
        return;
      }
      totals.retried++;
      console.error(
        JSON.stringify({
          event: "queue_message_failed",
          id: message.id,
          attempts: message.attempts,
          error: String(result.error),
        }),
      );
      // Should this message die, its dead letter says why.
      await noteFailure(ctx, message, result.error);
      message.retry();
    }),
  );
  // Quiet when all is well; the receiver's status carries the throughput.
  if (totals.invalid > 0 || totals.retried > 0 || totals.unmatched > 0 || totals.parked > 0)
    console.warn(JSON.stringify({ event: "firehose_batch", ...totals }));
}
