// The Worker's queue() handler: each message's events are routed (routing.ts)
// and applied to their communities. Ack and retry are per message; applying
// is idempotent, so a retried message leaves the index as one delivery would.
import type { ObjectContext } from "../context.ts";
import { noteFailure } from "../dead-letters/dead-letter-queue.ts";
import type { QueueMessageBody } from "./events.ts";
import { applyRouted, type RoutingStats, routeEvents } from "./routing.ts";

/** A community refused events it must not take (it lost its hashtag meanwhile): retry routes them anew. */
class MisroutedError extends Error {}

/** Applies one queue message. Configs go first, so that posts in the same message find their community. */
export async function processMessage(ctx: ObjectContext, body: QueueMessageBody): Promise<RoutingStats> {
  const { configs, rest, stats } = await routeEvents(ctx, body.events);
  await applyRouted(ctx, configs);
  const outcomes = await applyRouted(ctx, rest);
  const misrouted = outcomes.filter((o) => o.status === "misrouted").length;
  if (misrouted > 0)
    throw new MisroutedError(`${misrouted} events reached a community that lost their hashtag`);
  return stats;
}

/**
 * The queue() handler. A failing community retries only the message that
 * carried its events; after max_retries the message lands in the DLQ.
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
        totals.parked += stats.parked;
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
  if (totals.invalid > 0 || totals.retried > 0 || totals.unmatched > 0 || totals.parked > 0)
    console.warn(JSON.stringify({ event: "firehose_batch", ...totals }));
}
