import { describe, expect, it } from "vitest";
import {
  MESSAGE_OVERHEAD,
  type PackLimits,
  packBatch,
  type SizedEvent,
} from "../../src/firehose/batch-packing.ts";
import type { JetstreamEvent } from "../../src/firehose/events.ts";
import { FlushPacer } from "../../src/firehose/flush-pacer.ts";
import { MemberSet } from "../../src/firehose/member-set.ts";
import { RateWindow, zeroCounters } from "../../src/firehose/rate-counters.ts";
import { backoffDelay, ReconnectPolicy } from "../../src/firehose/reconnect-policy.ts";
import { SendBuffer } from "../../src/firehose/send-buffer.ts";
import { commitFrame, didOf, postRecord, rkeyOf } from "../firehose/synthetic.ts";

// The receiver's parts on their own: no socket, no queue, no object.

const LIMITS: PackLimits = { maxMessageBytes: 120_000, maxBatchBytes: 240_000, maxBatchMessages: 100 };

/** Kept events of about `bytes` bytes each, as the receiver sizes them. */
function events(n: number, bytes: number): SizedEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const raw = commitFrame(
      didOf(i),
      1_000_000 + i,
      "create",
      "app.bsky.feed.post",
      rkeyOf(i),
      postRecord("x"),
    );
    const padded = raw.replace('"text":"x"', `"text":"${"x".repeat(Math.max(1, bytes - raw.length + 1))}"`);
    return { event: JSON.parse(padded) as JetstreamEvent, bytes: new TextEncoder().encode(padded).length };
  });
}

const jsonBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe("packBatch", () => {
  it("puts everything in one message when it fits", () => {
    const items = events(10, 500);
    const packed = packBatch(items, 0, LIMITS);
    expect(items.every((i) => i.bytes === 500)).toBe(true);
    expect(packed.taken).toBe(10);
    expect(packed.messages).toHaveLength(1);
    expect(packed.messages[0]?.events).toEqual(items.map((i) => i.event));
    expect(packed.bytes).toBe(items.reduce((n, i) => n + i.bytes, 0));
  });

  it("starts a new message before one would pass the message limit, and keeps the order", () => {
    const items = events(50, 1_000);
    const limits = { ...LIMITS, maxMessageBytes: 10_000 };
    const packed = packBatch(items, 0, limits);
    expect(packed.taken).toBe(50);
    expect(packed.messages.length).toBeGreaterThanOrEqual(5);
    for (const m of packed.messages) expect(jsonBytes(m)).toBeLessThanOrEqual(10_000);
    expect(packed.messages.flatMap((m) => m.events)).toEqual(items.map((i) => i.event));
    // Each message but the last is full: one more event would not have fitted.
    for (const m of packed.messages.slice(0, -1)) expect(jsonBytes(m) + 1_001).toBeGreaterThan(10_000);
  });

  it("stops at the batch byte limit and at the message count, taking from `from` on", () => {
    const items = events(1_000, 1_000);
    const byBytes = packBatch(items, 100, LIMITS);
    expect(byBytes.taken).toBeLessThan(240);
    expect(byBytes.messages[0]?.events[0]).toBe(items[100]?.event);
    expect(byBytes.messages.reduce((n, m) => n + jsonBytes(m), 0)).toBeLessThanOrEqual(240_000);
    const byCount = packBatch(items, 0, { ...LIMITS, maxMessageBytes: 2_100, maxBatchMessages: 3 });
    expect(byCount.messages).toHaveLength(3);
    expect(byCount.taken).toBe(6);
  });

  it("always takes the first event, and nothing from an empty list", () => {
    const [big] = events(1, 100_000);
    const packed = packBatch([big as SizedEvent, ...events(3, 400)], 0, { ...LIMITS, maxBatchBytes: 1_000 });
    expect(packed.taken).toBe(1);
    expect(jsonBytes(packed.messages[0])).toBeLessThanOrEqual((big as SizedEvent).bytes + MESSAGE_OVERHEAD);
    expect(packBatch([], 0, LIMITS)).toEqual({ messages: [], taken: 0, bytes: 0 });
  });
});

describe("SendBuffer", () => {
  it("keeps a batch until it is accepted, again after a failure, and reports its oldest event", () => {
    const buffer = new SendBuffer();
    const items = events(5, 500);
    for (const [i, item] of items.entries()) buffer.push(item.event, item.bytes, 1_000 + i);
    expect(buffer.oldestKeptAt()).toBe(1_000);
    const first = buffer.take({ ...LIMITS, maxBatchBytes: 1_100 });
    expect(first?.taken).toBe(2);
    expect(first?.all).toBe(false);
    expect(buffer.take(LIMITS)).toBeNull(); // one send at a time
    buffer.failed();
    expect(buffer.length).toBe(5);
    const again = buffer.take({ ...LIMITS, maxBatchBytes: 1_100 });
    expect(again?.messages).toEqual(first?.messages);
    buffer.accepted();
    expect(buffer.length).toBe(3);
    expect(buffer.oldestKeptAt()).toBe(1_002);
    const rest = buffer.take(LIMITS);
    expect(rest?.all).toBe(true);
    expect(rest?.last).toBe(items[4]?.event);
    buffer.accepted();
    expect(buffer.length).toBe(0);
    expect(buffer.bytes).toBe(0);
    expect(buffer.oldestKeptAt()).toBeUndefined();
  });
});

describe("FlushPacer", () => {
  it("lets a send go at once after a quiet spell, and spaces sends one interval apart under load", () => {
    const pacer = new FlushPacer(250);
    expect(pacer.wait(1_000)).toBe(0); // nothing sent yet
    pacer.sent(1_000);
    expect(pacer.wait(1_000)).toBe(250);
    expect(pacer.wait(1_100)).toBe(150);
    expect(pacer.wait(1_250)).toBe(0);
    pacer.sent(1_260);
    expect(pacer.wait(5_000)).toBe(0); // quiet again
    pacer.configure(1_000);
    expect(pacer.wait(1_500)).toBe(760);
  });
});

describe("ReconnectPolicy", () => {
  it("doubles the cap up to the maximum, with delays in [cap/2, cap], and starts over on reset", () => {
    const settings = { baseMs: 100, maxMs: 1_000 };
    expect(backoffDelay(0, settings, () => 0)).toBe(50);
    expect(backoffDelay(0, settings, () => 1)).toBe(100);
    expect(backoffDelay(3, settings, () => 1)).toBe(800);
    expect(backoffDelay(4, settings, () => 1)).toBe(1_000);
    expect(backoffDelay(40, settings, () => 0)).toBe(500);
    const policy = new ReconnectPolicy(settings, () => 1);
    expect([policy.nextDelay(), policy.nextDelay(), policy.nextDelay()]).toEqual([100, 200, 400]);
    expect(policy.attempts).toBe(3);
    policy.reset();
    expect(policy.nextDelay()).toBe(100);
  });
});

describe("MemberSet", () => {
  it("loads once at a time, keeps learned DIDs for a while, and keeps the old set when a load fails", async () => {
    let now = 0;
    let answer: string[] | Error = ["did:plc:a"];
    let loads = 0;
    const set = new MemberSet(
      async (after) => {
        if (after === "") loads++;
        if (answer instanceof Error) throw answer;
        return answer.filter((did) => did > after);
      },
      30_000,
      () => now,
    );
    // Which of the DIDs this test uses stage 1 would keep.
    const kept = () => ["did:plc:a", "did:plc:b", "did:plc:c", "did:plc:new"].filter((d) => set.dids.has(d));
    expect(set.loaded).toBe(false);
    expect(await Promise.all([set.refresh(), set.refresh()])).toEqual([true, true]);
    expect(loads).toBe(1);
    expect(kept()).toEqual(["did:plc:a"]);
    set.learn("did:plc:new");
    now = 10_000;
    expect(set.due()).toBe(false);
    answer = ["did:plc:b"];
    await set.refresh();
    expect(kept()).toEqual(["did:plc:b", "did:plc:new"]);
    now = 10_000 + 6 * 60_000; // the learned DID has expired
    answer = new Error("directory down");
    const warn = console.warn;
    console.warn = () => {};
    try {
      expect(await set.refresh()).toBe(false);
    } finally {
      console.warn = warn;
    }
    expect(kept()).toEqual(["did:plc:b", "did:plc:new"]);
    now += 1_000; // retried a second later
    expect(set.due()).toBe(true);
    answer = ["did:plc:c"];
    await set.refresh();
    expect(kept()).toEqual(["did:plc:c"]);
  });
});

describe("MemberSet at scale", () => {
  it("loads the Directory's DIDs page by page, to the end", async () => {
    const all = Array.from({ length: 25 }, (_, i) => `did:plc:${i.toString(36).padStart(4, "0")}`);
    const asked: string[] = [];
    const set = new MemberSet(async (after) => {
      asked.push(after);
      return all.filter((did) => did > after).slice(0, 10);
    }, 30_000);
    expect(await set.refresh()).toBe(true);
    expect(set.size).toBe(25);
    for (const did of all) expect(set.dids.has(did)).toBe(true);
    expect(set.dids.has("did:plc:other")).toBe(false);
    expect(asked).toEqual(["", all[9], all[19], all[24]]);
  });
});

describe("RateWindow", () => {
  it("reports integer rates over the window once a second has passed", () => {
    const window = new RateWindow();
    const c = zeroCounters();
    window.sample(0, c);
    expect(window.rates(500, c)).toEqual({});
    c.eventsSeen = 3_000;
    c.eventsKept = 30;
    c.eventsSent = 29;
    expect(window.rates(2_000, c)).toEqual({
      eventsSeenPerSecond: 1_500,
      eventsKeptPerSecond: 15,
      eventsSentPerSecond: 15,
    });
    // Old samples leave the window: the rate follows the last ten seconds.
    for (let t = 1_000; t <= 30_000; t += 1_000) window.sample(t, c);
    c.eventsSeen += 100;
    expect(window.rates(31_000, c).eventsSeenPerSecond).toBe(9);
  });
});
