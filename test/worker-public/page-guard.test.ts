import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { didWithPds, hits } from "./helpers.ts";

// The page path (/web/hydrate, the community page) reads posts and handles
// from their authors' PDSes without anyone signing in, so it must go through
// the same guarded fetch as the sync path: a PDS that redirects to a private
// address (here a cloud's metadata service) must not get the Worker to fetch
// it, let alone show what it answered.

describe("the page path, with ALLOW_PRIVATE_PDS false", () => {
  it("does not follow a PDS's redirect to a private address, and shows nothing from it", async () => {
    const did = await didWithPds("https://redirect-metadata.guard.test");
    const post = `at://${did}/app.bsky.feed.post/3kpage00001`;
    const res = await SELF.fetch(`https://feeds.test/web/hydrate?${new URLSearchParams({ did, uri: post })}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("SECRET-INSTANCE-CREDENTIALS");
    const body = JSON.parse(text) as { handles: Record<string, string>; posts: { unavailable?: string }[] };
    expect(body.handles).toEqual({});
    expect(body.posts[0]?.unavailable).toMatch(/redirected.*169\.254\.169\.254/);
    const asked = await hits();
    expect(asked["redirect-metadata.guard.test"]).toBeGreaterThan(0);
    expect(asked["169.254.169.254"]).toBeUndefined();
  });
});
