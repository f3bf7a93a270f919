// `atrarium doctor` against the local stack (a real PDS and PLC, the
// Jetstream bridge, the Worker under wrangler dev), healthy and then with
// each fault injected in turn on the same stack: a generator record naming
// another service, the firehose cut off, the Worker down. A second Worker
// started with a bad configuration shows the 503 and what the doctor makes
// of it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AtpAgent } from "@atproto/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local-stack.ts";
import { createDemoAccount, type DemoAccount, eventually } from "../../scripts/quickstart.ts";
import type { Check, Report } from "../../src/cli/doctor/checklist.ts";
import { run } from "../../src/cli/main.ts";
import { type RunningWorker, startWorker } from "../firehose/start-worker.ts";

const ADMIN_PASSWORD = "doctor-e2e-admin-password";
const admin = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}` };

let stack: LocalStack;
let persistDir: string;
let alice: DemoAccount;
let feed: string;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `atrarium doctor` in-process (the same parser, command and exit code as the bin). */
async function doctor(service: string, opts: { json?: boolean; password?: string } = {}): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const code = await run(
    ["doctor", "--service", service, "--plc", stack.plcUrl, ...(opts.json ? ["--json"] : [])],
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      env: opts.password ? { ATRARIUM_ADMIN_PASSWORD: opts.password } : {},
      readStdin: async () => "",
      prompt: async () => "",
      isTTY: false,
    },
  );
  return { code, stdout, stderr };
}

async function report(service = stack.workerUrl, password: string | undefined = ADMIN_PASSWORD) {
  const ran = await doctor(service, { json: true, ...(password ? { password } : {}) });
  return { code: ran.code, report: JSON.parse(ran.stdout) as Report };
}

const byId = (r: Report, id: string): Check[] => r.checks.filter((c) => c.id === id);
const failed = (r: Report) => r.checks.filter((c) => c.status === "fail").map((c) => c.id);

const firehoseStatus = async () =>
  (
    await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.getFirehoseStatus`, { headers: admin })
  ).json() as Promise<{
    connected: boolean;
  }>;

beforeAll(async () => {
  persistDir = mkdtempSync(join(tmpdir(), "atrarium-doctor-"));
  stack = await startLocalStack({ persistDir, adminPassword: ADMIN_PASSWORD });
  const started = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.startFirehose`, {
    method: "POST",
    headers: admin,
  });
  expect(started.status).toBe(200);
  await eventually("the firehose connects", firehoseStatus, (s) => s.connected);
  alice = await createDemoAccount(stack, "alice");
  // Written into Alice's repo only: the index learns it from the firehose.
  const created = await alice.client.createCommunity({ name: "Doctor's Waiting Room" });
  feed = created.feedUri;
  const described = await eventually(
    "describeFeedGenerator lists the new feed",
    async () =>
      (await (await fetch(`${stack.workerUrl}/xrpc/app.bsky.feed.describeFeedGenerator`)).json()) as {
        feeds: { uri: string }[];
      },
    (d) => d.feeds.some((f) => f.uri === feed),
    20_000,
  );
  expect(described.feeds.map((f) => f.uri)).toContain(feed);
}, 120_000);

afterAll(async () => {
  await stack?.close();
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe("atrarium doctor on the local stack", () => {
  it("passes every check of a healthy deployment, and prints the checklist", async () => {
    const ran = await doctor(stack.workerUrl, { password: ADMIN_PASSWORD });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(`Atrarium at ${stack.workerUrl} (${stack.serviceDid})`);
    expect(ran.stdout).toMatch(new RegExp(`✓ ${feed}: getFeedSkeleton answered in \\d+ ms`));
    expect(ran.stdout).toMatch(/app\.bsky\.feed\.getFeedSkeleton \(last 5 min\): \d+ requests?, p50 \d+ ms/);
    expect(ran.stdout).toMatch(/Doctor's Waiting Room \(#atr_[0-9a-f]{8}\): 0 posts admitted/);
    expect(ran.stdout).not.toContain("✗");
    expect(ran.stdout).toMatch(/parked now: \d+ posts, \d+ deletes and edits, \d+ memberships and actions/);

    const { code, report: r } = await report();
    expect(code).toBe(0);
    expect(r.ok).toBe(true);
    expect(r.serviceDid).toBe(stack.serviceDid);
    for (const id of [
      "worker",
      "config",
      "describe",
      "did-document",
      "service-bsky_fg",
      "feed-record",
      "feed-skeleton",
      "firehose-connected",
      "firehose-lag",
      "too-large",
      "parking",
    ])
      expect(
        byId(r, id).map((c) => c.status),
        id,
      ).toEqual(["ok"]);
    // Counted where the Worker reports it (the dead-letter store), unknown where it does not.
    expect(["ok", "unknown"]).toContain(byId(r, "dead-letters")[0]?.status);
    expect(byId(r, "feed-skeleton")[0]?.ms).toBeTypeOf("number");
  });

  it("atrarium metrics prints the same numbers (admin)", async () => {
    const io = { out: "", err: "" };
    const runMetrics = (env: NodeJS.ProcessEnv) =>
      run(["metrics", "--service", stack.workerUrl, "--minutes", "10"], {
        stdout: (t) => {
          io.out += t;
        },
        stderr: (t) => {
          io.err += t;
        },
        env,
        readStdin: async () => "",
        prompt: async () => "",
        isTTY: false,
      });
    expect(await runMetrics({})).toBe(1);
    expect(io.err).toContain("ATRARIUM_ADMIN_PASSWORD");
    expect(await runMetrics({ ATRARIUM_ADMIN_PASSWORD: ADMIN_PASSWORD })).toBe(0);
    expect(io.out).toMatch(/app\.bsky\.feed\.getFeedSkeleton: \d+ requests?, p50 \d+/);
    expect(io.out).toMatch(
      /Doctor's Waiting Room \(#atr_[0-9a-f]{8}\): 1 member; 0 posts admitted, 0 refused/,
    );
  });

  it("without the admin password, leaves the firehose unknown and still passes", async () => {
    const { code, report: r } = await report(stack.workerUrl, "");
    expect(code).toBe(0);
    expect(byId(r, "firehose")[0]).toMatchObject({ status: "unknown" });
    expect(byId(r, "firehose-connected")).toEqual([]);
    expect(failed(r)).toEqual([]);
  });

  it("fails a generator record that names another service DID, and says how to fix it", async () => {
    const agent = new AtpAgent({ service: stack.pds.url });
    await agent.login({ identifier: alice.handle, password: alice.password });
    const rkey = feed.split("/").pop() as string;
    const key = { repo: alice.did, collection: "app.bsky.feed.generator", rkey };
    const original = (await agent.com.atproto.repo.getRecord(key)).data.value;
    await agent.com.atproto.repo.putRecord({
      ...key,
      record: { ...original, did: "did:web:elsewhere.example" },
    });
    try {
      const { code, report: r } = await report();
      expect(code).toBe(6);
      expect(failed(r)).toEqual(["feed-record"]);
      const [check] = byId(r, "feed-record");
      expect(check?.title).toContain("names did:web:elsewhere.example");
      expect(check?.fix).toContain(`"did": "${stack.serviceDid}"`);
      const text = await doctor(stack.workerUrl, { password: ADMIN_PASSWORD });
      expect(text.code).toBe(6);
      expect(text.stdout).toMatch(/✗ .*names did:web:elsewhere\.example/);
      expect(text.stdout).toContain("1 of");
    } finally {
      await agent.com.atproto.repo.putRecord({ ...key, record: original });
    }
    expect((await report()).code).toBe(0);
  });

  it("fails when an account floods made-up hashtags past its parking quota, and names it", async () => {
    const agent = new AtpAgent({ service: stack.pds.url });
    await agent.login({ identifier: alice.handle, password: alice.password });
    const hex = () =>
      Math.floor(Math.random() * 2 ** 32)
        .toString(16)
        .padStart(8, "0");
    // One more post than an author may have waiting for hashtags no config holds (200).
    const writes = Array.from({ length: 201 }, (_, i) => ({
      $type: "com.atproto.repo.applyWrites#create" as const,
      collection: "app.bsky.feed.post",
      value: {
        $type: "app.bsky.feed.post",
        text: `flood ${i} #atr_${hex()}`,
        createdAt: new Date().toISOString(),
      },
    }));
    for (let i = 0; i < writes.length; i += 100)
      await agent.com.atproto.repo.applyWrites({ repo: alice.did, writes: writes.slice(i, i + 100) });
    const routing = async () =>
      (
        (await (
          await fetch(`${stack.workerUrl}/xrpc/com.atrarium.admin.getFirehoseStatus`, { headers: admin })
        ).json()) as { routing: { evictedPosts: number } }
      ).routing;
    await eventually("the flood is parked", routing, (r) => r.evictedPosts >= 1, 30_000);
    const { code, report: r } = await report();
    expect(code).toBe(6);
    expect(failed(r)).toEqual(["parking"]);
    expect(byId(r, "parking")[0]?.title).toMatch(/^1 parked event pushed out .*\(1 posts,/);
    expect(byId(r, "parking")[0]?.fix).toContain("parked_evicted");
  });

  it("fails when the firehose is cut off", async () => {
    await stack.bridge.close();
    await eventually("the firehose is seen disconnected", firehoseStatus, (s) => !s.connected);
    const { code, report: r } = await report();
    expect(code).toBe(6);
    // (The flood above stays counted.)
    expect(failed(r)).toEqual(["firehose-connected", "parking"]);
    expect(byId(r, "firehose-connected")[0]?.fix).toContain("startFirehose");
    // The feed is still served from the index.
    expect(byId(r, "feed-skeleton")[0]?.status).toBe("ok");
  });

  it("fails when the Worker is down, in text and in JSON", async () => {
    await stack.stopWorker();
    const text = await doctor(stack.workerUrl, { password: ADMIN_PASSWORD });
    expect(text.code).toBe(6);
    expect(text.stdout).toMatch(
      new RegExp(`✗ no answer from ${stack.workerUrl} \\(connection (refused|reset)\\)`),
    );
    const { code, report: r } = await report();
    expect(code).toBe(6);
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([["worker", "fail"]]);
    expect(r.checks[0]?.fix).toMatch(/npm start|wrangler deploy/);
  });
});

describe("a Worker with an invalid configuration", () => {
  let worker: RunningWorker;

  beforeAll(async () => {
    worker = await startWorker({
      SERVICE_DID: "did:web:feeds.example.com",
      PUBLIC_URL: "http://feeds.example.com",
      ADMIN_PASSWORD: "too-short",
    });
  }, 60_000);

  afterAll(async () => {
    await worker?.dispose();
  });

  it("answers every request with 503 and one line per problem", async () => {
    const health = await fetch(`${worker.url}/xrpc/_health`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { error: string; message: string };
    expect(body.error).toBe("InvalidConfiguration");
    const lines = body.message.split("\n");
    // PUBLIC_URL is http on a public host; wrangler.toml's JETSTREAM_URL is on 127.0.0.1; the password is short.
    expect(lines.map((l) => l.split(":")[0])).toEqual(["PUBLIC_URL", "ADMIN_PASSWORD", "JETSTREAM_URL"]);
    for (const line of lines) expect(line).toMatch(/^[A-Z_]+: .+\. Fix: .+\.$/);
    const did = await fetch(`${worker.url}/.well-known/did.json`);
    expect(did.status).toBe(503);
    expect((await did.text()).trimEnd().split("\n")).toEqual(lines);
  });

  it("is what the doctor reports", async () => {
    const { code, report: r } = await report(worker.url);
    expect(code).toBe(6);
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ["worker", "ok"],
      ["config", "fail"],
    ]);
    expect(r.checks[1]?.details).toHaveLength(3);
  });
});
