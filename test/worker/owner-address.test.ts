// /c/<owner-did>/<rkey>, the address an at:// URI spells, leads to the
// community's readable page. Anyone can make up such an address: it must be
// answered from the Directory, without creating a CommunityFeed object (and
// its schema) for a community nobody indexed.

import { listDurableObjectIds, SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { at, community, config, did } from "./community-fixtures.ts";

const page = (path: string) =>
  SELF.fetch(`https://feeds.test${path}`, { headers: { accept: "text/html" }, redirect: "manual" });

describe("/c/<owner-did>/<rkey>", () => {
  it("answers a made-up community with a 404 page and creates no Durable Object", async () => {
    const before = (await listDurableObjectIds(env.COMMUNITY_FEED)).length;
    for (const path of [`/c/${did("nobody")}/3kmadeup0001`, `/c/${did("nobody")}/3kmadeup0002`]) {
      const res = await page(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("<h1>Not found</h1>");
    }
    expect((await listDurableObjectIds(env.COMMUNITY_FEED)).length).toBe(before);
  });

  it("still leads an indexed community's address to its page", async () => {
    const c = community();
    await c.apply(config(c, { time: at(1) }));
    const res = await page(`/c/${c.owner}/${c.rkey}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/c/${c.hashtag.slice(1)}`);
  });
});
