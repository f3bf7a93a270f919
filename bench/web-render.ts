// `npm run bench:web`: how long the Worker takes to render a community
// page of 20 posts with their hydration (authors' names and avatars, images,
// link cards, quoted posts, replies), read from a real dev-env PDS without an
// AppView, as `npm start` runs it (wrangler dev --local, 127.0.0.1).
//
// Each of COMMUNITIES communities has two fresh authors (profile with avatar)
// and 20 posts: 10 with an image, 4 link cards with a thumbnail, 3 quotes and 3
// replies. Its first request is cold (nothing of it in the Worker's caches:
// posts, quoted posts, handles, profiles); then WARM requests follow, from the
// caches. /xrpc/_health runs in the same loop as the baseline. The last line
// is one JSON object with the numbers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AtpAgent } from "@atproto/api";
import { startLocalStack } from "../scripts/local-stack.ts";
import { gradientPng } from "../test/fixtures/png.ts";
import { quantile } from "./quantiles.ts";

const COMMUNITIES = 5;
const WARM = 40;
const log = (...args: unknown[]) => console.error("[bench:web-render]", ...args);

const round = (n: number) => Math.round(n * 10) / 10;

const persistDir = mkdtempSync(join(tmpdir(), "atrarium-bench-web-"));
const stack = await startLocalStack({ persistDir, adminPassword: "bench-web-render-password", log });
let accounts = 0;

async function author(name: string) {
  const agent = new AtpAgent({ service: stack.pds.url });
  const handle = `${name}${++accounts}.test`;
  await agent.createAccount({ handle, email: `${handle}@example.test`, password: "password" });
  const { data } = await agent.uploadBlob(gradientPng(96, 96, accounts), { encoding: "image/png" });
  await agent.com.atproto.repo.putRecord({
    repo: agent.assertDid,
    collection: "app.bsky.actor.profile",
    rkey: "self",
    record: { $type: "app.bsky.actor.profile", displayName: `Author ${accounts}`, avatar: data.blob },
  });
  return agent;
}

async function write(agent: AtpAgent, collection: string, record: Record<string, unknown>) {
  const { data } = await agent.com.atproto.repo.createRecord({
    repo: agent.assertDid,
    collection,
    record: { $type: collection, createdAt: new Date().toISOString(), ...record },
  });
  let res: Response;
  // requestIndex allows a burst of 30 calls per client, then one a second.
  for (;;) {
    res = await fetch(`${stack.workerUrl}/xrpc/com.atrarium.sync.requestIndex`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uri: data.uri }),
    });
    if (res.status !== 429) break;
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
  }
  const { status } = (await res.json()) as { status: string };
  if (status !== "indexed") throw new Error(`${data.uri} was not indexed: ${status}`);
  return { uri: data.uri, cid: data.cid };
}

/** A community with 20 posts of every kind; its page's path. */
async function community(n: number): Promise<string> {
  const [owner, member] = [await author("owner"), await author("member")];
  const hashtag = `#atr_${(0xbe000000 + n).toString(16)}`;
  const config = await write(owner, "com.atrarium.community.config", {
    name: `Bench ${n}`,
    hashtag,
    stage: "theme",
  });
  for (const agent of [owner, member]) {
    await write(agent, "com.atrarium.community.membership", {
      community: config.uri,
      role: "member",
      joinedAt: new Date().toISOString(),
    });
  }
  const images = [];
  for (let i = 0; i < 10; i++) {
    const agent = i % 2 ? member : owner;
    const { data } = await agent.uploadBlob(gradientPng(800, 600, n * 100 + i), { encoding: "image/png" });
    images.push(
      await write(agent, "app.bsky.feed.post", {
        text: `Picture ${i} ${hashtag}`,
        embed: {
          $type: "app.bsky.embed.images",
          images: [{ image: data.blob, alt: `Picture ${i}`, aspectRatio: { width: 800, height: 600 } }],
        },
      }),
    );
  }
  for (let i = 0; i < 4; i++) {
    const { data } = await owner.uploadBlob(gradientPng(600, 314, n * 100 + 50 + i), {
      encoding: "image/png",
    });
    await write(owner, "app.bsky.feed.post", {
      text: `Read ${i} ${hashtag}`,
      embed: {
        $type: "app.bsky.embed.external",
        external: {
          uri: `https://example.com/${i}`,
          title: `Article ${i}`,
          description: "About it",
          thumb: data.blob,
        },
      },
    });
  }
  for (let i = 0; i < 3; i++) {
    await write(member, "app.bsky.feed.post", {
      text: `Quote ${i} ${hashtag}`,
      embed: { $type: "app.bsky.embed.record", record: images[i] },
    });
    const parent = images[i + 3] as { uri: string; cid: string };
    await write(member, "app.bsky.feed.post", {
      text: `Reply ${i} ${hashtag}`,
      reply: { root: parent, parent },
    });
  }
  return `/c/${hashtag.slice(1)}`;
}

async function timed(path: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${stack.workerUrl}${path}`, { headers: { accept: "text/html" } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return performance.now() - start;
}

try {
  const paths: string[] = [];
  for (let n = 0; n < COMMUNITIES; n++) paths.push(await community(n));
  log(`${COMMUNITIES} communities of 20 posts written and indexed`);
  for (let i = 0; i < 20; i++) await timed("/xrpc/_health"); // the isolate is up
  const cold: number[] = [];
  const warm: number[] = [];
  const health: number[] = [];
  for (const path of paths) {
    cold.push(await timed(path));
    for (let i = 0; i < WARM; i++) {
      warm.push(await timed(path));
      health.push(await timed("/xrpc/_health"));
    }
  }
  const result = {
    posts_per_page: 20,
    cold_p50_ms: round(quantile(cold, 0.5)),
    cold_max_ms: round(Math.max(...cold)),
    warm_p50_ms: round(quantile(warm, 0.5)),
    warm_p90_ms: round(quantile(warm, 0.9)),
    health_p50_ms: round(quantile(health, 0.5)),
  };
  log("cold (ms)", cold.map(round).join(", "));
  log(
    `warm p50 ${result.warm_p50_ms} ms, p90 ${result.warm_p90_ms} ms; health p50 ${result.health_p50_ms} ms`,
  );
  console.log(JSON.stringify(result));
} finally {
  await stack.close();
  rmSync(persistDir, { recursive: true, force: true });
}
