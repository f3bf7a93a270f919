// Starts the Worker outside vitest (Node), on 127.0.0.1, with local
// Durable Objects and Queues, for the ingestion benchmark and the end-to-end
// test. Everything runs offline; state lives in a fresh temporary directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface RunningWorker {
  url: string;
  dispose(): Promise<void>;
  /** Runs the cron trigger once. */
  scheduled(): Promise<void>;
}

export interface WorkerSource {
  /** A wrangler config, relative to the project (default: wrangler.toml). */
  config?: string;
  /** Another entry module for that config's Worker (a test's or bench's wrapper around src/index.ts). */
  entrypoint?: string;
  /** Durable Object bindings beyond the config's, to classes that entry exports. */
  durableObjects?: Record<string, string>;
  /** Opens the V8 inspector on this port (a bench's CPU profile); off by default. */
  inspectorPort?: number;
}

/** Starts a Worker (default: the project's) with `vars` overriding its own. */
export async function startWorker(
  vars: Record<string, string>,
  { config = "wrangler.toml", entrypoint, durableObjects = {}, inspectorPort }: WorkerSource = {},
): Promise<RunningWorker> {
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_HIDE_BANNER = "true";
  process.env.WRANGLER_LOG ??= "warn";
  const { unstable_startWorker } = await import("wrangler");
  const persist = mkdtempSync(join(tmpdir(), "atrarium-worker-"));
  const root = new URL("../../", import.meta.url).pathname;
  const worker = await unstable_startWorker({
    config: resolve(root, config),
    ...(entrypoint ? { entrypoint: resolve(root, entrypoint) } : {}),
    bindings: {
      ...Object.fromEntries(
        Object.entries(vars).map(([name, value]) => [name, { type: "plain_text" as const, value }]),
      ),
      ...Object.fromEntries(
        Object.entries(durableObjects).map(([name, className]) => [
          name,
          { type: "durable_object_namespace" as const, class_name: className },
        ]),
      ),
    },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: inspectorPort ? { port: inspectorPort } : false,
      persist,
      watch: false,
      remote: false,
      logLevel: "warn",
    },
  });
  await worker.ready;
  const url = (await worker.url).toString().replace(/\/$/, "");
  return {
    url,
    async dispose() {
      await worker.dispose();
      rmSync(persist, { recursive: true, force: true });
    },
    async scheduled() {
      await worker.scheduled({ cron: "* * * * *" });
    },
  };
}
