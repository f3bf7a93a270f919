// Routing keeps which community holds each hashtag in the isolate (issue 18,
// item 2: fewer Directory lookups per batch), and never uses a holder after
// the claims changed: the Directory's claims version empties the cache.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ObjectContext } from "../../src/context.ts";
import type { Env } from "../../src/env.ts";
import type { JetstreamEvent, QueueMessageBody } from "../../src/firehose/events.ts";
import { processFirehoseBatch } from "../../src/firehose/queue-consumer.ts";
import { atUri, COLLECTIONS } from "../../src/records/address.ts";
import { at, community, config, did, membership, rkey } from "./community-fixtures.ts";
import { commit } from "./helpers/firehose.ts";

/** A context that records the hashtags each Directory lookup asks for. */
class WatchedContext extends ObjectContext {
  readonly asked: string[][] = [];

  override directory() {
    const stub = super.directory();
    return new Proxy(stub, {
      get: (target, name) => {
        const value = Reflect.get(target, name);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (name === "lookup") this.asked.push([...(args[0] as { hashtags: string[] }).hashtags]);
          return Reflect.apply(value, target, args);
        };
      },
    });
  }
}

async function deliver(ctx: ObjectContext, ...messages: JetstreamEvent[][]): Promise<void> {
  const batch = createMessageBatch<QueueMessageBody>(
    "firehose-events",
    messages.map((events, i) => ({
      id: `c${rkey()}${i}`,
      timestamp: new Date(),
      attempts: 1,
      body: { events },
    })),
  );
  const execution = createExecutionContext();
  await processFirehoseBatch(batch, ctx);
  const result = await getQueueResult(batch, execution);
  if (result.retryMessages.length > 0) throw new Error(`retried: ${JSON.stringify(result.retryMessages)}`);
}

function post(author: string, text: string): { event: JetstreamEvent; uri: string } {
  const uri = atUri(author, COLLECTIONS.post, rkey());
  const event = commit({ uri, cid: `bafy${rkey()}` }, { text, createdAt: new Date().toISOString() });
  return { event, uri };
}

describe("the claims cache", () => {
  it("asks the Directory only for hashtags it has not seen", async () => {
    const ctx = new WatchedContext(env as unknown as Env);
    const c = community();
    const alice = did("alice");
    await c.apply(config(c, { time: at(1) }), membership(c, alice, { time: at(2) }));
    const other = "#atr_0123abcd";
    await deliver(ctx, [post(alice, `one ${c.hashtag}`).event, post(alice, `two ${other}`).event]);
    await deliver(ctx, [post(alice, `three ${c.hashtag}`).event], [post(alice, `four ${other}`).event]);
    expect(ctx.asked).toEqual([[c.hashtag, other], []]);
    expect(await c.posts()).toHaveLength(2);
  });

  it("never routes by a holder the claims no longer name: a released hashtag's posts go to its new holder", async () => {
    const ctx = new WatchedContext(env as unknown as Env);
    const holder = community();
    const waiting = community({ hashtag: holder.hashtag });
    const alice = did("alice");
    const bob = did("bob");
    await holder.apply(config(holder, { time: at(1) }), membership(holder, alice, { time: at(2) }));
    await waiting.apply(config(waiting, { time: at(3) }), membership(waiting, bob, { time: at(4) }));
    const first = post(alice, `before ${holder.hashtag}`);
    await deliver(ctx, [first.event]);
    expect(await holder.posts()).toEqual([first.uri]);

    // The holder names another hashtag (its object tells the Directory; this context is not involved).
    const moved = `#atr_${holder.hashtag.slice(5).split("").reverse().join("")}`;
    await holder.apply(config(holder, { time: at(10), operation: "update", hashtag: moved }));
    expect(await waiting.stub.status()).toBe("active");
    const second = post(bob, `after ${holder.hashtag}`);
    await deliver(ctx, [second.event]);
    expect(await waiting.posts()).toEqual([second.uri]);
  });
});
