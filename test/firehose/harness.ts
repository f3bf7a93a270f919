// Runs inside workerd: drives the scripted Jetstream (script-server.ts) and
// watches one FirehoseReceiver's queue sends through the seams it is constructed with.
import { env } from "cloudflare:test";
import { inject } from "vitest";
import type { JetstreamEvent, QueueMessageBody } from "../../src/firehose/events.ts";
import type { ReceiverOptions, ReceiverSeams } from "../../src/firehose/receiver-options.ts";
import type { ConnectionReport, Scenario, ScriptFrame } from "./script-server.ts";
import { type ScriptedFirehoseReceiver, seamReceiver } from "./scripted-receiver.ts";
import {
  accountFrame,
  commitFrame,
  didOf,
  followFrame,
  identityFrame,
  likeFrame,
  plainText,
  postRecord,
  rkeyOf,
} from "./synthetic.ts";

export interface LabeledFrame extends ScriptFrame {
  keep: boolean;
}

export const MEMBER = didOf(1);
export const COMMUNITY = `at://${didOf(0)}/com.atrarium.community.config/3kcommunity0`;

/**
 * A stream of `n` frames, one per millisecond of time_us, about one in six
 * kept by stage 1. Every frame is labelled with what stage 1 must do.
 */
export function stream(n: number, base = (Date.now() - 60_000) * 1000): LabeledFrame[] {
  const frames: LabeledFrame[] = [];
  for (let i = 0; i < n; i++) {
    const t = base + i * 1000;
    const did = i % 5 === 0 ? MEMBER : didOf(1000 + i);
    let data: string;
    let keep = false;
    switch (i % 12) {
      case 0:
        data = commitFrame(
          did,
          t,
          "create",
          "app.bsky.feed.post",
          rkeyOf(i),
          postRecord(`${plainText(i)} #atr_00ff00ff`),
        );
        keep = true;
        break;
      case 1:
        data = commitFrame(did, t, "create", "app.bsky.feed.post", rkeyOf(i), postRecord(plainText(i)));
        break;
      case 2:
        data = commitFrame(did, t, "delete", "app.bsky.feed.post", rkeyOf(i));
        keep = did === MEMBER;
        break;
      case 3:
        // A collection under com.atrarium.* that the processor does not index: kept, then ignored.
        data = commitFrame(did, t, "create", "com.atrarium.test.thing", rkeyOf(i), { n: i });
        keep = true;
        break;
      case 4:
        data = accountFrame(did, t, false);
        keep = did === MEMBER;
        break;
      case 5:
        data = identityFrame(did, t);
        break;
      case 6:
      case 7:
      case 8:
        data = likeFrame(did, t, i);
        break;
      default:
        data = followFrame(did, t, i);
    }
    frames.push({ t, data, keep });
  }
  return frames;
}

const base = () => inject("jetstreamScriptUrl");

export function subscribeUrl(id: string): string {
  return `${base().replace(/^http/, "ws")}/s/${id}/subscribe`;
}

export async function putScenario(id: string, scenario: Scenario): Promise<void> {
  const res = await fetch(`${base()}/control/${id}`, { method: "PUT", body: JSON.stringify(scenario) });
  if (res.status !== 204) throw new Error(`scenario ${id}: ${res.status}`);
}

export async function appendFrames(id: string, frames: ScriptFrame[]): Promise<void> {
  const res = await fetch(`${base()}/control/${id}/append`, { method: "POST", body: JSON.stringify(frames) });
  if (res.status !== 204) throw new Error(`append ${id}: ${res.status}`);
}

export async function serverReport(
  id: string,
): Promise<{ connections: ConnectionReport[]; refused: number; attempts: number[] }> {
  return (await (await fetch(`${base()}/control/${id}`)).json()) as {
    connections: ConnectionReport[];
    refused: number;
    attempts: number[];
  };
}

export async function dropScenario(id: string): Promise<void> {
  await fetch(`${base()}/control/${id}`, { method: "DELETE" });
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Seams that wrap the real queue for one receiver: they record what was
 * accepted, can be made to fail, check the queue limits of every call and
 * that every saved cursor is covered by what was sent.
 */
export class QueueWatch {
  readonly sent: JetstreamEvent[] = [];
  readonly sentTimes = new Set<number>();
  readonly cursors: number[] = [];
  readonly problems: string[] = [];
  /** How many events each accepted sendBatch carried, in order. */
  readonly eventsPerCall: number[] = [];
  calls = 0;
  failedCalls = 0;
  failing = false;
  private readonly keptTimes: number[];
  readonly seams: ReceiverSeams;

  constructor(frames: LabeledFrame[]) {
    this.keptTimes = frames.filter((f) => f.keep && f.t !== null).map((f) => f.t as number);
    this.seams = {
      queue: {
        sendBatch: async (
          messages: Iterable<MessageSendRequest<QueueMessageBody>>,
          options?: QueueSendBatchOptions | undefined,
        ) => {
          const list = [...messages];
          this.calls++;
          this.checkLimits(list);
          if (this.failing) {
            this.failedCalls++;
            throw new Error("queue unavailable (test)");
          }
          const response = await env.FIREHOSE_QUEUE.sendBatch(list, options);
          this.eventsPerCall.push(list.reduce((n, m) => n + m.body.events.length, 0));
          for (const m of list) {
            for (const e of m.body.events) {
              this.sent.push(e);
              this.sentTimes.add(e.time_us);
            }
          }
          return response;
        },
      },
      onCursorSaved: (cursor: number) => {
        this.cursors.push(cursor);
        const missing = this.keptTimes.filter((t) => t <= cursor && !this.sentTimes.has(t));
        if (missing.length > 0)
          this.problems.push(
            `cursor ${cursor} saved before kept events ${missing.slice(0, 3).join(",")} were sent`,
          );
      },
    };
  }

  private checkLimits(list: MessageSendRequest<QueueMessageBody>[]): void {
    if (list.length > 100) this.problems.push(`sendBatch of ${list.length} messages`);
    let total = 0;
    for (const m of list) {
      const size = new TextEncoder().encode(JSON.stringify(m.body)).length;
      total += size;
      if (size > 128_000) this.problems.push(`message of ${size} bytes`);
      if (m.body.events.length === 0) this.problems.push("empty message");
    }
    if (total > 256_000) this.problems.push(`sendBatch of ${total} bytes`);
  }

  missing(): number[] {
    return this.keptTimes.filter((t) => !this.sentTimes.has(t));
  }
}

/** A receiver constructed with these seams (the name must be new to this test run), then started. */
export async function startReceiver(
  name: string,
  options: ReceiverOptions,
  seams: ReceiverSeams,
): Promise<DurableObjectStub<ScriptedFirehoseReceiver>> {
  seamReceiver(name, seams);
  const stub = env.SCRIPTED_FIREHOSE.getByName(name);
  await stub.start(options);
  return stub;
}

/** Fast settings for tests. */
export const FAST: ReceiverOptions = {
  flushMs: 100,
  silentMs: 2_000,
  checkMs: 1_000,
  backoffBaseMs: 50,
  backoffMaxMs: 400,
  healthyMs: 2_000,
  rewindUs: 50_000,
  memberRefreshMs: 60_000,
};
