// Keyset pagination over a 1,000-post feed with hidden posts and a blocked
// member in it, while new posts keep arriving between pages.
import { describe, expect, it } from "vitest";
import type { IndexEvent } from "../../src/firehose/events.ts";
import { action, at, community, config, did, iso, membership, post, postUri } from "./community-fixtures.ts";

describe("feed pagination", () => {
  it("walks 1,000 posts with new ones arriving: every visible post once, no duplicates, full pages", {
    timeout: 30_000,
  }, async () => {
    const c = community();
    const members = Array.from({ length: 20 }, (_, i) => did(`m${i}`));
    const blocked = members[19] as string;
    const setup: IndexEvent[] = [
      config(c, { time: at(1) }),
      ...members.map((m, i) => membership(c, m, { time: at(2 + i) })),
    ];
    await c.apply(...setup);
    const events: IndexEvent[] = [];
    const hidden = new Set<string>();
    const all: string[] = [];
    const group = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const author = members[i % members.length] as string;
      const key = `p${String(i).padStart(4, "0")}`;
      // Three posts share each createdAt: the cursor must be unique per item, not a bare time.
      events.push(post(c, author, { rkey: key, time: at(100 + i), createdAt: iso(100 + Math.floor(i / 3)) }));
      all.push(postUri(author, key));
      group.set(postUri(author, key), Math.floor(i / 3));
      if (i % 10 === 3) {
        hidden.add(postUri(author, key));
        events.push(action(c, c.owner, "hide_post", postUri(author, key), { time: at(2000 + i) }));
      }
    }
    events.push(action(c, c.owner, "block_user", blocked, { time: at(3500) }));
    for (let i = 0; i < events.length; i += 100) await c.apply(...events.slice(i, i + 100));

    const visible = all.filter((uri) => !hidden.has(uri) && !uri.includes(blocked));
    expect(visible.length).toBe(1000 - 100 - 50);
    expect((await c.counters()).postCount).toBe(visible.length);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    let extra = 0;
    for (;;) {
      const page = await c.page(37, cursor);
      if (!page.ok) throw new Error(page.message);
      pages++;
      seen.push(...page.feed.map((f) => f.post));
      if (!page.cursor) {
        expect(page.feed.length).toBeLessThanOrEqual(37);
        break;
      }
      expect(page.feed).toHaveLength(37); // filtering happens before the limit
      expect(page.cursor).not.toBe(cursor);
      cursor = page.cursor;
      // Between pages: a new post on top, and a backdated one deep in the feed.
      const author = members[pages % 10] as string;
      await c.apply(
        post(c, author, { rkey: `new${pages}`, time: at(4000 + pages) }),
        post(c, author, { rkey: `old${pages}`, time: at(5000 + pages), createdAt: iso(100 + pages * 7) }),
      );
      extra += 2;
      expect(pages).toBeLessThan(100);
    }
    expect(extra).toBeGreaterThan(40);
    expect(new Set(seen).size).toBe(seen.length);
    const seenSet = new Set(seen);
    expect(visible.filter((uri) => !seenSet.has(uri))).toEqual([]);
    expect(seen.filter((uri) => hidden.has(uri) || uri.includes(blocked))).toEqual([]);
    // Newest first by (createdAt, uri).
    const initial = seen.filter((uri) => group.has(uri) && visible.includes(uri));
    const byKey = (a: string, b: string) =>
      (group.get(b) as number) - (group.get(a) as number) || (a < b ? 1 : -1);
    expect(initial).toEqual([...visible].sort(byKey));
  });
});
