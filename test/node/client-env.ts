// Shared set-up of the client and CLI tests: a real PLC + PDS from
// @atproto/dev-env, accounts on it, and (optionally) the Worker in workerd via
// wrangler's unstable_startWorker, pointed at that PLC.
import net from "node:net";
import { fileURLToPath } from "node:url";
import { AtpAgent } from "@atproto/api";
import { TestNetworkNoAppView } from "@atproto/dev-env";

export const ADMIN_PASSWORD = "client-test-admin";
/** The service DID of the Worker as configured in wrangler.toml. */
export const WORKER_SERVICE_DID = "did:web:localhost%3A8787";

export interface Account {
  did: string;
  handle: string;
  password: string;
  /** An agent from the app's own @atproto/api, signed in to the PDS. */
  agent: AtpAgent;
}

export async function startNetwork(schema: string): Promise<TestNetworkNoAppView> {
  // PLC runs on an in-memory mock db and the PDS on sqlite: no postgres needed.
  return TestNetworkNoAppView.create({ dbPostgresSchema: schema });
}

export async function createAccount(network: TestNetworkNoAppView, name: string): Promise<Account> {
  const handle = `${name}.test`;
  const password = `${name}-app-password`;
  const admin = network.pds.getAgent();
  await admin.createAccount({ handle, email: `${name}@test.com`, password });
  const agent = new AtpAgent({ service: network.pds.url });
  await agent.login({ identifier: handle, password });
  return { did: agent.assertDid, handle, password, agent };
}

/** A TCP port on 127.0.0.1 that nothing listens on: a Worker that is down, or one about to start there. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningWorker {
  url: string;
  dispose(): Promise<void>;
}

/**
 * The Worker in workerd (local Durable Objects and Queues), resolving DIDs with
 * the test PLC. Given a `port`, it listens there on 127.0.0.1 and is
 * did:web:localhost%3A<port> at http://localhost:<port>, a DID others (the
 * reference AppView, a PDS) resolve to it; otherwise it keeps wrangler.toml's.
 */
export async function startWorker(plcUrl: string, options: { port?: number } = {}): Promise<RunningWorker> {
  const { unstable_startWorker } = await import("wrangler");
  const { port } = options;
  const vars: Record<string, string> = {
    PLC_URL: plcUrl,
    ALLOW_PRIVATE_PDS: "true",
    ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...(port ? { SERVICE_DID: `did:web:localhost%3A${port}`, PUBLIC_URL: `http://localhost:${port}` } : {}),
  };
  const worker = await unstable_startWorker({
    config: fileURLToPath(new URL("../../wrangler.toml", import.meta.url)),
    dev: {
      server: { hostname: "127.0.0.1", port: port ?? 0 },
      inspector: false,
      persist: false,
      logLevel: "error",
    },
    bindings: Object.fromEntries(
      Object.entries(vars).map(([name, value]) => [name, { type: "plain_text" as const, value }]),
    ),
  });
  await worker.ready;
  const url = (await worker.url).origin;
  return { url, dispose: () => worker.dispose() };
}

/**
 * Resolves once `check` holds, asking again every 250 ms: for a change the
 * Worker shows only after a while (getFeedSkeleton keeps a community's
 * feedVisibility for 10 s in each isolate). Fails after `timeoutMs`, naming `what`.
 */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
