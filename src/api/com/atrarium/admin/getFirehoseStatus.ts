import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import type { Server } from "../../../../lexicon/index.ts";

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.admin.getFirehoseStatus({
    auth: adminAuth(ctx),
    handler: async () => {
      const [s, r, dead] = await Promise.all([
        ctx.firehoseReceiver().getStatus(),
        ctx.directory().routingStatus(),
        ctx.deadLetters().counts(),
      ]);
      // Only the lexicon's fields (the receiver reports a few more for tests and logs).
      const body = {
        connected: s.connected,
        url: s.url,
        cursor: s.cursor,
        lagSeconds: s.lagSeconds,
        eventsSeen: s.eventsSeen,
        eventsKept: s.eventsKept,
        eventsSent: s.eventsSent,
        queueMessagesSent: s.queueMessagesSent,
        reconnects: s.reconnects,
        eventsTooLarge: s.eventsTooLarge,
        eventsMalformed: s.eventsMalformed,
        eventsSeenPerSecond: s.eventsSeenPerSecond,
        eventsKeptPerSecond: s.eventsKeptPerSecond,
        eventsSentPerSecond: s.eventsSentPerSecond,
        lastError: s.lastError,
        startedAt: s.startedAt,
        oldestBufferedMs: s.oldestBufferedMs,
        deadLetters: dead.messages,
        deadLetterEvents: dead.events,
        routing: {
          unmatched: r.unmatched,
          parkedPosts: r.parkedPosts,
          parkedByDid: r.parkedByDid,
          parkedForCommunity: r.parkedForCommunity,
          waitingPosts: r.parkedNow.posts,
          waitingByDid: r.parkedNow.didEvents,
          waitingForCommunity: r.parkedNow.communityEvents,
          evictedPosts: r.evictedPosts,
          evictedByDid: r.evictedByDid,
          evictedForCommunity: r.evictedForCommunity,
          expiredPosts: r.expiredPosts,
          expiredByDid: r.expiredByDid,
        },
      };
      for (const key of Object.keys(body) as (keyof typeof body)[])
        if (body[key] === undefined) delete body[key];
      return { encoding: "application/json", body };
    },
  });
}
