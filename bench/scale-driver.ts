// Bench only (bench:scale, exported by its generated entry): a Durable Object
// in the Worker's own runtime that seeds the Directory with communities and
// their members, and routes a synthetic mixed stream through the consumer's
// routing (src/firehose/routing.ts) against it, timing every Directory call.
// Nothing here is applied to a community: routing is what the number of
// communities can slow down (the Directory's lookups and parks); applying
// happens in each community's own object.
import { DurableObject } from "cloudflare:workers";
import { ObjectContext } from "../src/context.ts";
import type { Env } from "../src/env.ts";
import { routeMessages } from "../src/firehose/routing.ts";
import { prng, scaleCommunity, scaleMember, streamMessage } from "./scale-stream.ts";

/** Batches routed at once. */
const CONCURRENCY = 4;

export class ScaleDriver extends DurableObject<Env> {
  private context: TimedDirectoryContext | undefined;

  /** Claims the hashtags of communities [from, to) and makes their members known, as their objects would. */
  async seed(from: number, to: number, members: number): Promise<void> {
    const directory = this.env.DIRECTORY.getByName("directory");
    const observed = Date.now() * 1000;
    const work: Promise<unknown>[] = [];
    for (let i = from; i < to; i++) {
      const c = scaleCommunity(i);
      work.push(
        directory.claimHashtag({
          community: c.uri,
          owner: c.owner,
          hashtag: c.hashtag,
          observed: observed + i,
        }),
        directory.setKnownDids(
          c.uri,
          Array.from({ length: members }, (_, m) => ({
            did: scaleMember(i, m),
            role: "member" as const,
            present: true,
          })),
        ),
      );
      if (work.length >= 64) await Promise.all(work.splice(0));
    }
    await Promise.all(work);
  }

  /**
   * Routes `messages` messages of `size` events over `communities`
   * communities, `batch` messages at a time as the queue delivers them,
   * CONCURRENCY batches at once.
   * Returns the events routed, the milliseconds it took, and each Directory call's milliseconds.
   */
  async route(
    communities: number,
    members: number,
    messages: number,
    size: number,
    batch: number,
    seed: number,
  ): Promise<{ events: number; ms: number; directoryMs: number[] }> {
    const random = prng(seed);
    const seq = { n: seed * 10_000_000 };
    const stream = Array.from({ length: messages }, () =>
      streamMessage(random, communities, members, size, seq),
    );
    const directoryMs: number[] = [];
    // One context for the driver's life, as the Worker keeps one per isolate (its claims cache warm).
    this.context ??= new TimedDirectoryContext(this.env);
    const ctx = this.context;
    ctx.times = directoryMs;
    await new Promise((resolve) => setTimeout(resolve, 0));
    const started = performance.now();
    // Several batches at once, as the queue runs several consumer invocations.
    const batches = Array.from({ length: Math.ceil(stream.length / batch) }, (_, b) =>
      stream.slice(b * batch, b * batch + batch),
    );
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let next = batches.shift(); next; next = batches.shift()) await routeMessages(ctx, next);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { events: messages * size, ms: performance.now() - started, directoryMs };
  }

  /** The Directory's SQLite size, as the runtime reports it. */
  directoryBytes(): Promise<number> {
    return (
      this.env.DIRECTORY.getByName("directory") as unknown as { benchStorageBytes(): Promise<number> }
    ).benchStorageBytes();
  }
}

/** The Worker's context, with every Directory call timed (from call to answer). */
class TimedDirectoryContext extends ObjectContext {
  times: number[] = [];

  override directory() {
    const stub = super.directory();
    return new Proxy(stub, {
      get: (target, name) => {
        const value = Reflect.get(target, name);
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          const t = performance.now();
          const result = await Reflect.apply(value, target, args);
          this.times.push(performance.now() - t);
          return result;
        };
      },
    });
  }
}
