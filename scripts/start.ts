// `npm start`: Atrarium on this machine with no account anywhere. Starts a PLC
// and a PDS, the Jetstream bridge and the Worker (wrangler dev --local), starts
// the firehose receiver, walks through the quickstart, then stays up until
// Ctrl-C, printing the URLs and commands to try. Every child stops on exit,
// on SIGINT or SIGTERM to this process alone too (what a process manager or
// CI sends): package.json execs node, so npm's signal reaches this process.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type LocalStack, startLocalStack } from "./local-stack.ts";
import { eventually, runQuickstart } from "./quickstart.ts";

/** The usual port when it is free, another one otherwise. */
async function portOr(preferred: number): Promise<number> {
  const { createServer } = await import("node:net");
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(preferred, "127.0.0.1", () => server.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

const persistDir = mkdtempSync(join(tmpdir(), "atrarium-local-"));
const adminPassword = process.env.ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
const starting = new AbortController();
let startup: Promise<LocalStack> | undefined;
let stopping: Promise<never> | undefined;

/** Stops everything, once: a second signal, or a step failing because of the first, waits for the same stop. */
function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    console.log("\nStopping …");
    // A stack still starting stops what it has started and rejects; a started one is closed.
    starting.abort();
    const stack = await startup?.catch(() => undefined);
    await stack?.close().catch((err: unknown) => console.error(String(err)));
    rmSync(persistDir, { recursive: true, force: true });
    process.exit(code);
  })();
  return stopping;
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  const started = Date.now();
  startup = startLocalStack({
    workerPort: await portOr(8787),
    plcPort: await portOr(2582),
    pdsPort: await portOr(2583),
    bridgePort: await portOr(6008),
    persistDir,
    adminPassword,
    log: (line) => console.log(line),
    workerOutput: process.env.ATRARIUM_DEBUG ? (s) => process.stderr.write(s) : undefined,
    signal: starting.signal,
  });
  const stack = await startup;
  const admin = { authorization: `Basic ${Buffer.from(`admin:${adminPassword}`).toString("base64")}` };
  console.log("Starting the firehose receiver …");
  const res = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.startFirehose`, {
    method: "POST",
    headers: admin,
  });
  if (!res.ok) throw new Error(`startFirehose answered ${res.status}: ${await res.text()}`);
  await eventually(
    "the firehose receiver connected",
    () =>
      fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.getFirehoseStatus`, { headers: admin }).then(
        (r) => r.json() as Promise<{ connected?: boolean }>,
      ),
    (s) => s.connected === true,
  );
  console.log(`  Firehose connected (everything up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const demo = await runQuickstart(stack, (line) => console.log(line));

  const env = `ATRARIUM_SERVICE=${stack.workerUrl} ATRARIUM_PLC_URL=${stack.plcUrl}`;
  console.log(`
Atrarium is running locally. Ctrl-C stops everything.

  Worker (XRPC)   ${stack.workerUrl}   did.json: ${stack.workerUrl}/.well-known/did.json
  Service DID     ${stack.serviceDid}
  PDS             ${stack.pds.url}
  PLC             ${stack.plcUrl}
  Jetstream       ${stack.bridgeUrl}
  Admin password  ${adminPassword}

Try the command line (the demo accounts are alice.test, bob.test, carol.test):

  export ${env}
  ATRARIUM_PASSWORD=${demo.carol.password} npx atrarium login carol.test --pds ${stack.pds.url}
  npx atrarium join ${demo.community}
  npx atrarium post ${demo.community} "Carol is a member now"
  npx atrarium feed ${demo.community}
  ATRARIUM_PASSWORD=${demo.alice.password} npx atrarium login alice.test --pds ${stack.pds.url}
  npx atrarium unhide ${demo.community} ${demo.bobPost}
  npx atrarium community members ${demo.community}
  ATRARIUM_ADMIN_PASSWORD=${adminPassword} npx atrarium firehose status
  ATRARIUM_ADMIN_PASSWORD=${adminPassword} npx atrarium doctor
  ATRARIUM_ADMIN_PASSWORD=${adminPassword} npx atrarium metrics

Open the web app and sign in as alice.test (password ${demo.alice.password}),
bob.test (${demo.bob.password}) or carol.test (${demo.carol.password}) on the local PDS's page:

  ${stack.workerUrl}/
`);
  await new Promise(() => {});
} catch (err) {
  // What fails because a stop is under way is no failure of its own.
  if (!stopping) console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
}
