import { describe, expect, it } from "vitest";
import { keepParsed, MALFORMED, stage1, timeOf, utf8Length } from "../../src/firehose/filter.ts";
import {
  accountFrame,
  commitFrame,
  didOf,
  followFrame,
  identityFrame,
  likeFrame,
  plainText,
  postRecord,
  repostFrame,
  rkeyOf,
  tagFacet,
} from "../firehose/synthetic.ts";

const MEMBER = didOf(1);
const STRANGER = didOf(2);
const members = new Set([MEMBER]);
const T = 1_764_000_000_000_000;

const post = (did: string, record: Record<string, unknown>, op: "create" | "update" = "create") =>
  commitFrame(did, T, op, "app.bsky.feed.post", rkeyOf(1), record);

const kept = (raw: string) => {
  const result = stage1(raw, members);
  return result !== null && result !== MALFORMED;
};

describe("stage 1 filter", () => {
  it("keeps every commit of a com.atrarium.* collection, from anyone", () => {
    for (const collection of [
      "com.atrarium.community.config",
      "com.atrarium.community.membership",
      "com.atrarium.moderation.action",
      "com.atrarium.future.thing",
    ]) {
      expect(kept(commitFrame(STRANGER, T, "create", collection, rkeyOf(1), { $type: collection }))).toBe(
        true,
      );
      expect(kept(commitFrame(STRANGER, T, "delete", collection, rkeyOf(1)))).toBe(true);
    }
  });

  it("keeps posts that could carry a community hashtag: text, facet tags, tags array", () => {
    expect(kept(post(STRANGER, postRecord("hello #atr_0123abcd world")))).toBe(true);
    expect(kept(post(STRANGER, postRecord("near miss #atr_123456789")))).toBe(true); // stage 2 decides
    const text = "look #atr_deadbeef";
    expect(
      kept(post(STRANGER, postRecord("no tag in text", { facets: [tagFacet("atr_deadbeef", text)] }))),
    ).toBe(true);
    expect(kept(post(STRANGER, postRecord("no tag in text", { tags: ["atr_deadbeef"] })))).toBe(true);
    expect(kept(post(STRANGER, postRecord("no tag in text", { tags: ["#atr_deadbeef"] })))).toBe(true);
    expect(kept(post(STRANGER, postRecord("edited #atr_0123abcd"), "update"))).toBe(true);
  });

  it("drops posts without one, including look-alikes", () => {
    expect(kept(post(STRANGER, postRecord("plain text")))).toBe(false);
    expect(kept(post(MEMBER, postRecord("a member's plain post")))).toBe(false);
    expect(kept(post(STRANGER, postRecord("the #atrium is nice")))).toBe(false);
    expect(kept(post(STRANGER, postRecord("an atr_ without hash")))).toBe(false);
    expect(kept(post(STRANGER, postRecord("x", { tags: ["art", "xatr_1"] })))).toBe(false);
    const link = { features: [{ $type: "app.bsky.richtext.facet#link", uri: "https://atr_.example" }] };
    expect(kept(post(STRANGER, postRecord("x", { facets: [link] })))).toBe(false);
  });

  it("sees a hashtag hidden behind \\u escapes", () => {
    const escaped = post(STRANGER, postRecord("PLACEHOLDER")).replace(
      "PLACEHOLDER",
      "\\u0023\\u0061tr_0123abcd",
    );
    expect(JSON.parse(escaped).commit.record.text).toBe("#atr_0123abcd");
    expect(kept(escaped)).toBe(true);
    // Go's HTML escapes (<, >, &) alone do not make a post interesting.
    const html = post(STRANGER, postRecord("PLACEHOLDER")).replace("PLACEHOLDER", "a \\u0026 b \\u003c c");
    expect(kept(html)).toBe(false);
  });

  it("keeps post deletes and account events of members only", () => {
    expect(kept(commitFrame(MEMBER, T, "delete", "app.bsky.feed.post", rkeyOf(1)))).toBe(true);
    expect(kept(commitFrame(STRANGER, T, "delete", "app.bsky.feed.post", rkeyOf(1)))).toBe(false);
    expect(kept(accountFrame(MEMBER, T, false))).toBe(true);
    expect(kept(accountFrame(STRANGER, T, false))).toBe(false);
    expect(kept(identityFrame(MEMBER, T))).toBe(false);
  });

  it("drops likes, follows, reposts and other collections", () => {
    expect(kept(likeFrame(MEMBER, T, 1))).toBe(false);
    expect(kept(followFrame(MEMBER, T, 1))).toBe(false);
    expect(kept(repostFrame(MEMBER, T, 1))).toBe(false);
    expect(kept(commitFrame(MEMBER, T, "delete", "app.bsky.feed.like", rkeyOf(1)))).toBe(false);
    // A post-like collection name is not a post.
    expect(
      kept(
        commitFrame(STRANGER, T, "create", "app.bsky.feed.postgate", rkeyOf(1), { text: "#atr_0123abcd" }),
      ),
    ).toBe(false);
  });

  it("is not fooled by a record that comes before the commit's own keys", () => {
    // Same event, keys in another order: the record carries a "collection" key of its own.
    const event = {
      did: STRANGER,
      time_us: T,
      kind: "commit",
      commit: {
        record: { $type: "x.y.z", collection: "app.bsky.feed.like" },
        rev: "3l",
        operation: "create",
        collection: "com.atrarium.community.membership",
        rkey: rkeyOf(1),
      },
    };
    expect(kept(JSON.stringify(event))).toBe(true);
    const other = { ...event, commit: { ...event.commit, collection: "app.bsky.feed.like" } };
    other.commit.record = { $type: "x", collection: "com.atrarium.community.config" };
    expect(kept(JSON.stringify(other))).toBe(false);
  });

  it("returns the parsed event when kept, and flags junk that had to be parsed", () => {
    const raw = commitFrame(STRANGER, T, "create", "com.atrarium.community.config", rkeyOf(9), { name: "x" });
    expect(stage1(raw, members)).toEqual(JSON.parse(raw));
    expect(stage1("{not json", members)).toBe(MALFORMED);
    expect(stage1("hello", members)).toBe(MALFORMED);
    expect(stage1("[1,2]", members)).toBe(MALFORMED);
    expect(stage1(`{"did":"${STRANGER}","kind":"commit","commit":`, members)).toBe(MALFORMED);
    // Well-formed but not an event: dropped, not kept.
    expect(stage1('{"hello":"world"}', members)).toBeNull();
    expect(stage1(`{"did":"${MEMBER}","kind":"account"}`, members)).toBeNull();
  });

  it("agrees with the exact rule on a varied stream", () => {
    const frames: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const did = n % 7 === 0 ? MEMBER : didOf(100 + n);
      const t = T + n;
      switch (n % 10) {
        case 0:
        case 1:
          frames.push(post(did, postRecord(plainText(n))));
          break;
        case 2:
          frames.push(
            post(did, postRecord(`${plainText(n)} #atr_${(n * 7919).toString(16).padStart(8, "0")}`)),
          );
          break;
        case 3:
          frames.push(commitFrame(did, t, "delete", "app.bsky.feed.post", rkeyOf(n)));
          break;
        case 4:
          frames.push(accountFrame(did, t, n % 3 === 0));
          break;
        case 5:
          frames.push(identityFrame(did, t));
          break;
        case 6:
          frames.push(
            commitFrame(did, t, "create", "com.atrarium.community.membership", rkeyOf(n), { a: 1 }),
          );
          break;
        default:
          frames.push([likeFrame, followFrame, repostFrame][n % 3]?.(did, t, n) as string);
      }
    }
    let keptCount = 0;
    for (const raw of frames) {
      const exact = keepParsed(JSON.parse(raw), members);
      expect(kept(raw), raw).toBe(exact);
      if (exact) keptCount++;
    }
    expect(keptCount).toBeGreaterThan(500);
  });

  it("reads time_us and measures UTF-8", () => {
    expect(timeOf(likeFrame(MEMBER, T + 5, 1))).toBe(T + 5);
    expect(timeOf("junk")).toBeUndefined();
    for (const s of ["abc", "é", "東京", "🌱x", '{"a":"\\u0000"}']) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });
});
