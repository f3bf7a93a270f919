// bench:feed's lists phase: the home page (/) and listCommunities (20 a page)
// at 10, 1,000 and 10,000 communities, each next to /xrpc/_health in the same
// loop. The first ten are real communities (configs, members and posts
// through applyEvents, which tell the Directory their summaries); the rest
// are listed by the bench Directory at once (bench/timed-worker.ts), each
// with the summary its community would have told. A list reads the
// Directory only, so how the rest came to be listed does not change what is
// timed. At 10,000 also: the list for a viewer who belongs to every 500th
// community (their communities first), a page deep in the list, and a name
// search (which reads every summary: the one list that grows with the count).
import type { SeededDirectory } from "./timed-worker.ts";

const ROUNDS = Number(process.env.BENCH_HOME_ROUNDS ?? 150);
const PAGE = 20;
export const VIEWER = "did:plc:benchviewer";
const VIEWER_EVERY = 500;

type Get = (path: string) => Promise<{ ms: number; body: string }>;

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor((sorted.length - 1) / 2)] as number) * 1000) / 1000;
}

const cardsOn = (html: string) => (html.match(/<li class="card">/g) ?? []).length;

/** Times each path over ROUNDS rounds, interleaved; returns the p50 of each. */
async function timed(get: Get, paths: Record<string, string>): Promise<Record<string, number>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  for (let i = 0; i < 20; i++) for (const path of Object.values(paths)) await get(path);
  for (let i = 0; i < ROUNDS; i++)
    for (const [name, path] of Object.entries(paths)) times[name]?.push((await get(path)).ms);
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, p50(values)]));
}

export interface ListsResult {
  at: Record<"10" | "1k" | "10k", { home: number; list: number; health: number; listed: number }>;
  viewer10k: number;
  deep10k: number;
  search10k: number;
}

export async function listsPhase(
  get: Get,
  directory: SeededDirectory,
  /** Creates one more real community (config, members, posts); resolves once it is indexed. */
  createReal: (n: number) => Promise<void>,
  realAlready: number,
): Promise<ListsResult> {
  for (let n = realAlready; n < 10; n++) await createReal(n);
  const listPath = `/xrpc/com.atrarium.community.listCommunities?limit=${PAGE}`;
  const first = JSON.parse((await get(listPath)).body) as { communities: object[] };
  const template = first.communities[0];
  if (!template || first.communities.length !== 10)
    throw new Error(`expected 10 listed communities, got ${first.communities.length}`);
  const measure = async (listed: number) => {
    const home = (await get("/")).body;
    const expected = Math.min(PAGE, listed);
    if (cardsOn(home) !== expected) throw new Error(`the home page showed ${cardsOn(home)} of ${expected}`);
    const times = await timed(get, { home: "/", list: listPath, health: "/xrpc/_health" });
    return { home: times.home as number, list: times.list as number, health: times.health as number, listed };
  };
  const at10 = await measure(10);
  let listed = await directory.benchSeedCommunities(10, 990, template, VIEWER, VIEWER_EVERY);
  const at1k = await measure(listed);
  listed = await directory.benchSeedCommunities(1_000, 9_000, template, VIEWER, VIEWER_EVERY);
  const at10k = await measure(listed);

  // A cursor half way down: the page after the 5,000th community.
  let cursor: string | undefined;
  for (let page = 0; page < 5_000 / 100; page++) {
    const body = JSON.parse(
      (
        await get(
          `/xrpc/com.atrarium.community.listCommunities?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
        )
      ).body,
    ) as { cursor?: string };
    cursor = body.cursor;
  }
  const viewerHome = (await get(`/?viewer=${VIEWER}`)).body;
  if (!viewerHome.includes("Your communities")) throw new Error("the viewer's communities are not first");
  const more = await timed(get, {
    viewer: `/?viewer=${VIEWER}`,
    deep: `/?cursor=${cursor}`,
    search: "/?q=seeded%20community%209999",
  });
  return {
    at: { "10": at10, "1k": at1k, "10k": at10k },
    viewer10k: more.viewer as number,
    deep10k: more.deep as number,
    search10k: more.search as number,
  };
}
