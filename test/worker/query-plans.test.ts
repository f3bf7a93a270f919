// Every query behind the feed, the members, the moderation log and the
// operator counts uses an index: each statement those reads (and indexing a
// post or an action) run is recorded as it runs, then explained. A full scan of posts, members or
// actions, or a sort in a temporary b-tree, fails the test.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CommunityFeed } from "../../src/community/CommunityFeed.ts";
import type { CommunityStore } from "../../src/community/store/index.ts";
import { action, at, community, config, did, membership, post, postUri } from "./community-fixtures.ts";

const WATCHED = /\b(posts|members|actions|p|m)\b/;

/** The plan lines of a statement that fail the rule. */
function badPlanLines(details: string[]): string[] {
  return details.filter(
    (d) =>
      /TEMP B-TREE/.test(d) || (/^SCAN /.test(d) && WATCHED.test(d) && !/USING (COVERING )?INDEX/.test(d)),
  );
}

describe("query plans", () => {
  it("reads the feed, members, memberships and the moderation log through indexes", async () => {
    const c = community();
    const members = [0, 1, 2, 3, 4, 5].map((i) => did(`m${i}`));
    // Under approval: m4 waits (with held posts), the others are approved or moderate.
    await c.apply(
      config(c, { time: at(1), moderators: [members[0] as string], joinPolicy: "approval" }),
      ...members.map((m, i) => membership(c, m, { time: at(2 + i) })),
      ...[1, 2, 3, 5].map((i) => action(c, c.owner, "approve_member", members[i] as string, { time: at(8) })),
    );
    const posts = members.flatMap((m, i) =>
      [0, 1, 2].map((k) => post(c, m, { rkey: `p${i}${k}`, time: at(10 + i * 3 + k) })),
    );
    await c.apply(...posts);
    await c.apply(
      action(c, c.owner, "hide_post", postUri(members[1] as string, "p10"), { time: at(40) }),
      action(c, members[0] as string, "block_user", members[2] as string, { time: at(41) }),
      action(c, c.owner, "pin_post", postUri(members[1] as string, "p11"), { time: at(42) }),
      action(c, c.owner, "block_user", members[3] as string, {
        time: at(43),
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    const cursorPage = await c.page(2);
    if (!cursorPage.ok || !cursorPage.cursor) throw new Error("expected a second page");
    const memberPage = await c.stub.getMembers(2);
    const actionPage = await c.stub.getActions(1);
    if ("error" in memberPage || !memberPage.cursor || "error" in actionPage || !actionPage.cursor)
      throw new Error("expected paged members and actions");

    const statements = await runInDurableObject(c.stub, async (instance: CommunityFeed) => {
      const store = (instance as unknown as { store: CommunityStore }).store;
      const seen: { query: string; params: SqlStorageValue[] }[] = [];
      store.sql.observer = (query, params) => seen.push({ query, params });
      try {
        instance.getFeedSkeleton(2);
        instance.getFeedSkeleton(2, cursorPage.cursor);
        instance.getFeedSkeleton(2, undefined, "pins-only");
        instance.isVisibleMember(members[1] as string);
        instance.getJoinRequests(2);
        instance.counters();
        instance.getCommunityView();
        instance.getMembers(2);
        instance.getMembers(2, memberPage.cursor);
        instance.getMembership(members[2] as string);
        instance.getActions(1);
        instance.getActions(1, actionPage.cursor);
        instance.isModerator(members[0] as string);
        instance.moderationState();
        instance.operatorCounts();
        // The alarm: retention and the timed blocks due.
        await instance.alarm();
        // Indexing: a new post, a repeat of one, and an action.
        await instance.applyEvents(c.uri, [
          post(c, members[3] as string, { rkey: "new", time: at(50) }),
          post(c, members[3] as string, { rkey: "p30", time: at(19) }),
          action(c, c.owner, "hide_post", postUri(members[3] as string, "new"), { time: at(51) }),
        ]);
      } finally {
        store.sql.observer = undefined;
      }
      const storage = (instance as unknown as { ctx: DurableObjectState }).ctx.storage;
      return seen
        .filter((s) => /^\s*(SELECT|WITH)/i.test(s.query))
        .map((s) => ({
          query: s.query.replace(/\s+/g, " ").trim(),
          plan: storage.sql
            .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${s.query}`, ...s.params)
            .toArray()
            .map((r) => r.detail),
        }));
    });
    // The reads ran their queries (a test that watches nothing proves nothing).
    expect(statements.some((s) => s.query.includes("INDEXED BY posts_feed"))).toBe(true);
    expect(statements.some((s) => s.query.includes("FROM members INDEXED BY members_list"))).toBe(true);
    expect(statements.some((s) => s.query.includes("ORDER BY effective DESC, uri DESC"))).toBe(true);
    expect(statements.some((s) => s.query.includes("FROM actions WHERE target_kind"))).toBe(true);
    // The counts are kept as rows change (store/kept-counts.ts): a view reads one row.
    expect(statements.some((s) => s.query.includes("FROM kept_counts WHERE id = 1"))).toBe(true);
    expect(statements.some((s) => s.query.includes("FROM pins pin INDEXED BY pins_order"))).toBe(true);
    expect(statements.some((s) => s.query.includes("INDEXED BY members_pending"))).toBe(true);
    const expiry = statements.filter((s) => s.query.includes("INDEXED BY actions_expiry"));
    expect(expiry.some((s) => s.query.includes("min(expires)"))).toBe(true);
    expect(expiry.some((s) => s.query.includes("expires <= ?"))).toBe(true);
    expect(statements.some((s) => s.query.includes("WHERE author = ? AND admitted = 1"))).toBe(true);
    const bad = statements.map((s) => ({ ...s, bad: badPlanLines(s.plan) })).filter((s) => s.bad.length > 0);
    expect(bad).toEqual([]);
  });

  it("the rule catches a full scan and a temporary sort", () => {
    expect(badPlanLines(["SCAN posts"])).toEqual(["SCAN posts"]);
    expect(badPlanLines(["SCAN m"])).toEqual(["SCAN m"]);
    expect(badPlanLines(["USE TEMP B-TREE FOR ORDER BY"])).toHaveLength(1);
    expect(
      badPlanLines([
        "SCAN p USING INDEX posts_feed",
        "SEARCH m USING INDEX sqlite_autoindex_members_1 (did=?)",
      ]),
    ).toEqual([]);
    expect(badPlanLines(["SCAN meta"])).toEqual([]);
  });
});
