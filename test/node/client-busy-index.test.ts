// The typed client against a Worker that is up but busy: every requestIndex
// answers 429 RateLimitExceeded (a PDS and PLC from @atproto/dev-env are real).
// A switch to approval writes one approval per member; indexing them one by one
// would meet the same limit for each, so the client stops at the first refusal,
// says how many it left to the firehose, and leaves the config to it as well, so
// that no approved member is held out by a config indexed before their approval.
import { createServer, type Server } from "node:http";
import type { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtrariumClient } from "../../src/client/index.ts";
import { type Account, createAccount, startNetwork } from "./client-env.ts";

describe("AtrariumClient against a busy Worker", () => {
  let network: TestNetworkNoAppView;
  let alice: Account;
  const members: Account[] = [];
  let busy: Server;
  let service: string;
  let asked = 0;

  beforeAll(async () => {
    network = await startNetwork("client_busy");
    alice = await createAccount(network, "alice");
    for (const name of ["bob", "carol", "dave"]) members.push(await createAccount(network, name));
    busy = createServer((req, res) => {
      if (req.url?.startsWith("/xrpc/com.atrarium.sync.requestIndex")) asked++;
      res.writeHead(429, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "RateLimitExceeded", message: "too many requests; try again in 1 s" }));
    });
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    service = `http://127.0.0.1:${(busy.address() as { port: number }).port}`;
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => (busy ? busy.close(() => resolve()) : resolve()));
    await network?.close();
  });

  it("stops indexing a switch's approvals at the first refusal, and leaves the config to the firehose too", async () => {
    const client = new AtrariumClient({
      service,
      serviceDid: "did:web:feeds.test",
      plcUrl: network.plc.url,
      agent: alice.agent,
    });
    const created = await client.createCommunity({ name: "Busy Circle" });
    asked = 0;
    const switched = await client.updateCommunity(
      created.uri,
      { joinPolicy: "approval" },
      { membersToApprove: members.map((m) => m.did) },
    );
    expect(switched.approved).toHaveLength(3);
    expect(switched.indexed).toEqual([]);
    expect(asked).toBe(1);
    expect(switched.warnings.filter((w) => /not indexed yet/.test(w))).toEqual([
      expect.stringMatching(/^Saved in your repo, but not indexed yet \(and 2 more written after it\)/),
    ]);
  });
});
