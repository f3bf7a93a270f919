import { httpServerHandler } from "cloudflare:node";
import { env } from "cloudflare:workers";
import { createServer } from "node:http";
import { createApp } from "./app.ts";
import { ConfigGate } from "./config/gate.ts";
import { AppContext } from "./context.ts";
import { DEAD_LETTER_QUEUE, keepDeadLetters } from "./dead-letters/dead-letter-queue.ts";
import type { Env } from "./env.ts";
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

// One context and one Express app per isolate; node:http hands requests to it
// through workerd's Node.js HTTP server bridge.
const ctx = new AppContext(env as unknown as Env);
const PORT = 8080;
if (gate.ok) createServer(createApp(ctx)).listen(PORT);
const http = httpServerHandler({ port: PORT });
const serve = timeRequests(http.fetch as Parameters<typeof timeRequests>[0], ctx.requests);

export default {
  fetch: (request, env, context) => (gate.ok ? serve(request, env, context) : gate.refuse(request)),
  // The index does not depend on the values the gate checks: keep applying what the firehose delivered.
  async queue(batch: MessageBatch<QueueMessageBody>): Promise<void> {
    gate.report();
    if (batch.queue === DEAD_LETTER_QUEUE) await keepDeadLetters(batch, ctx);
    else await processFirehoseBatch(batch, ctx);
  },
  async scheduled(): Promise<void> {
    gate.report();
    if (gate.ok) await ctx.firehoseReceiver().ensureStarted();
  },
} satisfies ExportedHandler<Env, QueueMessageBody>;
