// The whole of Atrarium on one machine, with no account anywhere: a PLC and a
// PDS (@atproto/dev-env), the Jetstream bridge in front of the PDS, and the
// Worker under `wrangler dev --local` (Durable Objects, Queues, alarms), all
// on 127.0.0.1. Used by `npm start` and by the end-to-end tests.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { TestPds } from "@atproto/dev-env";
import { startDevNetwork } from "./dev-network.ts";
import { type JetstreamBridge, startJetstreamBridge } from "./jetstream-bridge.ts";
import { publishLocalLexicons } from "./local-lexicons.ts";

const ROOT = join(import.meta.dirname, "..");

export interface LocalStackOptions {
  workerPort?: number;
  pdsPort?: number;
  plcPort?: number;
  bridgePort?: number;
  /** Where wrangler keeps Durable Object and Queue state between runs. */
  persistDir: string;
  adminPassword: string;
  /** Progress lines, e.g. console.log. */
  log?: (line: string) => void;
  /** Where the Worker's own output goes (default: discarded). */
  workerOutput?: (chunk: string) => void;
  /** Aborting stops what has started so far, and startLocalStack rejects. */
  signal?: AbortSignal;
  /**
   * The firehose queue consumer's max_batch_timeout, in seconds, instead of
   * wrangler.toml's: a test can make batches fill, so that the messages of one
   * batch are processed together, as concurrent consumer invocations would in production.
   */
  queueBatchTimeoutS?: number;
}

export interface LocalStack {
  plcUrl: string;
  pds: TestPds;
  /** The local Jetstream (tests hold it to play a relay running behind). */
  bridge: JetstreamBridge;
  bridgeUrl: string;
  /** The Worker, on 127.0.0.1: its XRPC API and the web app (OAuth needs the IP address, not localhost). */
  workerUrl: string;
  serviceDid: string;
  adminPassword: string;
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** wrangler.toml with another max_batch_timeout for the firehose queue, written next to the local state. */
function writeConfig(dir: string, batchTimeoutS: number): string {
  const source = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const consumer = /(queue = "firehose-events"\nmax_batch_size = \d+\n(?:#[^\n]*\n)*)max_batch_timeout = \d+/;
  if (!consumer.test(source)) throw new Error("wrangler.toml: no max_batch_timeout for firehose-events");
  const config = source
    .replace(consumer, `$1max_batch_timeout = ${batchTimeoutS}`)
    // Paths in a config are relative to it: point them back at the project.
    .replace(/^main = "(.+)"$/m, (_, main: string) => `main = "${join(ROOT, main)}"`)
    .replace(
      /^("@atproto-labs\/fetch-node") = "(.+)"$/m,
      (_, key: string, path: string) => `${key} = "${join(ROOT, path)}"`,
    )
    .replace(
      /^(directory|watch_dir) = "(.+)"$/gm,
      (_, key: string, path: string) => `${key} = "${join(ROOT, path)}"`,
    )
    // The web build runs from the project, not from where this copy lives.
    .replace(/^\[build\]$/m, `[build]\ncwd = "${ROOT}"`);
  const file = join(dir, "wrangler.toml");
  writeFileSync(file, config);
  return file;
}

/**
 * The Worker runs in a process group of its own (wrangler starts workerd as a
 * grandchild), which outlives this process unless it is stopped: however
 * this process ends (a signal during startup, an error, process.exit), the
 * group goes with it. A stack closed in order has stopped it already.
 */
function stopWithThisProcess(child: ChildProcess): void {
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {}
  };
  process.once("exit", kill);
  child.once("exit", () => process.off("exit", kill));
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become healthy within ${timeoutMs / 1000} s`);
}

/** The Worker under `wrangler dev --local`, on 127.0.0.1, started and stopped as often as a test needs. */
interface LocalWorker {
  url: string;
  serviceDid: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function localWorker(
  options: LocalStackOptions,
  upstreams: { PLC_URL: string; JETSTREAM_URL: string; HANDLE_RESOLVER_URL: string },
): Promise<LocalWorker> {
  const log = options.log ?? (() => {});
  const workerPort = options.workerPort ?? (await freePort());
  const url = `http://127.0.0.1:${workerPort}`;
  // A did:web must name a host, not an IP address: PDSes refuse to mint
  // service-auth tokens for did:web:127.0.0.1.
  const serviceDid = `did:web:localhost%3A${workerPort}`;
  const vars: Record<string, string> = {
    SERVICE_DID: serviceDid,
    PUBLIC_URL: `http://localhost:${workerPort}`,
    ALLOW_PRIVATE_PDS: "true",
    ADMIN_PASSWORD: options.adminPassword,
    ...upstreams,
  };
  let worker: ChildProcess | null = null;

  const start = async () => {
    log(`Starting the Worker (wrangler dev --local) on ${url} …`);
    const args = ["wrangler", "dev", "--local", "--ip", "127.0.0.1", "--port", String(workerPort)];
    args.push("--persist-to", options.persistDir, "--show-interactive-dev-session=false");
    if (options.queueBatchTimeoutS !== undefined)
      args.push("--config", writeConfig(options.persistDir, options.queueBatchTimeoutS));
    for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
    const child = spawn("npx", args, {
      cwd: ROOT,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_HIDE_BANNER: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const output = options.workerOutput ?? (() => {});
    child.stdout?.on("data", (d) => output(String(d)));
    child.stderr?.on("data", (d) => output(String(d)));
    worker = child;
    stopWithThisProcess(child);
    // A Worker that refuses its configuration answers 503 at once: say why instead of waiting.
    let refused: string | undefined;
    await waitFor(
      "the Worker",
      async () => {
        const res = await fetch(`${url}/xrpc/_health`);
        if (res.status === 503) refused = ((await res.json()) as { message?: string }).message;
        return res.ok || refused !== undefined;
      },
      90_000,
      options.signal,
    );
    if (refused !== undefined) throw new Error(`the Worker refuses its configuration:\n${refused}`);
    log("  Worker ready");
  };

  const stop = async () => {
    const child = worker;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // wrangler starts workerd as a grandchild: stop the whole process group.
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {}
    }
    worker = null;
  };

  return { url, serviceDid, start, stop };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const { signal } = options;
  // What runs so far, newest first: stopped when starting fails or is aborted.
  const running: (() => Promise<void>)[] = [];
  const runs = (stop: () => Promise<void>) => {
    running.unshift(stop);
    signal?.throwIfAborted();
  };
  try {
    signal?.throwIfAborted();
    log("Starting PLC and PDS (@atproto/dev-env) …");
    const network = await startDevNetwork(options.plcPort ? { plcPort: options.plcPort } : {});
    runs(() => network.close());
    const pds = await network.startPds(options.pdsPort ? { port: options.pdsPort } : {});
    signal?.throwIfAborted();
    log(`  PLC ${network.plcUrl}`);
    log(`  PDS ${pds.url}`);
    const lexiconAuthority = await publishLocalLexicons(pds);
    signal?.throwIfAborted();
    log(`  lexicons and permission sets published by ${lexiconAuthority}`);

    log("Starting the Jetstream bridge …");
    const bridge = await startJetstreamBridge({ pdsUrl: pds.url, port: options.bridgePort ?? 0 });
    runs(() => bridge.close());
    const jetstreamUrl = `${bridge.url}/subscribe`;
    log(`  Jetstream ${jetstreamUrl}`);

    const worker = await localWorker(options, {
      PLC_URL: network.plcUrl,
      JETSTREAM_URL: jetstreamUrl,
      // The web app's sign-in resolves the local handles (alice.test) through the PDS.
      HANDLE_RESOLVER_URL: pds.url,
    });
    runs(() => worker.stop());
    await worker.start();

    return {
      plcUrl: network.plcUrl,
      pds,
      bridge,
      bridgeUrl: jetstreamUrl,
      workerUrl: worker.url,
      serviceDid: worker.serviceDid,
      adminPassword: options.adminPassword,
      startWorker: () => worker.start(),
      stopWorker: () => worker.stop(),
      async close() {
        for (const stop of running.splice(0)) await stop();
      },
    };
  } catch (err) {
    for (const stop of running.splice(0)) await stop().catch(() => {});
    throw err;
  }
}
