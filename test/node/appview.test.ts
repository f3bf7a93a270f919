// A community's feed as people get it in the Bluesky app: through the
// reference AppView (@atproto/bsky, with its PostgreSQL) and each person's own
// PDS, from @atproto/dev-env's TestNetwork, with the Worker under wrangler's
// dev server. Nothing here signs a token itself: `app.bsky.feed.getFeed` on a
// PDS mints the service-auth JWT (iss = the reader, aud = the feed's service
// DID, lxm = getFeedSkeleton), the AppView checks it and forwards the same
// Authorization header to the feed generator, exactly as in production.
//
// The AppView finds the Worker the production way: the generator record's
// `did` is did:web:localhost%3A<port>, which @atproto/identity fetches over
// plain http because the host is localhost (DidWebResolver), and whose
// #bsky_fg service points at http://localhost:<port>.
import { TestNetwork } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtrariumClient } from "../../src/client/index.ts";
import {
  type Account,
  closedPort,
  createAccount,
  eventually,
  type RunningWorker,
  startWorker,
} from "./client-env.ts";
import { type PostgresCluster, startPostgres } from "./postgres-cluster.ts";

const REASON_PIN = "app.bsky.feed.defs#reasonPin";

describe("the feed through the reference AppView", () => {
  let postgres: PostgresCluster;
  let network: TestNetwork;
  let worker: RunningWorker;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let community: string;
  let feed: string;
  let pinned: string;
  let bobPosts: string[];

  const client = (account: Account) =>
    new AtrariumClient({ service: worker.url, plcUrl: network.plc.url, agent: account.agent });

  /** app.bsky.feed.getFeed as the Bluesky app asks it: through the reader's own PDS. */
  const feedOf = async (reader: Account) => {
    const res = await reader.agent.app.bsky.feed.getFeed({ feed });
    return res.data;
  };
  /** The same, signed out: straight to the AppView, no Authorization at all. */
  const feedSignedOut = async () => (await network.bsky.getAgent().app.bsky.feed.getFeed({ feed })).data;
  const uris = (page: { feed: { post: { uri: string } }[] }) => page.feed.map((item) => item.post.uri);

  beforeAll(async () => {
    postgres = await startPostgres();
    // TestNetwork insists on a Redis host; @atproto/bsky 0.0.280 never connects to it.
    process.env.REDIS_HOST ??= "redis.invalid:6379";
    // A schema of its own, in case DB_POSTGRES_URL names a server that outlives this run
    // (dev-env takes letters and underscores only).
    const schema = `atrarium_${Date.now()
      .toString(26)
      .replace(/\d/g, (d) => String.fromCharCode(113 + Number(d)))}`;
    network = await TestNetwork.create({ dbPostgresUrl: postgres.url, dbPostgresSchema: schema });
    [alice, bob, carol] = await Promise.all([
      createAccount(network, "alice"),
      createAccount(network, "bob"),
      createAccount(network, "carol"),
    ]);
    worker = await startWorker(network.plc.url, { port: await closedPort() });

    // alice runs the community, bob posts twice, alice pins her welcome post.
    const created = await client(alice).createCommunity({ name: "Night Sky" });
    community = created.uri;
    feed = created.feedUri;
    await client(bob).join(community);
    const welcome = await client(alice).post(community, "Welcome! Ask alice to join.");
    pinned = welcome.uri;
    bobPosts = [];
    for (const text of ["Saturn tonight", "Jupiter at dawn"])
      bobPosts.unshift((await client(bob).post(community, text)).uri);
    await client(alice).pinPost(community, pinned);
    // The AppView indexes the generator record and the posts from the PDS's firehose.
    await network.processAll();
  }, 180_000);

  afterAll(async () => {
    await worker?.dispose();
    await network?.close();
    await postgres?.stop();
  });

  it("the generator record names the Worker, and the AppView knows the feed", async () => {
    const generator = await network.bsky.getAgent().app.bsky.feed.getFeedGenerator({ feed });
    expect(generator.data.view.did).toBe(`did:web:localhost%3A${new URL(worker.url).port}`);
    expect(generator.data.view.displayName).toBe("Night Sky");
  });

  it("getFeed shows the pinned post first, with reasonPin, then the rest newest first", async () => {
    for (const page of [await feedOf(bob), await feedOf(carol), await feedSignedOut()]) {
      expect(uris(page)).toEqual([pinned, ...bobPosts]);
      expect(page.feed[0]?.reason?.$type).toBe(REASON_PIN);
      for (const item of page.feed.slice(1)) expect(item.reason).toBeUndefined();
    }
  });

  it("a members-only feed gives a member's session the whole feed, anyone else the pin alone", async () => {
    await client(alice).updateCommunity(community, { feedVisibility: "members" });
    const anonymous = new AtrariumClient({ service: worker.url });
    await eventually("the Worker serving the feed as members-only", async () => {
      const skeleton = await anonymous.getFeedSkeleton(community);
      return skeleton.feed.length === 1;
    });

    const member = await feedOf(bob);
    expect(uris(member)).toEqual([pinned, ...bobPosts]);
    expect(member.feed[0]?.reason?.$type).toBe(REASON_PIN);

    const nonMember = await feedOf(carol);
    expect(uris(nonMember)).toEqual([pinned]);
    expect(nonMember.feed[0]?.reason?.$type).toBe(REASON_PIN);
    expect(nonMember.cursor).toBeUndefined();

    expect(uris(await feedSignedOut())).toEqual([pinned]);

    // The owner is a member too; carol joins and gets the whole feed from then on.
    expect(uris(await feedOf(alice))).toEqual([pinned, ...bobPosts]);
    await client(carol).join(community);
    expect(uris(await feedOf(carol))).toEqual([pinned, ...bobPosts]);
  });
});
