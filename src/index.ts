import { httpServerHandler } from "cloudflare:node";
import { env } from "cloudflare:workers";
import { createServer } from "node:http";
import { createApp } from "./app.ts";
import { AppContext } from "./context.ts";
import { DEAD_LETTER_QUEUE, keepDeadLetters } from "./dead-letters/dead-letter-queue.ts";
import type { Env } from "./env.ts";
import type { QueueMessageBody } from "./firehose/events.ts";
import { processFirehoseBatch } from "./firehose/queue-consumer.ts";

export { CommunityFeed } from "./community/CommunityFeed.ts";
export { DeadLetters } from "./dead-letters/DeadLetters.ts";
export { Directory } from "./directory/Directory.ts";
export { FirehoseReceiver } from "./firehose/FirehoseReceiver.ts";

// One context and one Express app per isolate; node:http hands requests to it
// through workerd's Node.js HTTP server bridge.
const ctx = new AppContext(env as unknown as Env);
const PORT = 8080;
createServer(createApp(ctx)).listen(PORT);
const http = httpServerHandler({ port: PORT });

export default {
  fetch: http.fetch,
  async queue(batch: MessageBatch<QueueMessageBody>): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) await keepDeadLetters(batch, ctx);
    else await processFirehoseBatch(batch, ctx);
  },
  async scheduled(): Promise<void> {
    await ctx.firehoseReceiver().ensureStarted();
  },
} satisfies ExportedHandler<Env, QueueMessageBody>;
