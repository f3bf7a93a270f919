import { InvalidRequestError } from "@atproto/xrpc-server";
import { adminAuth } from "../../../../auth/admin.ts";
import type { AppContext } from "../../../../context.ts";
import type { DeadLetter } from "../../../../dead-letters/DeadLetters.ts";
import type { JetstreamEvent } from "../../../../firehose/events.ts";
import type { Server } from "../../../../lexicon/index.ts";
import type {
  DeadEvent,
  DeadLetter as DeadLetterView,
} from "../../../../lexicon/types/com/atrarium/admin/defs.ts";
import { atUri } from "../../../../records/address.ts";

const EVENTS_SHOWN = 100;

/** What an event was about, without its record (which may be large, and is the author's to show). */
function eventView(e: Partial<JetstreamEvent>): DeadEvent {
  const view: DeadEvent = { kind: String(e.kind), did: String(e.did), timeUs: Number(e.time_us) || 0 };
  if (e.kind === "commit" && e.commit) {
    view.operation = e.commit.operation;
    view.uri = atUri(String(e.did), e.commit.collection, e.commit.rkey);
  }
  return view;
}

function letterView(letter: DeadLetter): DeadLetterView {
  let events: Partial<JetstreamEvent>[] = [];
  try {
    const body = JSON.parse(letter.body) as { events?: unknown };
    if (Array.isArray(body?.events)) events = body.events as Partial<JetstreamEvent>[];
  } catch {
    // shown with no events: its error says what was wrong with it
  }
  return {
    id: String(letter.id),
    messageId: letter.messageId,
    error: letter.error,
    attempts: letter.attempts,
    ...(letter.failedAt !== null ? { failedAt: new Date(letter.failedAt).toISOString() } : {}),
    deadAt: new Date(letter.deadAt).toISOString(),
    eventCount: letter.eventCount,
    events: events.slice(0, EVENTS_SHOWN).map(eventView),
  };
}

export default function (server: Server, ctx: AppContext) {
  server.com.atrarium.admin.listDeadLetters({
    auth: adminAuth(ctx),
    handler: async ({ params }) => {
      if (params.cursor !== undefined && !/^\d{1,15}$/.test(params.cursor))
        throw new InvalidRequestError("Malformed cursor");
      const store = ctx.deadLetters();
      const before = params.cursor === undefined ? undefined : Number(params.cursor);
      const [page, counts] = await Promise.all([store.list(params.limit + 1, before), store.counts()]);
      const shown = page.slice(0, params.limit);
      const last = shown[shown.length - 1];
      return {
        encoding: "application/json",
        body: {
          deadLetters: shown.map(letterView),
          ...(page.length > params.limit && last ? { cursor: String(last.id) } : {}),
          total: counts.messages,
          totalEvents: counts.events,
          dropped: counts.dropped,
        },
      };
    },
  });
}
