import type { ObjectContext } from "../context.ts";
import type { QueueMessageBody } from "../firehose/events.ts";

// The firehose queue's dead letters on their way in: what the queue consumer
// reports when an attempt fails, and the consumer of the dead-letter queue
// that keeps each message that failed every attempt (redrive.ts takes them out).

/** The dead-letter queue of firehose-events, as wrangler.toml declares it. */
export const DEAD_LETTER_QUEUE = "firehose-dlq";

/**
 * Names a message by its body, the same on the firehose queue and on the
 * dead-letter queue (whatever ids the queue gives the copy it moves).
 */
export async function messageKey(body: unknown): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(body) ?? ""));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** An error as an operator reads it. */
export const describeError = (err: unknown) =>
  err instanceof Error ? `${err.name}: ${err.message}` : String(err);

/**
 * Records why an attempt at a message failed, for its dead letter should it
 * die. Called by the queue consumer; never throws (the retry goes ahead anyway).
 */
export async function noteFailure(
  ctx: ObjectContext,
  message: { id: string; attempts: number; body: unknown },
  err: unknown,
): Promise<void> {
  try {
    await ctx.deadLetters().noteFailure({
      key: await messageKey(message.body),
      messageId: message.id,
      error: describeError(err).slice(0, 2_000),
      attempts: message.attempts,
    });
  } catch (failure) {
    console.error(
      JSON.stringify({ event: "dead_letter_note_failed", id: message.id, error: String(failure) }),
    );
  }
}

/** The dead-letter queue's consumer: keeps every message, then acks the batch. */
export async function keepDeadLetters(batch: MessageBatch<unknown>, ctx: ObjectContext): Promise<void> {
  const arrivals = await Promise.all(
    batch.messages.map(async (message) => {
      const events = (message.body as Partial<QueueMessageBody> | null)?.events;
      return {
        key: await messageKey(message.body),
        messageId: message.id,
        body: JSON.stringify(message.body) ?? "null",
        eventCount: Array.isArray(events) ? events.length : 0,
      };
    }),
  );
  const counts = await ctx.deadLetters().add(arrivals);
  console.error(
    JSON.stringify({
      event: "firehose_dead_letters",
      arrived: arrivals.length,
      ids: arrivals.map((a) => a.messageId),
      kept: counts.messages,
      keptEvents: counts.events,
    }),
  );
  batch.ackAll();
}
