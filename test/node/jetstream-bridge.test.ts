import net from "node:net";
import { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type JetstreamBridge, startJetstreamBridge } from "../../scripts/jetstream-bridge.ts";

type JetstreamEvent = {
  did: string;
  time_us: number;
  kind: "commit" | "identity" | "account";
  commit?: {
    rev: string;
    operation: "create" | "update" | "delete";
    collection: string;
    rkey: string;
    record?: Record<string, unknown>;
    cid?: string;
  };
  identity?: { did: string; handle?: string; seq: number; time: string };
  account?: { active: boolean; did: string; seq: number; time: string; status?: string };
};

/** A Jetstream subscriber that records every event it receives. */
class Subscriber {
  readonly events: JetstreamEvent[] = [];
  readonly ws: WebSocket;
  private waiters: Array<() => void> = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on("message", (data) => {
      this.events.push(JSON.parse(String(data)) as JetstreamEvent);
      for (const w of this.waiters) w();
    });
  }

  static async open(url: string): Promise<Subscriber> {
    const s = new Subscriber(url);
    await new Promise<void>((resolve, reject) => {
      s.ws.once("open", () => resolve());
      s.ws.once("error", reject);
    });
    return s;
  }

  /** Resolves with the first received event matching `pred`. */
  waitFor(pred: (e: JetstreamEvent) => boolean, timeoutMs = 5000): Promise<JetstreamEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.find(pred);
        if (!found) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(found);
        return true;
      };
      const waiter = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out; received ${JSON.stringify(this.events, null, 1)}`));
      }, timeoutMs);
      if (!check()) this.waiters.push(waiter);
    });
  }

  close(): void {
    this.ws.close();
  }
}

const isCommit =
  (collection: string, rkey: string, operation = "create") =>
  (e: JetstreamEvent) =>
    e.kind === "commit" &&
    e.commit?.collection === collection &&
    e.commit.rkey === rkey &&
    e.commit.operation === operation;

// dev-env bundles its own @atproto/api, so take the agent type from it.
type AtpAgent = ReturnType<TestNetworkNoAppView["pds"]["getAgent"]>;

const rkeyOf = (uri: string): string => uri.split("/").pop() ?? "";

describe("jetstream bridge", () => {
  let network: TestNetworkNoAppView;
  let bridge: JetstreamBridge;
  let alice: AtpAgent;
  let bob: AtpAgent;
  let aliceDid: string;
  let bobDid: string;
  const subscribers: Subscriber[] = [];
  const subscribe = async (query: string): Promise<Subscriber> => {
    const s = await Subscriber.open(`${bridge.url}/subscribe?${query}`);
    subscribers.push(s);
    return s;
  };
  const post = (agent: AtpAgent, text: string) =>
    agent.com.atproto.repo.createRecord({
      repo: agent.assertDid,
      collection: "app.bsky.feed.post",
      record: { $type: "app.bsky.feed.post", text, createdAt: new Date().toISOString() },
    });

  let earlyPost: { uri: string; cid: string };

  beforeAll(async () => {
    // PLC runs on an in-memory mock db and the PDS on sqlite: no postgres needed.
    network = await TestNetworkNoAppView.create({ dbPostgresSchema: "bridge_test" });
    alice = network.pds.getAgent();
    bob = network.pds.getAgent();
    await alice.createAccount({ handle: "alice.test", email: "alice@test.com", password: "alice-pass" });
    await bob.createAccount({ handle: "bob.test", email: "bob@test.com", password: "bob-pass" });
    aliceDid = alice.assertDid;
    bobDid = bob.assertDid;
    // Written before the bridge exists: it must still be relayed (upstream cursor 0).
    earlyPost = (await post(alice, "written before the bridge")).data;
    bridge = await startJetstreamBridge({ pdsUrl: network.pds.url, port: 0 });
  }, 30_000);

  afterAll(async () => {
    for (const s of subscribers) s.close();
    await bridge?.close();
    await network?.close();
  });

  it("answers /health and rejects bad queries", async () => {
    const health = await fetch(`${bridge.url.replace(/^ws/, "http")}/health`);
    expect(health.status).toBe(200);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${bridge.url}/subscribe?wantedCollections=not-an-nsid`);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => {});
    });
    expect(status).toBe(400);
  });

  let first: Subscriber;
  let firstPost: JetstreamEvent;

  it("relays a filtered stream of commits, with records as JSON", async () => {
    first = await subscribe("wantedCollections=com.atrarium.*&wantedCollections=app.bsky.feed.post");

    const follow = await alice.com.atproto.repo.createRecord({
      repo: aliceDid,
      collection: "app.bsky.graph.follow",
      record: { $type: "app.bsky.graph.follow", subject: bobDid, createdAt: new Date().toISOString() },
    });
    const created = await post(alice, "hello atrarium");
    const blob = await alice.uploadBlob(new TextEncoder().encode("some bytes"), { encoding: "text/plain" });
    // An unknown collection under the wanted prefix, carrying a blob ref and raw bytes
    // so that we see the CID and bytes JSON encodings.
    const custom = await alice.com.atproto.repo.createRecord({
      repo: aliceDid,
      collection: "com.atrarium.test.thing",
      validate: false,
      record: { $type: "com.atrarium.test.thing", file: blob.data.blob, raw: { $bytes: "aGVsbG8" } },
    });

    firstPost = await first.waitFor(isCommit("app.bsky.feed.post", rkeyOf(created.data.uri)));
    expect(firstPost).toMatchObject({
      did: aliceDid,
      kind: "commit",
      commit: {
        rev: created.data.commit?.rev,
        operation: "create",
        collection: "app.bsky.feed.post",
        rkey: rkeyOf(created.data.uri),
        cid: created.data.cid,
        record: { $type: "app.bsky.feed.post", text: "hello atrarium" },
      },
    });

    const thing = await first.waitFor(isCommit("com.atrarium.test.thing", rkeyOf(custom.data.uri)));
    expect(thing.commit?.cid).toBe(custom.data.cid);
    expect(thing.commit?.record).toEqual({
      $type: "com.atrarium.test.thing",
      file: {
        $type: "blob",
        ref: { $link: blob.data.blob.ref.toString() },
        mimeType: "text/plain",
        size: 10,
      },
      raw: { $bytes: "aGVsbG8" },
    });

    // Events arrive in order, so by now the follow would have been seen had it passed.
    expect(first.events.some((e) => e.commit?.rkey === rkeyOf(follow.data.uri))).toBe(false);
    expect(
      first.events.every((e) => e.kind !== "commit" || e.commit?.collection !== "app.bsky.graph.follow"),
    ).toBe(true);
    // Live only: the post written before this client connected is not in its stream.
    expect(first.events.some((e) => e.commit?.rkey === rkeyOf(earlyPost.uri))).toBe(false);
  });

  it("relays a delete without record or cid", async () => {
    const rkey = firstPost.commit?.rkey ?? "";
    await alice.com.atproto.repo.deleteRecord({ repo: aliceDid, collection: "app.bsky.feed.post", rkey });
    const del = await first.waitFor(isCommit("app.bsky.feed.post", rkey, "delete"));
    expect(del.did).toBe(aliceDid);
    expect(del.commit).toBeDefined();
    expect(del.commit).not.toHaveProperty("record");
    expect(del.commit).not.toHaveProperty("cid");
    expect(del.commit?.rev).toMatch(/^[a-z2-7]{13}$/);
  });

  it("replays from a cursor, then continues live", async () => {
    const seen = [...first.events];
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const times = seen.map((e) => e.time_us);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);

    const replay = await subscribe(
      `wantedCollections=com.atrarium.*&wantedCollections=app.bsky.feed.post&cursor=${seen[0]?.time_us}`,
    );
    const last = seen[seen.length - 1] as JetstreamEvent;
    await replay.waitFor((e) => e.time_us === last.time_us);
    expect(replay.events.slice(0, seen.length)).toEqual(seen);

    const after = await post(alice, "after the replay");
    const live = await replay.waitFor(isCommit("app.bsky.feed.post", rkeyOf(after.data.uri)));
    expect(live.time_us).toBeGreaterThan(last.time_us);
  });

  it("replays what the PDS had before the bridge started (cursor 0)", async () => {
    const all = await subscribe(`cursor=0&wantedDids=${aliceDid}`);
    const early = await all.waitFor(isCommit("app.bsky.feed.post", rkeyOf(earlyPost.uri)));
    expect(early.commit?.cid).toBe(earlyPost.cid);
    const identity = await all.waitFor((e) => e.kind === "identity");
    expect(identity.identity).toMatchObject({ did: aliceDid, handle: "alice.test" });
    expect(identity.identity?.seq).toBeTypeOf("number");
  });

  it("filters by wantedDids, and passes account events through the collection filter", async () => {
    const bobOnly = await subscribe(`wantedDids=${bobDid}&wantedCollections=app.bsky.feed.post`);
    const alicePost = await post(alice, "from alice");
    const bobPost = await post(bob, "from bob");
    const got = await bobOnly.waitFor(isCommit("app.bsky.feed.post", rkeyOf(bobPost.data.uri)));
    expect(got.did).toBe(bobDid);
    expect(got.commit?.record?.text).toBe("from bob");

    await bob.com.atproto.server.deactivateAccount({});
    const account = await bobOnly.waitFor((e) => e.kind === "account");
    expect(account.did).toBe(bobDid);
    expect(account.account).toMatchObject({ did: bobDid, active: false, status: "deactivated" });
    expect(account.account?.seq).toBeTypeOf("number");

    expect(bobOnly.events.every((e) => e.did === bobDid)).toBe(true);
    expect(bobOnly.events.some((e) => e.commit?.rkey === rkeyOf(alicePost.data.uri))).toBe(false);
  });

  it("reconnects to the PDS after a drop and resumes from the last seq", async () => {
    // A TCP proxy between bridge and PDS lets us cut the upstream connection.
    const sockets = new Set<net.Socket>();
    const upgradeRequests: string[] = [];
    const proxy = net.createServer((down) => {
      const up = net.connect(network.pds.port, "localhost");
      down.once("data", (chunk) => upgradeRequests.push(String(chunk).split("\r\n")[0] ?? ""));
      for (const s of [down, up]) {
        sockets.add(s);
        s.on("error", () => {});
        s.on("close", () => sockets.delete(s));
      }
      down.pipe(up).pipe(down);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyPort = (proxy.address() as net.AddressInfo).port;
    const viaProxy = await startJetstreamBridge({ pdsUrl: `http://127.0.0.1:${proxyPort}` });
    try {
      const sub = await Subscriber.open(`${viaProxy.url}/subscribe?wantedDids=${aliceDid}&cursor=0`);
      subscribers.push(sub);
      const before = await post(alice, "before the drop");
      await sub.waitFor(isCommit("app.bsky.feed.post", rkeyOf(before.data.uri)));
      expect(upgradeRequests).toHaveLength(1);
      expect(upgradeRequests[0]).toContain("cursor=0");

      for (const s of sockets) s.destroy();
      const during = await post(alice, "while disconnected");
      await sub.waitFor(isCommit("app.bsky.feed.post", rkeyOf(during.data.uri)), 10_000);

      expect(upgradeRequests).toHaveLength(2);
      const resumedFrom = Number(/cursor=(\d+)/.exec(upgradeRequests[1] ?? "")?.[1]);
      expect(resumedFrom).toBeGreaterThan(0);
      // Nothing relayed twice across the reconnect.
      const rkeys = sub.events.flatMap((e) =>
        e.commit ? [`${e.commit.collection}/${e.commit.rkey}/${e.commit.operation}`] : [],
      );
      expect(new Set(rkeys).size).toBe(rkeys.length);
    } finally {
      await viaProxy.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 20_000);

  it("closes a subscriber that stops reading with 1008 instead of buffering without bound", async () => {
    const small = await startJetstreamBridge({ pdsUrl: network.pds.url, maxClientBufferedBytes: 256 * 1024 });
    try {
      const slow = await Subscriber.open(`${small.url}/subscribe?wantedCollections=com.atrarium.test.big`);
      subscribers.push(slow);
      const closed = new Promise<number>((resolve) => slow.ws.once("close", (code) => resolve(code)));
      slow.ws.pause(); // stop reading: the kernel buffers fill, then the bridge's send queue grows
      // Events of ~133 kB (the PDS takes ≤150 kB per request). How much the
      // kernel's socket buffers absorb before the bridge's queue grows depends
      // on the machine, so write until the bridge lets go of the subscriber,
      // up to ~50 MB: far beyond any socket buffer, and 256 kB of queue.
      const raw = { $bytes: Buffer.alloc(100_000, 7).toString("base64") };
      const write = () =>
        alice.com.atproto.repo.createRecord({
          repo: aliceDid,
          collection: "com.atrarium.test.big",
          validate: false,
          record: { $type: "com.atrarium.test.big", raw },
        });
      let n = 0;
      while (small.subscribers() > 0 && n < 400) {
        await Promise.all([write(), write()]);
        n += 2;
      }
      expect(small.subscribers()).toBe(0);
      // Nothing written after the drop reaches the subscriber.
      await Promise.all([write(), write()]);
      slow.ws.resume();
      expect(await closed).toBe(1008);
      const received = slow.events.filter((e) => e.commit?.collection === "com.atrarium.test.big");
      expect(received.length).toBeGreaterThan(0);
      expect(received.length).toBeLessThanOrEqual(n);
    } finally {
      await small.close();
    }
  }, 60_000);
});
