import {
  createExecutionContext,
  createScheduledController,
  env,
  runDurableObjectAlarm,
  runInDurableObject,
  SELF,
} from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FirehoseReceiver, FirehoseStatus } from "../../src/firehose/FirehoseReceiver.ts";
import type { ReceiverOptions } from "../../src/firehose/receiver-options.ts";
import worker from "../../src/index.ts";
import {
  appendFrames,
  COMMUNITY,
  dropScenario,
  FAST,
  type LabeledFrame,
  MEMBER,
  putScenario,
  QueueWatch,
  serverReport,
  startReceiver,
  stream,
  subscribeUrl,
  waitFor,
} from "../firehose/harness.ts";
import type { ScriptedFirehoseReceiver } from "../firehose/scripted-receiver.ts";
import { commitFrame, didOf, likeFrame, postRecord, rkeyOf } from "../firehose/synthetic.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn().catch(() => {});
});

beforeAll(async () => {
  await env.DIRECTORY.getByName("directory").setKnownDids(COMMUNITY, [
    { did: MEMBER, role: "member", present: true },
  ]);
});

async function run(
  id: string,
  frames: LabeledFrame[],
  scenario: Omit<Parameters<typeof putScenario>[1], "frames"> = {},
  options = FAST,
) {
  await putScenario(id, { frames, ...scenario });
  const watch = new QueueWatch(frames);
  const stub = await startReceiver(id, { ...options, url: subscribeUrl(id) }, watch.seams);
  cleanups.push(async () => {
    await stub.stop();
    await dropScenario(id);
  });
  return { stub, watch };
}

/** Waits until the receiver has sent everything and its cursor reached the last frame, then checks the invariants. */
async function expectAllDelivered(
  stub: DurableObjectStub<FirehoseReceiver | ScriptedFirehoseReceiver>,
  watch: QueueWatch,
  frames: LabeledFrame[],
  timeoutMs = 20_000,
): Promise<FirehoseStatus> {
  const lastT = frames.filter((f) => f.t !== null).at(-1)?.t as number;
  const status = await waitFor(
    "every kept event sent and the cursor at the last frame",
    async () => {
      const s = await stub.getStatus();
      return s.cursor === lastT && s.bufferedEvents === 0 && watch.missing().length === 0 && s;
    },
    timeoutMs,
  ).catch(async (err) => {
    throw new Error(
      `${err}\nstatus ${JSON.stringify(await stub.getStatus())}\nmissing ${watch.missing().length}, problems ${watch.problems}`,
    );
  });
  expect(watch.missing()).toEqual([]);
  expect(watch.problems).toEqual([]);
  const keptTimes = new Set(frames.filter((f) => f.keep).map((f) => f.t));
  expect(watch.sent.filter((e) => !keptTimes.has(e.time_us))).toEqual([]);
  // The cursor only ever moved forward.
  expect(watch.cursors).toEqual([...watch.cursors].sort((a, b) => a - b));
  return status;
}

describe("FirehoseReceiver against a scripted Jetstream", { timeout: 30_000 }, () => {
  it("subscribes with the wanted collections and packs a stream into few queue messages", async () => {
    const frames = stream(2400);
    const { stub, watch } = await run("plain", frames);
    const status = await expectAllDelivered(stub, watch, frames);
    const report = await serverReport("plain");
    expect(report.connections).toHaveLength(1);
    expect(report.connections[0]?.cursor).toBeNull(); // a first start reads live
    expect(report.connections[0]?.wantedCollections.sort()).toEqual(["app.bsky.feed.post", "com.atrarium.*"]);
    expect(status).toMatchObject({ connected: true, eventsSeen: 2400, reconnects: 0, eventsMalformed: 0 });
    expect(status.eventsKept).toBe(frames.filter((f) => f.keep).length);
    expect(status.eventsSent).toBe(status.eventsKept);
    // Many events per message.
    expect(status.queueMessagesSent).toBeLessThan(status.eventsSent / 10);
    expect(watch.sent).toHaveLength(status.eventsKept);
  });

  it("sends a kept event at once after a quiet spell, and batches what arrives while a send is recent", async () => {
    const t0 = (Date.now() - 60_000) * 1000;
    const kept = (i: number): LabeledFrame => {
      const t = t0 + i * 1000;
      const record = postRecord(`post ${i} #atr_00ff00ff`);
      return {
        t,
        keep: true,
        data: commitFrame(MEMBER, t, "create", "app.bsky.feed.post", rkeyOf(i), record),
      };
    };
    const burst = Array.from({ length: 40 }, (_, i) => kept(i));
    // An interval long enough that the whole burst arrives within it.
    const { stub, watch } = await run("adaptive", [], {}, { ...FAST, flushMs: 1_000 });
    await waitFor("the receiver connects", async () => (await stub.getStatus()).connected);
    await appendFrames("adaptive", burst);
    await waitFor("the burst is sent", () => watch.sent.length === burst.length);
    // The first event went at once, alone; the rest waited for the interval and went together.
    expect(watch.eventsPerCall).toEqual([1, burst.length - 1]);
    // Quiet for longer than the interval: a lone event goes at once again.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await appendFrames("adaptive", [kept(100)]);
    await waitFor("the lone event is sent", () => watch.sent.length === burst.length + 1);
    expect(watch.eventsPerCall).toEqual([1, burst.length - 1, 1]);
    expect(watch.problems).toEqual([]);
  });

  it("reconnects after a dropped connection and a closed one, resuming a little before the cursor", async () => {
    const frames = stream(3000);
    const { stub, watch } = await run("disconnect", frames, {
      connections: [
        { frames: 900, after: "destroy" },
        { frames: 900, after: "close" },
      ],
    });
    const status = await expectAllDelivered(stub, watch, frames);
    const { connections } = await serverReport("disconnect");
    expect(connections.length).toBeGreaterThanOrEqual(3);
    expect(status.reconnects).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < connections.length; i++) {
      const resumedAt = connections[i]?.cursor as number;
      expect(resumedAt).toBeTypeOf("number");
      // Never past what the previous connection delivered; rewound by rewindUs from the saved cursor.
      expect(resumedAt).toBeLessThanOrEqual(
        (connections[i - 1]?.lastSentT as number) - (FAST.rewindUs as number),
      );
      // (A first start reads live; its cursor begins just before the first frame.)
      expect(resumedAt).toBeGreaterThanOrEqual(
        (connections[0]?.firstSentT as number) - 1 - (FAST.rewindUs as number),
      );
    }
  });

  it("treats a silent socket as dead and replaces it", async () => {
    const frames = stream(1500);
    const { stub, watch } = await run(
      "silent",
      frames,
      { connections: [{ frames: 700, after: "silent" }] },
      { ...FAST, silentMs: 800 },
    );
    const status = await expectAllDelivered(stub, watch, frames);
    const { connections } = await serverReport("silent");
    expect(connections.length).toBe(2);
    expect(connections[0]?.closed).toBe(true);
    expect(status.reconnects).toBe(1);
    expect(status.lastError).toMatch(/silent for/);
  });

  it("counts malformed and oversized frames, keeps reading, loses nothing else", async () => {
    const frames = stream(1200);
    const t = (i: number) => frames[i]?.t as number;
    const junk: LabeledFrame[] = [
      { t: null, data: "{not json", keep: false },
      { t: null, data: "", keep: false },
      { t: null, data: "[]", keep: false },
      { t: null, data: '{"did":"did:plc:x","time_us":1,"kind":"commit","commit":{"rev":"3', keep: false },
      { t: null, data: btoa("\u0000\u0001binary"), binary: true, keep: false },
    ];
    // A kept event too big for any queue message, and a big dropped one.
    const hugeConfig: LabeledFrame = {
      t: t(600) + 1,
      data: commitFrame(didOf(7), t(600) + 1, "create", "com.atrarium.community.config", rkeyOf(7), {
        name: "x".repeat(200_000),
      }),
      keep: false,
    };
    const hugeLike: LabeledFrame = {
      t: t(800) + 1,
      data: likeFrame(didOf(8), t(800) + 1, 8).replace(
        '"createdAt"',
        `"pad":"${"y".repeat(500_000)}","createdAt"`,
      ),
      keep: false,
    };
    const mixed = [
      ...frames.slice(0, 300),
      ...junk,
      ...frames.slice(300, 601),
      hugeConfig,
      ...frames.slice(601, 801),
      hugeLike,
      ...frames.slice(801),
    ];
    const { stub, watch } = await run("malformed", mixed);
    const status = await expectAllDelivered(stub, watch, mixed);
    expect(status.eventsMalformed).toBe(5);
    expect(status.eventsTooLarge).toBe(1);
    expect(status.lastError).toMatch(/too large/);
    expect(status.reconnects).toBe(0);
    expect(status.eventsSeen).toBe(mixed.length);
  });

  it("keeps events while the queue fails, pauses reading when its buffer is full, then resumes from the cursor", async () => {
    const frames = stream(3000);
    await putScenario("queuefail", { frames: frames.slice(0, 400) });
    const watch = new QueueWatch(frames);
    const stub = await startReceiver(
      "queuefail",
      { ...FAST, url: subscribeUrl("queuefail"), maxBufferBytes: 40_000 },
      watch.seams,
    );
    cleanups.push(async () => {
      await stub.stop();
      await dropScenario("queuefail");
    });
    // A first part goes through.
    const firstPart = frames.slice(0, 400).filter((f) => f.keep).length;
    await waitFor("the first part sent", () => watch.sentTimes.size === firstPart);
    watch.failing = true;
    await appendFrames("queuefail", frames.slice(400));
    const paused = await waitFor("paused on a full buffer, sends failing", async () => {
      const s = await stub.getStatus();
      return s.paused && (s.sendFailures ?? 0) > 0 && s;
    });
    expect(paused.connected).toBe(false);
    expect(paused.bufferedBytes).toBeLessThan(40_000 + 2_000);
    const cursorWhilePaused = paused.cursor;
    await new Promise((r) => setTimeout(r, 300));
    const waiting = await stub.getStatus();
    expect(waiting.cursor).toBe(cursorWhilePaused); // nothing accepted, nothing advanced
    // The oldest kept event has waited at least as long as this test did.
    expect(waiting.oldestBufferedMs).toBeGreaterThanOrEqual(300);
    watch.failing = false;
    const status = await expectAllDelivered(stub, watch, frames);
    expect(status.paused).toBe(false);
    expect(status.oldestBufferedMs).toBeUndefined();
    expect(watch.failedCalls).toBeGreaterThan(0);
    const { connections } = await serverReport("queuefail");
    expect(connections.length).toBeGreaterThanOrEqual(2);
    // Resumed from the cursor once the kept buffer drained (minus the rewind): never past what was read.
    const resumedAt = (connections[1]?.cursor as number) + (FAST.rewindUs as number);
    expect(resumedAt).toBeGreaterThanOrEqual(cursorWhilePaused as number);
    expect(resumedAt).toBeLessThanOrEqual(connections[0]?.lastSentT as number);
  });

  it("comes back after a restart of the object: the alarm reconnects from the saved cursor", async () => {
    const frames = stream(2000);
    const { stub, watch } = await run("restart", frames.slice(0, 1000));
    await waitFor("first half", async () => (await stub.getStatus()).cursor === frames[999]?.t);
    await waitFor("cursor saved", () => watch.cursors.at(-1) === frames[999]?.t);
    await runInDurableObject(stub, (_instance, state) => state.abort("test restart")).catch(() => {});
    await appendFrames("restart", frames.slice(1000));
    // A stub to an aborted object is broken: take a new one.
    // The new instance is constructed with the same seams. The alarm brings the receiver back (the cron would too).
    const again = env.SCRIPTED_FIREHOSE.getByName("restart");
    cleanups.unshift(async () => {
      await again.stop();
    });
    await runDurableObjectAlarm(again);
    const status = await expectAllDelivered(again, watch, frames);
    expect(status.started).toBe(true);
    const { connections } = await serverReport("restart");
    expect(connections.at(-1)?.cursor).toBe((frames[999]?.t as number) - (FAST.rewindUs as number));
  });

  it("backs off exponentially with jitter and a cap, and falls back to the next URL", async () => {
    await putScenario("refusing", { frames: [], refuseFirst: 1_000 });
    const frames = stream(300);
    await putScenario("fallback", { frames });
    const watch = new QueueWatch(frames);
    const stub = await startReceiver(
      "backoff",
      { ...FAST, backoffBaseMs: 40, backoffMaxMs: 200, url: [subscribeUrl("refusing")] },
      watch.seams,
    );
    cleanups.push(async () => {
      await stub.stop();
      await dropScenario("refusing");
      await dropScenario("fallback");
    });
    const attempts = await waitFor("eight attempts", async () => {
      const { attempts } = await serverReport("refusing");
      return attempts.length >= 8 && attempts;
    });
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] as number));
    // base·2^n with full jitter in [cap/2, cap]: 20-40, 40-80, 80-160, then capped at 100-200.
    expect(gaps[0]).toBeLessThan(gaps[2] as number);
    for (const gap of gaps.slice(3)) {
      expect(gap).toBeGreaterThanOrEqual(90);
      expect(gap).toBeLessThan(1_000); // uncapped, the seventh gap alone would be 1280-2560 ms
    }
    const failing = await stub.getStatus();
    expect(failing.connected).toBe(false);
    expect(failing.reconnects).toBeGreaterThanOrEqual(7);
    expect(failing.lastError).toBeDefined();

    // With a fallback, the receiver moves on to it.
    const url = await stub.start({ ...FAST, url: [subscribeUrl("refusing"), subscribeUrl("fallback")] });
    expect(url).toBe(subscribeUrl("refusing"));
    await expectAllDelivered(stub, watch, frames);
    expect((await stub.getStatus()).url).toBe(subscribeUrl("fallback"));
  });
});

describe("the receiver's seams", () => {
  it("are constructor options only: a queue handed to start() over RPC is never used", async () => {
    const frames = stream(240);
    await putScenario("rpc-seams", { frames });
    const stub = env.FIREHOSE_RECEIVER.getByName("rpc-seams");
    cleanups.push(async () => {
      await stub.stop();
      await dropScenario("rpc-seams");
    });
    let foreignSends = 0;
    const foreignQueue = {
      sendBatch: async () => {
        foreignSends++;
      },
    };
    // What any caller of the RPC surface could try: start with its own queue.
    const rpc = stub as unknown as { start(options: ReceiverOptions, seams: unknown): Promise<string> };
    await rpc.start({ ...FAST, url: subscribeUrl("rpc-seams") }, { queue: foreignQueue });
    const kept = frames.filter((f) => f.keep).length;
    const lastT = frames.at(-1)?.t;
    await waitFor("everything kept sent, the cursor at the last frame", async () => {
      const s = await stub.getStatus();
      return s.eventsSent === kept && s.cursor === lastT;
    });
    expect(foreignSends).toBe(0);
  });
});

describe("starting the receiver", () => {
  const basic = `Basic ${btoa("admin:test-admin-password")}`;
  const xrpc = (method: string, init?: RequestInit) =>
    SELF.fetch(`https://feeds.test/xrpc/${method}`, {
      ...init,
      headers: { authorization: basic, ...(init?.body ? { "content-type": "application/json" } : {}) },
    });

  it("the cron trigger and startFirehose start it; getFirehoseStatus reports integers only", {
    timeout: 15_000,
  }, async () => {
    const stub = env.FIREHOSE_RECEIVER.getByName("firehose");
    cleanups.push(async () => {
      await stub.stop();
      await dropScenario("cron");
    });
    // A Jetstream that refuses every connection (JETSTREAM_URL's port may be taken on a dev machine).
    await putScenario("cron", { frames: [], refuseFirst: 1_000 });
    const url = subscribeUrl("cron");
    await stub.start({ url });
    await stub.stop();
    expect((await stub.getStatus()).started).toBe(false);
    // SELF cannot deliver a scheduled event here; call the Worker's handler as the runtime would.
    const handler = worker as unknown as Required<Pick<ExportedHandler<typeof env>, "scheduled">>;
    await handler.scheduled(createScheduledController({ cron: "* * * * *" }), env, createExecutionContext());
    const afterCron = await stub.getStatus();
    expect(afterCron.started).toBe(true);
    expect(afterCron.url).toBe(url);

    const res = await xrpc("com.atrarium.admin.startFirehose", { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ started: true, url });

    // Nothing listens at the configured URL: the receiver keeps retrying and says why.
    await waitFor("a failed attempt", async () => (await stub.getStatus()).reconnects > 0);
    const status = await xrpc("com.atrarium.admin.getFirehoseStatus");
    expect(status.status).toBe(200);
    const body = (await status.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ connected: false, url, eventsSeen: 0 });
    expect(body.lastError).toMatch(/socket|connect/);
    expect(Object.keys(body).sort()).toEqual(
      expect.arrayContaining([
        "connected",
        "eventsKept",
        "eventsSeen",
        "eventsSent",
        "queueMessagesSent",
        "reconnects",
      ]),
    );
    for (const key of Object.keys(body)) {
      expect(
        [
          "connected",
          "url",
          "cursor",
          "lagSeconds",
          "eventsSeen",
          "eventsKept",
          "eventsSent",
          "queueMessagesSent",
          "reconnects",
          "eventsTooLarge",
          "eventsMalformed",
          "eventsSeenPerSecond",
          "eventsKeptPerSecond",
          "eventsSentPerSecond",
          "lastError",
          "startedAt",
          "routing",
          "oldestBufferedMs",
          "deadLetters",
          "deadLetterEvents",
        ],
        key,
      ).toContain(key);
      if (typeof body[key] === "number") expect(Number.isInteger(body[key]), key).toBe(true);
    }
    const routing = body.routing as Record<string, unknown>;
    for (const value of Object.values(routing)) expect(Number.isInteger(value)).toBe(true);
  });
});
