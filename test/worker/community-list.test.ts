// Lists of communities (listCommunities and the home page) come from the
// Directory's summaries, one call per request whatever their length: each
// community tells the Directory what lists show of it when that changes.
// The home page takes the same summaries, puts a viewer's own communities
// first, searches names and pages without JavaScript.
import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { describe, expect, it } from "vitest";
import type { Directory } from "../../src/directory/Directory.ts";
import type { RecordEvent } from "../../src/firehose/events.ts";
import type { CommunityView } from "../../src/lexicon/types/com/atrarium/community/defs.ts";
import { at, type Community, community, config, did, membership, post } from "./community-fixtures.ts";
import { xrpc } from "./helpers/xrpc.ts";

const ORIGIN = "https://feeds.test";
const directory = () => env.DIRECTORY.getByName("directory");

/** A CID of its own for each config version (views carry it, and the lexicon checks its format). */
async function cidOf(text: string): Promise<string> {
  return CID.create(1, 0x71, await sha256.digest(new TextEncoder().encode(text))).toString();
}

/** A config naming the community `name`, with these moderators. */
async function named(
  c: Community,
  name: string,
  time: number,
  moderators: string[] = [],
): Promise<RecordEvent> {
  const event = config(c, { time, moderators, operation: time === at(1) ? "create" : "update" });
  return {
    ...event,
    cid: await cidOf(`${c.uri} ${name} ${time}`),
    record: { ...(event.record as object), name },
  };
}

async function created(name: string, moderators: string[] = []): Promise<Community> {
  const c = community();
  await c.apply(await named(c, name, at(1), moderators));
  return c;
}

/** Every community listCommunities lists, walking its pages. */
async function listed(limit = 3): Promise<CommunityView[]> {
  const all: CommunityView[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1_000; i++) {
    const res = await xrpc<{ communities: CommunityView[]; cursor?: string }>(
      "com.atrarium.community.listCommunities",
      { params: { limit: String(limit), ...(cursor ? { cursor } : {}) } },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    all.push(...res.body.communities);
    if (!res.body.cursor) return all;
    cursor = res.body.cursor;
  }
  throw new Error("the list does not end");
}

const home = async (query: Record<string, string>) => {
  const res = await SELF.fetch(`${ORIGIN}/?${new URLSearchParams(query)}`, {
    headers: { accept: "text/html" },
  });
  expect(res.status).toBe(200);
  return res.text();
};
/** The community names a home page shows, in order. */
const namesOn = (html: string) =>
  [...html.matchAll(/<li class="card">\s*<h2><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1] ?? "");
const nextLink = (html: string) =>
  /<a rel="next" href="([^"]*)"/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? null;

describe("community lists from the Directory's summaries", () => {
  it("lists what the communities told the Directory, not what each one answers", async () => {
    const c = await created("Told by itself");
    const view = (await listed(100)).find((v) => v.uri === c.uri);
    expect(view).toMatchObject({ name: "Told by itself", hashtag: c.hashtag, memberCount: 0 });
    // Change the Directory's copy behind the community's back: the list shows the copy,
    // so no community object was asked.
    await runInDurableObject(directory(), (_d: Directory, state) => {
      state.storage.sql.exec(
        "UPDATE community_summaries SET view = json_set(view, '$.name', 'From the summary') WHERE uri = ?",
        c.uri,
      );
    });
    expect((await listed(100)).find((v) => v.uri === c.uri)?.name).toBe("From the summary");
  });

  it("follows a new name at once and the counts by the community's alarm", async () => {
    const c = await created("Before");
    const member = did("member");
    await c.apply(await named(c, "After", at(2)));
    expect((await listed(100)).find((v) => v.uri === c.uri)?.name).toBe("After");
    await c.apply(membership(c, member, { time: at(3) }), post(c, member, { time: at(4), rkey: "p1" }));
    // Counts are told at most every few seconds; the alarm tells them when due.
    await runDurableObjectAlarm(c.stub);
    expect((await listed(100)).find((v) => v.uri === c.uri)).toMatchObject({ memberCount: 1, postCount: 1 });
  });

  it("drops a deleted community, and asks a community that never told its summary", async () => {
    const gone = await created("Deleted soon");
    const silent = await created("Never told");
    await gone.apply(config(gone, { time: at(2), operation: "delete" }));
    await runInDurableObject(directory(), (_d: Directory, state) => {
      state.storage.sql.exec("DELETE FROM community_summaries WHERE uri = ?", silent.uri);
    });
    const all = await listed(100);
    expect(all.map((v) => v.uri)).not.toContain(gone.uri);
    expect(all.find((v) => v.uri === silent.uri)?.name).toBe("Never told");
    // What it answered is filed for the next list.
    const filed = await runInDurableObject(directory(), (_d: Directory, state) =>
      state.storage.sql.exec("SELECT count(*) AS n FROM community_summaries WHERE uri = ?", silent.uri).one(),
    );
    expect(filed.n).toBe(1);
  });

  it("pages through every listed community once, in claim order", async () => {
    for (let i = 0; i < 5; i++) await created(`Paged ${i}`);
    const all = await listed(2);
    const uris = all.map((v) => v.uri);
    expect(new Set(uris).size).toBe(uris.length);
    const paged = all.filter((v) => v.name.startsWith("Paged ")).map((v) => v.name);
    expect(paged).toEqual(["Paged 0", "Paged 1", "Paged 2", "Paged 3", "Paged 4"]);
  });
});

describe("the home page", () => {
  it("shows what the communities told the Directory, asking no community object", async () => {
    const word = `hs${crypto.randomUUID().slice(0, 6)}`;
    const shown: Community[] = [];
    for (let i = 0; i < 3; i++) shown.push(await created(`${word} told ${i}`));
    expect(namesOn(await home({ q: word }))).toEqual([0, 1, 2].map((i) => `${word} told ${i}`));
    // Change the Directory's copies behind the communities' backs: the page shows the copies,
    // so its one Directory call was all it made, whatever the number of communities shown.
    await runInDurableObject(directory(), (_d: Directory, state) => {
      for (const c of shown)
        state.storage.sql.exec(
          "UPDATE community_summaries SET view = json_set(view, '$.name', 'copy ' || json_extract(view, '$.name')) WHERE uri = ?",
          c.uri,
        );
    });
    expect(namesOn(await home({ q: word }))).toEqual([0, 1, 2].map((i) => `copy ${word} told ${i}`));
  });

  it("puts the viewer's communities first (member or moderator), pages and searches without JavaScript", async () => {
    const viewer = did("viewer");
    const word = `zq${crypto.randomUUID().slice(0, 6)}`;
    for (let i = 0; i < 3; i++) await created(`${word} other ${i}`);
    const joined = await created(`${word} joined`);
    await joined.apply(membership(joined, viewer, { time: at(2) }));
    const moderated = await created(`${word} moderated`, [viewer]);
    const mine = [`${word} joined`, `${word} moderated`];
    const rest = [0, 1, 2].map((i) => `${word} other ${i}`);

    // Signed out (no viewer): claim order, one list.
    const plain = await home({ q: word });
    expect(namesOn(plain)).toEqual([...rest, ...mine]);
    expect(plain).not.toContain("Your communities");

    // The viewer's first, under their own heading; the search keeps both parts to the word.
    const first = await home({ q: word, viewer });
    expect(namesOn(first)).toEqual([...mine, ...rest]);
    expect(first.indexOf("Your communities")).toBeLessThan(first.indexOf("Other communities"));
    expect(first).toContain(`<input type="hidden" name="viewer" value="${viewer}">`);
    expect(first).toContain(`name="q" type="search" maxlength="100" value="${word}"`);

    // Upper case finds the same; a word no name has finds nothing, and says so.
    expect(namesOn(await home({ q: word.toUpperCase(), viewer }))).toEqual([...mine, ...rest]);
    expect(await home({ q: `${word}-nothing` })).toContain("No community's name or hashtag contains");
    // A hashtag finds its community.
    expect(namesOn(await home({ q: moderated.hashtag.slice(1) }))).toEqual([`${word} moderated`]);
  });

  it("pages across the viewer's part and the rest, each community once, links keeping the search", async () => {
    const viewer = did("pager");
    const word = `pg${crypto.randomUUID().slice(0, 6)}`;
    const names: string[] = [];
    for (let i = 0; i < 25; i++) {
      const c = await created(`${word} ${String(i).padStart(2, "0")}`);
      if (i % 4 === 0) await c.apply(membership(c, viewer, { time: at(2) }));
      names.push(`${word} ${String(i).padStart(2, "0")}`);
    }
    const mine = names.filter((_, i) => i % 4 === 0);
    const rest = names.filter((_, i) => i % 4 !== 0);
    const seen: string[] = [];
    let html = await home({ q: word, viewer });
    for (let pages = 1; ; pages++) {
      seen.push(...namesOn(html));
      const next = nextLink(html);
      if (!next) break;
      const url = new URL(next, ORIGIN);
      expect(url.searchParams.get("q")).toBe(word);
      expect(url.searchParams.get("viewer")).toBe(viewer);
      expect(pages).toBeLessThan(5);
      html = await home(Object.fromEntries(url.searchParams));
      expect(html).toContain("First page");
    }
    expect(seen).toEqual([...mine, ...rest]);
  });

  it("ignores a viewer that is not a DID and answers a cursor of no list of ours with 404", async () => {
    const html = await home({ viewer: "<script>" });
    expect(html).not.toContain('<script>"');
    expect(html).not.toContain('name="viewer"');
    const res = await SELF.fetch(`${ORIGIN}/?cursor=nonsense`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(404);
  });
});
