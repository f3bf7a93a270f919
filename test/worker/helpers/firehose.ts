// Delivers records written to a real PDS as the firehose would: Jetstream
// events through the Worker's own queue consumer, with the relay's time.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { ObjectContext } from "../../../src/context.ts";
import type { JetstreamEvent, QueueMessageBody } from "../../../src/firehose/events.ts";
import { processFirehoseBatch } from "../../../src/firehose/queue-consumer.ts";

const ctx = new ObjectContext(env);
let seq = 0;

/** A record write (or delete) as Jetstream shows it; `timeUs` is when the relay saw it (default: now). */
export function commit(
  write: { uri: string; cid?: string },
  record?: Record<string, unknown>,
  options: { timeUs?: number; operation?: "create" | "update" | "delete" } = {},
): JetstreamEvent {
  const [, , did, collection, rkey] = write.uri.split("/") as [string, string, string, string, string];
  const operation = options.operation ?? (record ? "create" : "delete");
  return {
    did,
    time_us: options.timeUs ?? Date.now() * 1000,
    kind: "commit",
    commit: {
      rev: "3l4z5y6x7w2vu",
      operation,
      collection,
      rkey,
      ...(record && operation !== "delete"
        ? { record: { $type: collection, ...record }, ...(write.cid ? { cid: write.cid } : {}) }
        : {}),
    },
  };
}

/** Runs one queue batch, a message per list, through the queue consumer; says which were acked and retried. */
export async function deliverBatch(...messages: JetstreamEvent[][]) {
  const batch = createMessageBatch<QueueMessageBody>(
    "firehose-events",
    messages.map((events, i) => ({
      id: `m${++seq}-${i}`,
      timestamp: new Date(),
      attempts: 1,
      body: { events },
    })),
  );
  const execution = createExecutionContext();
  await processFirehoseBatch(batch, ctx);
  return getQueueResult(batch, execution);
}

/** deliverBatch, failing if any message is retried. */
export async function deliver(...messages: JetstreamEvent[][]): Promise<void> {
  const result = await deliverBatch(...messages);
  if (result.retryMessages.length > 0)
    throw new Error(`messages retried: ${JSON.stringify(result.retryMessages)}`);
}
