// `npm run bench:consumer`: where the consumer path's time goes, counted in
// CPU time, which a shared machine disturbs far less than wall time (on a
// loaded machine workerd may get a quarter of a core, and every wall-clock
// rate then measures the load).
//
//   pipeline   30,000 member posts for one community through the whole path,
//              in the Worker under wrangler (workerd, local Durable Objects
//              and Queues): the synthetic Jetstream (bench/replay.ts), the
//              receiver's stage 1 and packing, the queue, the consumer
//              (validation, routing, the Directory, the RPC into the
//              community) and the community's apply; polled until all are
//              indexed. Measured: posts/s (wall) and workerd's CPU time per
//              post (user + system of every process this one started, from
//              /proc). With BENCH_PROFILE=1 a V8 CPU profile of the same run
//              (through the inspector) says which share went where.
//   in-object  the same number of posts applied inside a fresh CommunityFeed in
//              batches of 100 (bench/timed-worker.ts, as bench:ingest does):
//              posts/s (timed inside the object) and workerd's CPU per post.
//
// consumer_vs_index_cpu is in-object CPU per post over pipeline CPU per post:
// the share of the pipeline's work that is the index itself. The last line
// printed is one JSON object. Offline, 127.0.0.1 only.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createTestHarness } from "wrangler";
import WebSocket from "ws";
import type { JetstreamEvent } from "../src/firehose/events.ts";
import { startWorker } from "../test/firehose/start-worker.ts";
import { ADMIN_PASSWORD, Api, POLL_MS, sleep, until } from "./ingest-client.ts";
import { benchCommunity, communityFrames, indexEvent, Replay } from "./replay.ts";
import { type TimedFeed, timedWorkerConfig } from "./timed-worker.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const POSTS = Number(process.env.BENCH_POSTS ?? 30_000);
const PROFILE = process.env.BENCH_PROFILE === "1";
const INSPECTOR_PORT = 9239;
const log = (...args: unknown[]) => console.error("[bench:consumer]", ...args);

/** CPU seconds (user + system, all threads) used so far by every process this one started. */
function childCpuSeconds(): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  for (const [pid, seconds] of cpu)
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p))
      if (p === process.pid) {
        total += seconds;
        break;
      }
  return total;
}

// ---- the V8 profile, by part of the path ------------------------------------------

/** Functions whose presence on a stack says which part of the path a sample belongs to (outermost wins). */
const PARTS: Record<string, string[]> = {
  apply: ["applyEvents", "applyInOrder", "afterWrites", "reclaim"],
  consumer: [
    "processFirehoseBatch",
    "processMessages",
    "routeMessages",
    "applyTogether",
    "lookup",
    "parkUnroutable",
  ],
  receiver: ["webSocketMessage", "onFrame", "flush", "alarm", "tick"],
  reads: ["getCommunity", "getCommunityView", "counters"],
};

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string }; children?: number[] }[];
  samples: number[];
}

function shares(profile: CpuProfile): Record<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const counts: Record<string, number> = {};
  for (const sample of profile.samples) {
    const stack: string[] = [];
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id))
      stack.push(byId.get(id)?.callFrame.functionName ?? "");
    const leaf = stack[0] ?? "";
    let part = leaf === "(idle)" ? "idle" : leaf === "(garbage collector)" ? "gc" : "other";
    for (const name of stack.reverse()) {
      const found = Object.entries(PARTS).find(([, names]) => names.includes(name));
      if (found) {
        part = found[0];
        break;
      }
    }
    counts[part] = (counts[part] ?? 0) + 1;
  }
  const total = profile.samples.length;
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, Number((n / total).toFixed(3))]));
}

/** Starts the V8 profiler on the Worker's isolate; returns a function that stops it. */
async function startProfiler(): Promise<() => Promise<CpuProfile>> {
  const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const ws = new WebSocket((targets[0] as { webSocketDebuggerUrl: string }).webSocketDebuggerUrl);
  await new Promise((resolve) => ws.once("open", resolve));
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on("message", (data) => {
    const m = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      waiting.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 500 });
  await send("Profiler.start");
  return async () => {
    const { profile } = (await send("Profiler.stop")) as { profile: CpuProfile };
    ws.close();
    return profile;
  };
}

// ---- the phases ------------------------------------------------------------------

async function pipelinePhase() {
  const replay = new Replay();
  const replayUrl = await replay.listen();
  const worker = await startWorker(
    { JETSTREAM_URL: replayUrl, ADMIN_PASSWORD, PLC_URL: "http://127.0.0.1:9/plc-unused" },
    PROFILE ? { inspectorPort: INSPECTOR_PORT } : {},
  );
  try {
    const api = new Api(worker.url);
    await api.startFirehose();
    await until("the receiver connects", 15, async () => replay.connections > 0);
    const c = benchCommunity(60, 20);
    replay.send(communityFrames(c, () => replay.time()));
    await until("the community exists", 30, async () => (await api.postCount(c.uri)) !== null);
    const frames = Array.from({ length: POSTS }, () => replay.taggedPost(c, true));
    const stop = PROFILE ? await startProfiler() : null;
    const cpu0 = childCpuSeconds();
    const started = Date.now();
    replay.send(frames);
    let indexed = 0;
    while (indexed < POSTS && Date.now() < started + 600_000) {
      await sleep(POLL_MS);
      indexed = (await api.postCount(c.uri)) ?? 0;
    }
    const seconds = (Date.now() - started) / 1000;
    const cpu = childCpuSeconds() - cpu0;
    const raw = stop ? await stop() : undefined;
    if (raw && process.env.BENCH_PROFILE_OUT)
      writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(raw));
    const profile = raw ? shares(raw) : undefined;
    if (indexed < POSTS) throw new Error(`only ${indexed} of ${POSTS} posts indexed`);
    return {
      events: frames.map((f) => JSON.parse(f) as JetstreamEvent),
      perS: indexed / seconds,
      cpuUsPerPost: (cpu / indexed) * 1e6,
      cpuShare: cpu / seconds,
      profile,
    };
  } finally {
    replay.close();
    await worker.dispose();
  }
}

async function inObjectPhase(source: JetstreamEvent[]) {
  const harness = createTestHarness({
    root: ROOT,
    workers: [{ config: timedWorkerConfig({ consumers: false }) }] as never,
  });
  try {
    await harness.listen();
    const env = (await harness.getWorker().getEnv()) as { COMMUNITY_FEED: { getByName(n: string): unknown } };
    const c = benchCommunity(70, 20);
    const feed = env.COMMUNITY_FEED.getByName(c.uri) as TimedFeed;
    await feed.applyEvents(
      c.uri,
      communityFrames(c, () => Date.now() * 1000).map((f) => indexEvent(JSON.parse(f))),
    );
    const createdAt = new Date().toISOString();
    const posts = source.map((e, i) => {
      const event = indexEvent(e, c.members[1 + (i % (c.members.length - 1))]);
      const text = String((event.record as { text: string }).text).replace(/#atr_[0-9a-f]{8}/, c.hashtag);
      return {
        ...event,
        record: { ...(event.record as object), text, createdAt },
        time: Date.now() * 1000 + i,
      };
    });
    const batches = Array.from({ length: Math.ceil(posts.length / 100) }, (_, b) =>
      posts.slice(b * 100, b * 100 + 100),
    );
    const cpu0 = childCpuSeconds();
    let ms = 0;
    // In slices, so that no RPC from Node carries the whole backlog at once.
    for (let i = 0; i < batches.length; i += 50)
      ms += (await feed.benchApply(c.uri, batches.slice(i, i + 50))) * batches.slice(i, i + 50).length;
    const cpu = childCpuSeconds() - cpu0;
    return { perS: (posts.length / ms) * 1000, cpuUsPerPost: (cpu / posts.length) * 1e6 };
  } finally {
    await harness.close();
  }
}

async function main(): Promise<void> {
  process.env.X_LOCAL_OBSERVABILITY ??= "false";
  process.env.X_LOCAL_EXPLORER ??= "false";
  const pipeline = await pipelinePhase();
  log(
    "pipeline",
    Math.round(pipeline.perS),
    "posts/s",
    Math.round(pipeline.cpuUsPerPost),
    "µs CPU/post",
    pipeline.profile ?? "",
  );
  const inObject = await inObjectPhase(pipeline.events);
  log("in object", Math.round(inObject.perS), "posts/s", Math.round(inObject.cpuUsPerPost), "µs CPU/post");
  const round = (n: number, digits = 0) => Number(n.toFixed(digits));
  console.log(
    JSON.stringify({
      posts: POSTS,
      consumer_posts_per_s: round(pipeline.perS),
      consumer_cpu_us_per_post: round(pipeline.cpuUsPerPost),
      // workerd's CPU over the phase's wall time: far below 1 when the machine is busy.
      consumer_cpu_share: round(pipeline.cpuShare, 2),
      index_posts_per_s: round(inObject.perS),
      index_cpu_us_per_post: round(inObject.cpuUsPerPost),
      consumer_vs_index: round(pipeline.perS / inObject.perS, 2),
      consumer_vs_index_cpu: round(inObject.cpuUsPerPost / pipeline.cpuUsPerPost, 2),
      ...(pipeline.profile ? { profile: pipeline.profile } : {}),
    }),
  );
}

await main();
