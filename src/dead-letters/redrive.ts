import type { ObjectContext } from "../context.ts";
import type { QueueMessageBody } from "../firehose/events.ts";
import { processMessage } from "../firehose/queue-consumer.ts";
import { describeError } from "./dead-letter-queue.ts";

/** At most this many letters per redrive call. */
export const REDRIVE_BATCH = 100;

export interface RedriveResult {
  id: number;
  status: "redriven" | "failed" | "notFound";
  error?: string;
}

/**
 * Applies dead letters again through the queue consumer's own path, oldest
 * first: the given ones, or the oldest REDRIVE_BATCH. An applied letter is
 * removed; one that fails again stays, with its new error.
 */
export async function redriveDeadLetters(ctx: ObjectContext, ids?: number[]): Promise<RedriveResult[]> {
  const store = ctx.deadLetters();
  const letters = await store.pick(ids, REDRIVE_BATCH);
  const results: RedriveResult[] = (ids ?? [])
    .filter((id) => !letters.some((l) => l.id === id))
    .map((id) => ({ id, status: "notFound" }));
  for (const letter of letters) {
    try {
      const body = JSON.parse(letter.body) as Partial<QueueMessageBody> | null;
      if (!body || !Array.isArray(body.events))
        throw new Error("not a firehose queue message ({events: [...]})");
      await processMessage(ctx, body as QueueMessageBody);
      await store.remove(letter.id);
      results.push({ id: letter.id, status: "redriven" });
    } catch (err) {
      const error = describeError(err).slice(0, 2_000);
      await store.failedAgain(letter.id, error);
      results.push({ id: letter.id, status: "failed", error });
    }
  }
  console.log(
    JSON.stringify({
      event: "dead_letters_redriven",
      redriven: results.filter((r) => r.status === "redriven").length,
      failed: results.filter((r) => r.status === "failed").length,
    }),
  );
  return results;
}
