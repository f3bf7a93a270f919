import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  listDurableObjectIds,
} from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ObjectContext } from "../../src/context.ts";
import type { IndexEvent, JetstreamEvent, QueueMessageBody } from "../../src/firehose/events.ts";
import { processFirehoseBatch } from "../../src/firehose/queue-consumer.ts";
import { accountFrame, commitFrame, didOf, postRecord, rkeyOf, tagFacet } from "../firehose/synthetic.ts";
import { deliverBatch } from "./helpers/firehose.ts";

// The queue consumer with real message batches and real CommunityFeed and
// Directory objects. Each community here has its own hashtag.

const OWNER = didOf(500);
const MEMBER = didOf(501);
const STRANGER = didOf(502);
const HASHTAG = "#atr_0a1b2c3d";
const COMMUNITY = `at://${OWNER}/com.atrarium.community.config/3kproc0000001`;
const OTHER_OWNER = didOf(503);
const OTHER = `at://${OTHER_OWNER}/com.atrarium.community.config/3kproc0000002`;
const OTHER_HASHTAG = "#atr_99887766";

let clock = (Date.now() - 600_000) * 1000;
const now = () => (clock += 1000);
let seq = 0;

const ev = (raw: string) => JSON.parse(raw) as JetstreamEvent;
const config = (owner: string, uri: string, hashtag: string, op: "create" | "delete" = "create") =>
  ev(
    commitFrame(owner, now(), op, "com.atrarium.community.config", uri.split("/").pop() as string, {
      $type: "com.atrarium.community.config",
      name: `community ${hashtag}`,
      hashtag,
      stage: "community",
      createdAt: new Date().toISOString(),
    }),
  );
const membership = (did: string, community: string, extra: Record<string, unknown> = {}) =>
  ev(
    commitFrame(did, now(), "create", "com.atrarium.community.membership", rkeyOf(++seq), {
      $type: "com.atrarium.community.membership",
      community,
      role: "member",
      joinedAt: new Date().toISOString(),
      ...extra,
    }),
  );
const post = (did: string, text: string, extra: Record<string, unknown> = {}, rkey = rkeyOf(++seq)) =>
  ev(commitFrame(did, now(), "create", "app.bsky.feed.post", rkey, postRecord(text, extra)));
const postUri = (e: JetstreamEvent) =>
  e.kind === "commit" ? `at://${e.did}/app.bsky.feed.post/${e.commit.rkey}` : "";

const deliver = deliverBatch;

async function feed(community = COMMUNITY): Promise<string[]> {
  const page = await env.COMMUNITY_FEED.getByName(community).getFeedSkeleton(100);
  if (!page.ok) throw new Error(page.message);
  return page.feed.map((f) => f.post);
}

beforeAll(async () => {
  const result = await deliver(
    [config(OWNER, COMMUNITY, HASHTAG), membership(OWNER, COMMUNITY), membership(MEMBER, COMMUNITY)],
    [config(OTHER_OWNER, OTHER, OTHER_HASHTAG), membership(OTHER_OWNER, OTHER)],
  );
  expect(result.retryMessages).toEqual([]);
  expect(result.explicitAcks).toHaveLength(2);
});

describe("the queue consumer", () => {
  it("registers a config's hashtag with the Directory", async () => {
    expect(await env.DIRECTORY.getByName("directory").resolveHashtags([HASHTAG, OTHER_HASHTAG])).toEqual({
      [HASHTAG]: COMMUNITY,
      [OTHER_HASHTAG]: OTHER,
    });
  });

  it("matches whole hashtags only, in text, facets and tags", async () => {
    const text = `hello ${HASHTAG}`;
    const matches = [
      post(MEMBER, text),
      post(MEMBER, `${HASHTAG} at the start`),
      post(MEMBER, `in (parens ${HASHTAG}) and punctuation`),
      post(MEMBER, "tag only in facets", { facets: [tagFacet(HASHTAG.slice(1), text)] }),
      post(MEMBER, "tag only in tags", { tags: [HASHTAG.slice(1)] }),
      post(MEMBER, "tag with # in tags", { tags: [HASHTAG] }),
    ];
    const nearMisses = [
      post(MEMBER, "nine hex #atr_0a1b2c3d9"),
      post(MEMBER, "seven hex #atr_0a1b2c3"),
      post(MEMBER, "upper case #ATR_0A1B2C3D"),
      post(MEMBER, "glued x#atr_0a1b2c3d"),
      post(MEMBER, "suffix #atr_0a1b2c3d_x"),
      post(MEMBER, "no hash atr_0a1b2c3d"),
      post(MEMBER, "near miss in tags", { tags: ["atr_0a1b2c3d9", "xatr_0a1b2c3d"] }),
      post(MEMBER, "unknown community #atr_ffffffff"),
    ];
    const result = await deliver([...matches, ...nearMisses]);
    expect(result.retryMessages).toEqual([]);
    const shown = await feed();
    for (const p of matches) expect(shown).toContain(postUri(p));
    for (const p of nearMisses) expect(shown).not.toContain(postUri(p));
  });

  it("admits members only, and routes each post by its own hashtag", async () => {
    const mine = post(MEMBER, `member ${HASHTAG}`);
    const stranger = post(STRANGER, `not a member ${HASHTAG}`);
    const elsewhere = post(OTHER_OWNER, `other community ${OTHER_HASHTAG}`);
    const both = post(OTHER_OWNER, `both ${HASHTAG} ${OTHER_HASHTAG}`);
    await deliver([mine, stranger, elsewhere, both]);
    const shown = await feed();
    expect(shown).toContain(postUri(mine));
    expect(shown).not.toContain(postUri(stranger));
    expect(shown).not.toContain(postUri(elsewhere));
    expect(shown).not.toContain(postUri(both)); // OTHER_OWNER is no member here
    const other = await feed(OTHER);
    expect(other).toEqual(expect.arrayContaining([postUri(elsewhere), postUri(both)]));
    expect(other).not.toContain(postUri(mine));
  });

  it("drops and counts invalid records instead of retrying them", async () => {
    const logged: string[] = [];
    const warn = console.warn;
    console.warn = (line: string) => void logged.push(line);
    try {
      const badMembership = membership(STRANGER, COMMUNITY, { role: 42 });
      const notACommunity = membership(STRANGER, `at://${OWNER}/app.bsky.feed.post/3kxyz`);
      const badPost = post(MEMBER, `no date ${HASHTAG}`, { createdAt: "yesterday" });
      const badConfig = ev(
        commitFrame(STRANGER, now(), "create", "com.atrarium.community.config", "3kbad", { name: "x" }),
      );
      const good = post(MEMBER, `valid ${HASHTAG}`);
      const result = await deliver([badMembership, notACommunity, badPost, badConfig, good]);
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(1);
      expect(logged.filter((l) => l.includes('"invalid_record"'))).toHaveLength(4);
      const shown = await feed();
      expect(shown).toContain(postUri(good));
      expect(shown).not.toContain(postUri(badPost));
      expect(
        (await env.DIRECTORY.getByName("directory").rolesOf([STRANGER]))[STRANGER]?.member,
      ).toBeUndefined();
    } finally {
      console.warn = warn;
    }
  });

  it("routes post deletes and account events to the author's communities", async () => {
    const p = post(MEMBER, `to be deleted ${HASHTAG}`);
    await deliver([p]);
    expect(await feed()).toContain(postUri(p));
    const del = ev(
      commitFrame(MEMBER, now(), "delete", "app.bsky.feed.post", p.kind === "commit" ? p.commit.rkey : ""),
    );
    await deliver([del]);
    expect(await feed()).not.toContain(postUri(p));

    const kept = post(MEMBER, `stays ${HASHTAG}`);
    await deliver([kept]);
    await deliver([ev(accountFrame(MEMBER, now(), false))]);
    expect(await feed()).not.toContain(postUri(kept));
    await deliver([ev(accountFrame(MEMBER, now(), true))]);
    expect(await feed()).toContain(postUri(kept));
  });

  it("routes the delete of a moderation action to where its author moderates, member or not", async () => {
    const owner = didOf(510);
    const moderator = didOf(511);
    const hashtag = "#atr_5e5e5e5e";
    const community = `at://${owner}/com.atrarium.community.config/3kproc0000003`;
    const withModerator = ev(
      commitFrame(owner, now(), "create", "com.atrarium.community.config", "3kproc0000003", {
        $type: "com.atrarium.community.config",
        name: "moderated elsewhere",
        hashtag,
        stage: "community",
        moderators: [moderator],
        createdAt: new Date().toISOString(),
      }),
    );
    const joined = membership(owner, community);
    const p = post(owner, `hide me ${hashtag}`);
    const hideRkey = rkeyOf(++seq);
    const hide = ev(
      commitFrame(moderator, now(), "create", "com.atrarium.moderation.action", hideRkey, {
        $type: "com.atrarium.moderation.action",
        community,
        action: "hide_post",
        target: {
          $type: "com.atrarium.moderation.action#postTarget",
          uri: postUri(p),
          cid: "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm",
        },
        createdAt: new Date().toISOString(),
      }),
    );
    await deliver([withModerator, joined, p]);
    expect(await feed(community)).toContain(postUri(p));
    await deliver([hide]);
    expect(await feed(community)).not.toContain(postUri(p));
    // The moderator holds no membership anywhere: only the Directory's moderator list routes this.
    await deliver([ev(commitFrame(moderator, now(), "delete", "com.atrarium.moderation.action", hideRkey))]);
    expect(await feed(community)).toContain(postUri(p));
  });

  it("parks memberships of a community it has not met, without creating an object, until the config arrives", async () => {
    const owner = didOf(520);
    const joiner = didOf(521);
    const hashtag = "#atr_7a7a7a7a";
    const rkey = "3kproc0000004";
    const community = `at://${owner}/com.atrarium.community.config/${rkey}`;
    const junk = `at://${owner}/com.atrarium.community.config/3kprocjunk001`;
    const early = [membership(joiner, community), membership(owner, community), membership(joiner, junk)];
    const result = await deliver(early);
    expect(result.retryMessages).toEqual([]);
    const objects = (await listDurableObjectIds(env.COMMUNITY_FEED)).map((id) => id.toString());
    expect(objects).not.toContain(env.COMMUNITY_FEED.idFromName(community).toString());
    expect(objects).not.toContain(env.COMMUNITY_FEED.idFromName(junk).toString());

    const cfg = ev(
      commitFrame(owner, now(), "create", "com.atrarium.community.config", rkey, {
        $type: "com.atrarium.community.config",
        name: "late config",
        hashtag,
        stage: "community",
        createdAt: new Date().toISOString(),
      }),
    );
    await deliver([cfg]);
    const p = post(joiner, `joined before the config ${hashtag}`);
    await deliver([p]);
    expect(await feed(community)).toEqual([postUri(p)]);
    const members = await env.COMMUNITY_FEED.getByName(community).getMembers(10);
    expect("members" in members ? members.members.map((m) => m.did).sort() : []).toEqual(
      [owner, joiner].sort(),
    );
    // The made-up community still has no object.
    const after = (await listDurableObjectIds(env.COMMUNITY_FEED)).map((id) => id.toString());
    expect(after).not.toContain(env.COMMUNITY_FEED.idFromName(junk).toString());
  });

  it("is idempotent: the same message twice changes nothing", async () => {
    const p = post(MEMBER, `twice ${HASHTAG}`);
    await deliver([p]);
    const before = await feed();
    await deliver([p], [p]);
    expect(await feed()).toEqual(before);
  });

  it("retries only the message whose community fails; the others are acked", async () => {
    // A context whose OTHER community is down.
    class FailingContext extends ObjectContext {
      override communityFeed(uri: string) {
        const stub = super.communityFeed(uri);
        if (uri !== OTHER) return stub;
        return {
          applyEvents: async () => {
            throw new Error("community object unavailable");
          },
        } as unknown as typeof stub;
      }
    }
    const failing = new FailingContext(env);
    const ok1 = post(MEMBER, `first ${HASHTAG}`);
    const bad = post(OTHER_OWNER, `to the failing one ${OTHER_HASHTAG}`);
    const ok2 = post(MEMBER, `second ${HASHTAG}`);
    const batch = createMessageBatch<QueueMessageBody>("firehose-events", [
      { id: "ok1", timestamp: new Date(), attempts: 1, body: { events: [ok1] } },
      { id: "bad", timestamp: new Date(), attempts: 2, body: { events: [bad] } },
      { id: "ok2", timestamp: new Date(), attempts: 1, body: { events: [ok2] } },
      { id: "junk", timestamp: new Date(), attempts: 1, body: { nope: true } as unknown as QueueMessageBody },
    ]);
    const execution = createExecutionContext();
    const errors: string[] = [];
    const error = console.error;
    console.error = (line: string) => void errors.push(line);
    try {
      await processFirehoseBatch(batch, failing);
    } finally {
      console.error = error;
    }
    const result = await getQueueResult(batch, execution);
    expect(result.ackAll).toBe(false);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.explicitAcks.sort()).toEqual(["junk", "ok1", "ok2"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["bad"]);
    expect(errors.some((l) => l.includes('"queue_message_failed"') && l.includes('"attempts":2'))).toBe(true);
    const shown = await feed();
    expect(shown).toEqual(expect.arrayContaining([postUri(ok1), postUri(ok2)]));
  });
});

describe("a batch of messages", () => {
  /** A context that counts the calls made to the Directory and to each community, and can fail one event. */
  class CountingContext extends ObjectContext {
    readonly directoryCalls: string[] = [];
    readonly applyCalls: { community: string; events: number }[] = [];
    poison: string | null = null;

    override directory() {
      const stub = super.directory();
      return new Proxy(stub, {
        get: (target, name) => {
          const value = Reflect.get(target, name);
          if (typeof value !== "function") return value;
          return (...args: unknown[]) => {
            this.directoryCalls.push(String(name));
            return Reflect.apply(value, target, args);
          };
        },
      });
    }

    override communityFeed(uri: string) {
      const stub = super.communityFeed(uri);
      return {
        applyEvents: async (community: string, events: IndexEvent[]) => {
          this.applyCalls.push({ community, events: events.length });
          if (events.some((e) => e.kind === "record" && e.rkey === this.poison))
            throw new Error("community object unavailable");
          return stub.applyEvents(community, events);
        },
      } as unknown as typeof stub;
    }
  }

  it("is routed with one Directory lookup, and each community gets its events in one call", async () => {
    const counting = new CountingContext(env);
    const messages = [0, 1, 2, 3, 4].map((m) => [
      post(MEMBER, `batch ${m}a ${HASHTAG}`),
      post(MEMBER, `batch ${m}b ${HASHTAG}`),
      post(OTHER_OWNER, `batch ${m} ${OTHER_HASHTAG}`),
    ]);
    const batch = createMessageBatch<QueueMessageBody>(
      "firehose-events",
      messages.map((events, i) => ({ id: `b${i}`, timestamp: new Date(), attempts: 1, body: { events } })),
    );
    const execution = createExecutionContext();
    await processFirehoseBatch(batch, counting);
    const result = await getQueueResult(batch, execution);
    expect(result.explicitAcks.sort()).toEqual(["b0", "b1", "b2", "b3", "b4"]);
    expect(counting.directoryCalls).toEqual(["lookup"]);
    expect(counting.applyCalls.sort((a, b) => a.community.localeCompare(b.community))).toEqual(
      [
        { community: COMMUNITY, events: 10 },
        { community: OTHER, events: 5 },
      ].sort((a, b) => a.community.localeCompare(b.community)),
    );
    const shown = await feed();
    for (const events of messages)
      expect(shown).toEqual(expect.arrayContaining(events.slice(0, 2).map(postUri)));
  });

  it("retries only the message whose events fail its community, not the others sent with it", async () => {
    const counting = new CountingContext(env);
    const ok1 = post(MEMBER, `before the poison ${HASHTAG}`);
    const bad = post(MEMBER, `poison ${HASHTAG}`);
    const ok2 = post(MEMBER, `after the poison ${HASHTAG}`);
    counting.poison = bad.kind === "commit" ? bad.commit.rkey : null;
    const batch = createMessageBatch<QueueMessageBody>("firehose-events", [
      { id: "ok1", timestamp: new Date(), attempts: 1, body: { events: [ok1] } },
      { id: "bad", timestamp: new Date(), attempts: 1, body: { events: [bad] } },
      { id: "ok2", timestamp: new Date(), attempts: 1, body: { events: [ok2] } },
    ]);
    const execution = createExecutionContext();
    const error = console.error;
    console.error = () => {};
    try {
      await processFirehoseBatch(batch, counting);
    } finally {
      console.error = error;
    }
    const result = await getQueueResult(batch, execution);
    expect(result.explicitAcks.sort()).toEqual(["ok1", "ok2"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["bad"]);
    const shown = await feed();
    expect(shown).toEqual(expect.arrayContaining([postUri(ok1), postUri(ok2)]));
    expect(shown).not.toContain(postUri(bad));
  });
});
