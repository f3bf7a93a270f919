// The configuration gate with the real Worker: src/index.ts as wrangler
// bundles and loads it in workerd, one variable broken at a time. The Worker
// must load and answer every request 503 with one line naming what to fix,
// never fail at load (a typo in PLC_URL once did: the context was built
// before the gate). The rules themselves are tested in config.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker } from "../firehose/start-worker.ts";

/** Local development, every variable valid. */
const VALID = {
  SERVICE_DID: "did:web:localhost%3A8787",
  PUBLIC_URL: "http://localhost:8787",
  JETSTREAM_URL: "ws://127.0.0.1:6008/subscribe",
  PLC_URL: "http://127.0.0.1:2582",
  ALLOW_PRIVATE_PDS: "false",
  ADMIN_PASSWORD: "config-worker-test-password",
  APPVIEW_URL: "",
  HANDLE_RESOLVER_URL: "https://public.api.bsky.app",
};

/** Each variable with a value that is wrong by itself: a URL without its scheme, a word for a boolean. */
const BROKEN: [variable: keyof typeof VALID, value: string][] = [
  ["SERVICE_DID", "feeds.example.com"],
  ["PUBLIC_URL", "localhost%3A8787"],
  ["JETSTREAM_URL", "127.0.0.1:6008/subscribe"],
  ["PLC_URL", "plc.directory"],
  ["ALLOW_PRIVATE_PDS", "yes"],
  ["ADMIN_PASSWORD", "short"],
  ["APPVIEW_URL", "public.api.bsky.app"],
  ["HANDLE_RESOLVER_URL", "public.api.bsky.app"],
];

/** A Worker that failed to load never answers: give up well inside the test's time. */
const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(30_000) });

let worker: RunningWorker | undefined;
afterEach(async () => {
  await worker?.dispose();
  worker = undefined;
});

describe("the Worker's configuration gate, as wrangler loads the Worker", () => {
  it("serves with every variable valid", { timeout: 90_000 }, async () => {
    worker = await startWorker(VALID);
    const health = await get(`${worker.url}/xrpc/_health`);
    expect(health.status).toBe(200);
  });

  it.each(BROKEN)(
    "loads with %s = %j and answers 503 with one line naming it",
    {
      timeout: 90_000,
    },
    async (variable, value) => {
      worker = await startWorker({ ...VALID, [variable]: value });
      const xrpc = await get(`${worker.url}/xrpc/_health`);
      expect(xrpc.status).toBe(503);
      const body = (await xrpc.json()) as { error: string; message: string };
      expect(body.error).toBe("InvalidConfiguration");
      const lines = body.message.split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${variable}: .+\\. Fix: .+\\.$`));
      const page = await get(`${worker.url}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toBe(`${lines[0]}\n`);
    },
  );
});
