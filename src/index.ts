import { httpServerHandler } from "cloudflare:node";
import { env } from "cloudflare:workers";
import { createServer } from "node:http";
import { createApp } from "./app.ts";
import type { Config } from "./config/config.ts";
import { ConfigGate } from "./config/gate.ts";
import { AppContext, ObjectContext } from "./context.ts";
import { DEAD_LETTER_QUEUE, keepDeadLetters } from "./dead-letters/dead-letter-queue.ts";
import type { Bindings, Env } from "./env.ts";
import type { QueueMessageBody } from "./firehose/events.ts";
import { processFirehoseBatch } from "./firehose/queue-consumer.ts";
import { timeRequests } from "./metrics/recorder.ts";

export { CommunityFeed } from "./community/CommunityFeed.ts";
export { DeadLetters } from "./dead-letters/DeadLetters.ts";
export { Directory } from "./directory/Directory.ts";
export { FirehoseReceiver } from "./firehose/FirehoseReceiver.ts";
export { RequestMetrics } from "./metrics/RequestMetrics.ts";

// The configuration is checked once per isolate, before anything is built
// from it; while it is invalid every request is answered 503 with what to fix.
const gate = new ConfigGate(env as unknown as Record<string, unknown>);
const bindings = env as unknown as Bindings;
const objects = new ObjectContext(bindings);

const PORT = 8080;

/**
 * One context and one Express app per isolate, built from the configuration
 * that passed the gate; node:http hands requests to the app through workerd's
 * Node.js HTTP server bridge.
 */
function serve(config: Config) {
  const ctx = new AppContext(config, bindings);
  createServer(createApp(ctx)).listen(PORT);
  const http = httpServerHandler({ port: PORT });
  return timeRequests(http.fetch as Parameters<typeof timeRequests>[0], ctx.requests);
}

const server = gate.config ? serve(gate.config) : undefined;

export default {
  fetch: (request, env, context) => (server ? server(request, env, context) : gate.refuse(request)),
  // The index needs no setting, only its objects: keep applying what the firehose delivered.
  async queue(batch: MessageBatch<QueueMessageBody>): Promise<void> {
    gate.report();
    if (batch.queue === DEAD_LETTER_QUEUE) await keepDeadLetters(batch, objects);
    else await processFirehoseBatch(batch, objects);
  },
  async scheduled(): Promise<void> {
    gate.report();
    if (gate.ok) await objects.firehoseReceiver().ensureStarted();
  },
} satisfies ExportedHandler<Env, QueueMessageBody>;
