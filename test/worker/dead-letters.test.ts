import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ObjectContext } from "../../src/context.ts";
import { MAX_DEAD_EVENTS } from "../../src/dead-letters/DeadLetters.ts";
import type { Env } from "../../src/env.ts";
import type { JetstreamEvent, QueueMessageBody } from "../../src/firehose/events.ts";
import { processFirehoseBatch } from "../../src/firehose/queue-consumer.ts";
import worker from "../../src/index.ts";
import { commitFrame, didOf, postRecord, rkeyOf } from "../firehose/synthetic.ts";

// Dead letters through the real consumer code, the real DeadLetters object
// and the admin routes: a message fails every attempt, reaches the
// dead-letter queue, is listed with the error that killed it, and is
// redriven once its community works again.

const OWNER = didOf(700);
const MEMBER = didOf(701);
const HASHTAG = "#atr_dead0001";
const COMMUNITY = `at://${OWNER}/com.atrarium.community.config/3kdead0000001`;
const ADMIN = { authorization: `Basic ${btoa("admin:test-admin-password")}` };

let clock = (Date.now() - 600_000) * 1000;
const now = () => (clock += 1000);
let seq = 0;
const ev = (raw: string) => JSON.parse(raw) as JetstreamEvent;
const post = (text: string) =>
  ev(commitFrame(MEMBER, now(), "create", "app.bsky.feed.post", rkeyOf(++seq), postRecord(text)));
const uriOf = (e: JetstreamEvent) =>
  e.kind === "commit" ? `at://${e.did}/${e.commit.collection}/${e.commit.rkey}` : "";

const ctx = new ObjectContext(env);

/** A context whose community object is down, as one can be for a while (overload, a bad deploy). */
class CommunityDown extends ObjectContext {
  override communityFeed(uri: string) {
    const stub = super.communityFeed(uri);
    if (uri !== COMMUNITY) return stub;
    return {
      applyEvents: async () => {
        throw new Error("Durable Object is overloaded (community down)");
      },
    } as unknown as typeof stub;
  }
}

function batch(queue: string, messages: { id: string; attempts: number; body: unknown }[]) {
  return createMessageBatch<QueueMessageBody>(
    queue,
    messages.map((m) => ({ ...m, timestamp: new Date(), body: m.body as QueueMessageBody })),
  );
}

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const [error, warn, log] = [console.error, console.warn, console.log];
  console.error = console.warn = console.log = () => {};
  try {
    return await fn();
  } finally {
    [console.error, console.warn, console.log] = [error, warn, log];
  }
}

async function admin<T>(method: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await SELF.fetch(`https://feeds.test/xrpc/${method}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { ...ADMIN, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

interface Listed {
  deadLetters: {
    id: string;
    messageId: string;
    error: string;
    attempts: number;
    eventCount: number;
    events: { uri?: string; kind: string }[];
  }[];
  cursor?: string;
  total: number;
  totalEvents: number;
  dropped: number;
}

async function feed(): Promise<string[]> {
  const page = await env.COMMUNITY_FEED.getByName(COMMUNITY).getFeedSkeleton(100);
  if (!page.ok) throw new Error(page.message);
  return page.feed.map((f) => f.post);
}

beforeAll(async () => {
  const setup = batch("firehose-events", [
    {
      id: "setup",
      attempts: 1,
      body: {
        events: [
          ev(
            commitFrame(OWNER, now(), "create", "com.atrarium.community.config", "3kdead0000001", {
              $type: "com.atrarium.community.config",
              name: "dead letters",
              hashtag: HASHTAG,
              stage: "community",
              createdAt: new Date().toISOString(),
            }),
          ),
          ev(
            commitFrame(MEMBER, now(), "create", "com.atrarium.community.membership", rkeyOf(++seq), {
              $type: "com.atrarium.community.membership",
              community: COMMUNITY,
              role: "member",
              joinedAt: new Date().toISOString(),
            }),
          ),
        ],
      },
    },
  ]);
  await processFirehoseBatch(setup, ctx);
});

describe("dead letters", () => {
  it("keep a message that failed every attempt with its last error, and redrive it once the community works", async () => {
    const lost = post(`written while the community was down ${HASHTAG}`);
    const body = { events: [lost] };
    const down = new CommunityDown(env);
    // Every attempt the queue makes (max_retries = 3: four in all) fails and is retried.
    for (let attempts = 1; attempts <= 4; attempts++) {
      const attempt = batch("firehose-events", [{ id: "poison-1", attempts, body }]);
      await quietly(() => processFirehoseBatch(attempt, down));
      const result = await getQueueResult(attempt, createExecutionContext());
      expect(result.retryMessages.map((m) => m.msgId)).toEqual(["poison-1"]);
    }
    // The queue moves it to the dead-letter queue, whose consumer is the Worker's queue() too.
    const dead = batch("firehose-dlq", [{ id: "poison-1", attempts: 1, body }]);
    const handler = worker as unknown as {
      queue(batch: MessageBatch<QueueMessageBody>, env: Env, ctx: ExecutionContext): Promise<void>;
    };
    await quietly(() => handler.queue(dead, env as unknown as Env, createExecutionContext()));
    expect((await getQueueResult(dead, createExecutionContext())).ackAll).toBe(true);

    const listed = await admin<Listed>("com.atrarium.admin.listDeadLetters");
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ total: 1, totalEvents: 1, dropped: 0 });
    const [letter] = listed.body.deadLetters;
    expect(letter).toMatchObject({ messageId: "poison-1", attempts: 4, eventCount: 1 });
    expect(letter?.error).toContain("Durable Object is overloaded (community down)");
    expect(letter?.events).toEqual([expect.objectContaining({ kind: "commit", uri: uriOf(lost) })]);
    const status = await admin<{ deadLetters: number; deadLetterEvents: number }>(
      "com.atrarium.admin.getFirehoseStatus",
    );
    expect(status.body).toMatchObject({ deadLetters: 1, deadLetterEvents: 1 });
    expect(await feed()).not.toContain(uriOf(lost));

    // A second delivery of the same dead letter keeps one copy.
    const again = batch("firehose-dlq", [{ id: "poison-1", attempts: 1, body }]);
    await quietly(() => handler.queue(again, env as unknown as Env, createExecutionContext()));
    expect((await admin<Listed>("com.atrarium.admin.listDeadLetters")).body.total).toBe(1);

    // The community works again: redrive applies it through the normal path.
    const redriven = await quietly(() =>
      admin<{ redriven: number; failed: number; remaining: number; results: unknown[] }>(
        "com.atrarium.admin.redriveDeadLetters",
        { ids: [letter?.id] },
      ),
    );
    expect(redriven.status).toBe(200);
    expect(redriven.body).toEqual({
      redriven: 1,
      failed: 0,
      remaining: 0,
      results: [{ id: letter?.id, status: "redriven" }],
    });
    expect(await feed()).toContain(uriOf(lost));
    expect((await admin<Listed>("com.atrarium.admin.listDeadLetters")).body.total).toBe(0);
  });

  it("keeps a letter that fails again, with the new error, and says which ids it does not know", async () => {
    const store = env.DEAD_LETTERS.getByName("dead-letters");
    const body = { events: [post(`again ${HASHTAG}`)] };
    await store.add([{ key: "k-again", messageId: "m-again", body: JSON.stringify(body), eventCount: 1 }]);
    const [letter] = (await admin<Listed>("com.atrarium.admin.listDeadLetters")).body.deadLetters;
    expect(letter?.error).toMatch(/^unknown/); // no failed attempt was reported for it
    // Redrive through the real handler while the community is still down: drive the function directly.
    const { redriveDeadLetters } = await import("../../src/dead-letters/redrive.ts");
    const results = await quietly(() =>
      redriveDeadLetters(new CommunityDown(env), [Number(letter?.id), 999_999]),
    );
    expect(results).toEqual([
      { id: 999_999, status: "notFound" },
      { id: Number(letter?.id), status: "failed", error: expect.stringContaining("community down") },
    ]);
    const [kept] = (await admin<Listed>("com.atrarium.admin.listDeadLetters")).body.deadLetters;
    expect(kept).toMatchObject({ id: letter?.id, attempts: 1 });
    expect(kept?.error).toContain("community down");
    // Redriving all of them (no ids) takes the oldest first; this one now applies.
    const all = await quietly(() =>
      admin<{ redriven: number; remaining: number }>("com.atrarium.admin.redriveDeadLetters", {}),
    );
    expect(all.body).toMatchObject({ redriven: 1, remaining: 0 });
  });

  it("stays bounded: the oldest letters go once more than 10,000 events are kept, and are counted", async () => {
    const store = env.DEAD_LETTERS.getByName("dead-letters");
    const big = (n: number) => ({
      key: `bound-${n}`,
      messageId: `bound-${n}`,
      body: JSON.stringify({ events: [] }),
      eventCount: 3_000,
    });
    await store.add([big(1), big(2), big(3)]);
    expect((await store.counts()).events).toBe(9_000);
    const counts = await store.add([big(4), big(5)]);
    expect(counts.events).toBeLessThanOrEqual(MAX_DEAD_EVENTS);
    expect(counts).toMatchObject({ messages: 3, events: 9_000, dropped: 2 });
    const listed = await admin<Listed>("com.atrarium.admin.listDeadLetters?limit=2");
    expect(listed.body.deadLetters.map((l) => l.messageId)).toEqual(["bound-5", "bound-4"]);
    const next = await admin<Listed>(
      `com.atrarium.admin.listDeadLetters?limit=2&cursor=${listed.body.cursor}`,
    );
    expect(next.body.deadLetters.map((l) => l.messageId)).toEqual(["bound-3"]);
    expect(next.body.cursor).toBeUndefined();
    expect((await admin("com.atrarium.admin.listDeadLetters?cursor=abc")).status).toBe(400);
  });

  it("requires admin auth", async () => {
    for (const [method, init] of [
      ["listDeadLetters", {}],
      ["redriveDeadLetters", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }],
    ] as const) {
      const res = await SELF.fetch(`https://feeds.test/xrpc/com.atrarium.admin.${method}`, init);
      expect(res.status).toBe(401);
    }
  });
});
