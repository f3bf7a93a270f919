// A table of good and bad records for every validator rule, plus the exact
// community-hashtag matching of stage 2.
import { describe, expect, it } from "vitest";
import { communityHashtags } from "../../src/records/hashtags.ts";
import {
  validateCommunityConfig,
  validateMembership,
  validateModerationAction,
  validatePost,
} from "../../src/records/validate.ts";

const CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
const COMMUNITY = "at://did:plc:owner123/com.atrarium.community.config/3kabc";
const dids = (n: number, prefix = "m") => Array.from({ length: n }, (_, i) => `did:plc:${prefix}${i}`);

const config = (over: Record<string, unknown> = {}) => ({
  $type: "com.atrarium.community.config",
  name: "Birdwatchers",
  hashtag: "#atr_0123abcd",
  stage: "community",
  createdAt: "2026-01-01T00:00:00.000Z",
  ...over,
});
const without = (record: Record<string, unknown>, key: string) => {
  const copy = { ...record };
  delete copy[key];
  return copy;
};

type Case = [label: string, record: unknown];

const goodConfigs: Case[] = [
  ["minimal", config()],
  [
    "every field",
    config({
      description: "We watch birds.",
      moderators: dids(50),
      blocklist: dids(1000, "b"),
      feedMix: { own: 60, parent: 30, global: 10 },
      parentCommunity: "at://did:plc:parent/com.atrarium.community.config/3kxyz",
      updatedAt: "2026-01-02T00:00:00Z",
    }),
  ],
  ["an unknown stage (knownValues, not enum)", config({ stage: "seedling" })],
  ["name of 100 one-byte graphemes", config({ name: "a".repeat(100) })],
  // 66 combining sequences: 66 graphemes, 132 UTF-16 units, 198 bytes.
  ["name of 66 combining sequences (132 code units)", config({ name: "e\u0301".repeat(66) })],
  ["name of 100 two-byte graphemes (200 bytes)", config({ name: "é".repeat(100) })],
  ["name of 50 emoji (200 bytes)", config({ name: "🐦".repeat(50) })],
  ["feedMix 100/0/0", config({ feedMix: { own: 100, parent: 0, global: 0 } })],
  ["hashtag of digits only", config({ hashtag: "#atr_12345678" })],
  [
    "a closed community with rules",
    config({
      joinPolicy: "approval",
      feedVisibility: "members",
      rules: [
        "Be kind.",
        "r".repeat(300),
        "🐦".repeat(300),
        ...Array.from({ length: 7 }, (_, i) => `Rule ${i}`),
      ],
    }),
  ],
  ["an open, public community", config({ joinPolicy: "open", feedVisibility: "public", rules: [] })],
  // knownValues, not enum: a newer client's value is a valid record (the index reads it as the stricter one).
  ["a join policy from a newer client", config({ joinPolicy: "invite-only" })],
];

const badConfigs: [label: string, record: unknown, reason: RegExp][] = [
  ["name of 101 graphemes within 200 bytes", config({ name: "a".repeat(101) }), /name/],
  ["name of 101 two-byte graphemes", config({ name: "é".repeat(101) }), /name/],
  ["name of 101 combining graphemes", config({ name: `${"e\u0301".repeat(33)}${"a".repeat(68)}` }), /name/],
  ["name over 200 bytes (67 combining sequences)", config({ name: "e\u0301".repeat(67) }), /name/],
  ["name of 51 emoji (204 bytes)", config({ name: "🐦".repeat(51) }), /name/],
  ["description of 1001 graphemes", config({ description: "d".repeat(1001) }), /description/],
  ["hashtag with uppercase hex", config({ hashtag: "#atr_0123ABCD" }), /hashtag/],
  ["hashtag with 7 hex digits", config({ hashtag: "#atr_0123abc" }), /hashtag/],
  ["hashtag with 9 hex digits", config({ hashtag: "#atr_0123abcde" }), /hashtag/],
  ["hashtag without '#'", config({ hashtag: "atr_0123abcd" }), /hashtag/],
  ["hashtag without '#' but 13 long", config({ hashtag: "xatr_0123abcd" }), /hashtag/],
  ["hashtag with a non-hex letter", config({ hashtag: "#atr_0123abcg" }), /hashtag/],
  ["hashtag with another prefix", config({ hashtag: "#abc_0123abcd" }), /hashtag/],
  ["feedMix summing to 110", config({ feedMix: { own: 50, parent: 30, global: 30 } }), /feedMix/],
  ["feedMix summing to 90", config({ feedMix: { own: 50, parent: 30, global: 10 } }), /feedMix/],
  [
    "feedMix with a fraction",
    config({ feedMix: { own: 50.5, parent: 29.5, global: 20 } }),
    /own|parent|integer/,
  ],
  ["feedMix with a negative share", config({ feedMix: { own: 110, parent: -10, global: 0 } }), /own|parent/],
  ["feedMix missing a share", config({ feedMix: { own: 100, parent: 0 } }), /global/],
  ["51 moderators", config({ moderators: dids(51) }), /moderators/],
  [
    "a duplicate moderator",
    config({ moderators: ["did:plc:a", "did:plc:b", "did:plc:a"] }),
    /moderators.*more than once/,
  ],
  ["an invalid moderator DID", config({ moderators: ["did:plc:a", "alice.example.com"] }), /moderators/],
  ["1001 blocked DIDs", config({ blocklist: dids(1001) }), /blocklist/],
  ["11 rules", config({ rules: Array.from({ length: 11 }, (_, i) => `Rule ${i}`) }), /rules/],
  ["a rule of 301 graphemes", config({ rules: ["r".repeat(301)] }), /rules/],
  // 143 graphemes of 21 bytes each (a letter with ten combining accents): 3003 bytes.
  ["a rule over 3000 bytes", config({ rules: [`e${"\u0301".repeat(10)}`.repeat(143)] }), /rules/],
  ["a rule that is no string", config({ rules: [42] }), /rules/],
  ["a join policy that is no string", config({ joinPolicy: true }), /joinPolicy/],
  ["a feed visibility that is no string", config({ feedVisibility: 1 }), /feedVisibility/],
  ["a duplicate blocked DID", config({ blocklist: ["did:plc:x", "did:plc:x"] }), /blocklist.*more than once/],
  ["an invalid blocked DID", config({ blocklist: ["did:"] }), /blocklist/],
  [
    "a parentCommunity that is no at-uri",
    config({ parentCommunity: "https://example.com" }),
    /parentCommunity/,
  ],
  ["missing name", without(config(), "name"), /name/],
  ["missing hashtag", without(config(), "hashtag"), /hashtag/],
  ["missing stage", without(config(), "stage"), /stage/],
  ["missing createdAt", without(config(), "createdAt"), /createdAt/],
  ["createdAt that is no datetime", config({ createdAt: "yesterday" }), /createdAt/],
  ["createdAt with month 13", config({ createdAt: "2026-13-01T00:00:00Z" }), /createdAt/],
  ["createdAt without a timezone", config({ createdAt: "2026-01-01T00:00:00" }), /createdAt/],
  ["updatedAt that is no datetime", config({ updatedAt: "soon" }), /updatedAt/],
  ["name that is a number", config({ name: 42 }), /name/],
  ["a wrong $type", config({ $type: "com.atrarium.community.membership" }), /type/i],
];

describe("validateCommunityConfig", () => {
  it.each(goodConfigs)("accepts %s", (_label, record) => {
    const result = validateCommunityConfig(record);
    expect(result.ok ? "ok" : result.reasons).toBe("ok");
  });

  it.each(badConfigs)("rejects %s", (_label, record, reason) => {
    const result = validateCommunityConfig(record);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons.join("; ")).toMatch(reason);
  });

  it("reports every broken rule a lexicon cannot express, readably", () => {
    const result = validateCommunityConfig(
      config({
        hashtag: "#atr_ABCDEF01",
        feedMix: { own: 1, parent: 1, global: 1 },
        moderators: ["did:plc:a", "did:plc:a"],
        blocklist: ["did:plc:b", "did:plc:b"],
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons).toHaveLength(4);
  });
});

const membership = (over: Record<string, unknown> = {}) => ({
  $type: "com.atrarium.community.membership",
  community: COMMUNITY,
  role: "member",
  joinedAt: "2026-01-01T00:00:00Z",
  ...over,
});

describe("validateMembership", () => {
  it.each<Case>([
    ["minimal", membership()],
    ["active false and an inviter", membership({ active: false, invitedBy: "did:plc:inviter" })],
    ["a claimed role outside the known values", membership({ role: "queen" })],
  ])("accepts %s", (_label, record) => {
    const result = validateMembership(record);
    expect(result.ok ? "ok" : result.reasons).toBe("ok");
  });

  it.each<[string, unknown, RegExp]>([
    ["missing community", without(membership(), "community"), /community/],
    ["a community that is no at-uri", membership({ community: "not a uri" }), /community/],
    ["missing role", without(membership(), "role"), /role/],
    ["missing joinedAt", without(membership(), "joinedAt"), /joinedAt/],
    ["a joinedAt that is no datetime", membership({ joinedAt: "2026-01-01" }), /joinedAt/],
    ["a joinedAt without a timezone", membership({ joinedAt: "2026-01-01T10:00:00" }), /joinedAt/],
    ["active that is no boolean", membership({ active: "no" }), /active/],
    ["an invalid inviter DID", membership({ invitedBy: "bob" }), /invitedBy/],
  ])("rejects %s", (_label, record, reason) => {
    const result = validateMembership(record);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons.join("; ")).toMatch(reason);
  });
});

const postTarget = {
  $type: "com.atrarium.moderation.action#postTarget",
  uri: "at://did:plc:a/app.bsky.feed.post/3k1",
  cid: CID,
};
const userTarget = { $type: "com.atrarium.moderation.action#userTarget", did: "did:plc:a" };
const act = (over: Record<string, unknown> = {}) => ({
  $type: "com.atrarium.moderation.action",
  community: COMMUNITY,
  action: "hide_post",
  target: postTarget,
  createdAt: "2026-01-01T00:00:00Z",
  ...over,
});

describe("validateModerationAction", () => {
  it.each<Case>([
    ["hide_post of a post", act()],
    ["unhide_post of a post, with a reason", act({ action: "unhide_post", reason: "appeal granted" })],
    ["block_user of a user", act({ action: "block_user", target: userTarget })],
    ["unblock_user of a user", act({ action: "unblock_user", target: userTarget })],
    [
      "a timed block_user",
      act({ action: "block_user", target: userTarget, expiresAt: "2026-01-08T00:00:00Z" }),
    ],
    ["approve_member of a user", act({ action: "approve_member", target: userTarget })],
    ["unapprove_member of a user", act({ action: "unapprove_member", target: userTarget })],
    ["pin_post of a post", act({ action: "pin_post" })],
    ["unpin_post of a post", act({ action: "unpin_post" })],
  ])("accepts %s", (_label, record) => {
    const result = validateModerationAction(record);
    expect(result.ok ? "ok" : result.reasons).toBe("ok");
  });

  it.each<[string, unknown, RegExp]>([
    ["a union target without $type", act({ target: { uri: postTarget.uri, cid: CID } }), /target/],
    ["a user target without $type", act({ action: "block_user", target: { did: "did:plc:a" } }), /target/],
    ["hide_post of a user", act({ target: userTarget }), /postTarget/],
    ["block_user of a post", act({ action: "block_user" }), /userTarget/],
    ["approve_member of a post", act({ action: "approve_member" }), /userTarget/],
    ["unapprove_member of a post", act({ action: "unapprove_member" }), /userTarget/],
    ["pin_post of a user", act({ action: "pin_post", target: userTarget }), /postTarget/],
    ["unpin_post of a user", act({ action: "unpin_post", target: userTarget }), /postTarget/],
    ["expiresAt on a hide", act({ expiresAt: "2026-01-08T00:00:00Z" }), /expiresAt is only for block_user/],
    [
      "expiresAt on an unblock",
      act({ action: "unblock_user", target: userTarget, expiresAt: "2026-01-08T00:00:00Z" }),
      /expiresAt is only for block_user/,
    ],
    [
      "a block that expires before it is made",
      act({ action: "block_user", target: userTarget, expiresAt: "2025-12-31T00:00:00Z" }),
      /expiresAt must be later/,
    ],
    [
      "an expiresAt without a timezone",
      act({ action: "block_user", target: userTarget, expiresAt: "2026-01-08T00:00:00" }),
      /expiresAt/,
    ],
    ["an unknown action", act({ action: "delete_everything" }), /unknown action/],
    ["a post target with a bad cid", act({ target: { ...postTarget, cid: "not-a-cid" } }), /cid/],
    ["a post target with no uri", act({ target: { $type: postTarget.$type, cid: CID } }), /uri/],
    [
      "a user target with a bad DID",
      act({ action: "block_user", target: { ...userTarget, did: "x" } }),
      /did/,
    ],
    ["missing community", without(act(), "community"), /community/],
    ["missing action", without(act(), "action"), /action/],
    ["missing target", without(act(), "target"), /target/],
    ["missing createdAt", without(act(), "createdAt"), /createdAt/],
    ["a createdAt that is no datetime", act({ createdAt: "1700000000" }), /createdAt/],
    ["a createdAt without a timezone", act({ createdAt: "2026-01-01T00:00:00" }), /createdAt/],
    ["a reason of 301 graphemes", act({ reason: "r".repeat(301) }), /reason/],
  ])("rejects %s", (_label, record, reason) => {
    const result = validateModerationAction(record);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons.join("; ")).toMatch(reason);
  });
});

describe("validatePost", () => {
  it("accepts a post with text, tags and facets", () => {
    const result = validatePost({ text: "hi", createdAt: "2026-01-01T00:00:00Z", tags: ["x"], facets: [] });
    expect(result.ok).toBe(true);
  });

  it.each<[string, unknown]>([
    ["no text", { createdAt: "2026-01-01T00:00:00Z" }],
    ["no createdAt", { text: "hi" }],
    ["a bad createdAt", { text: "hi", createdAt: "now" }],
    ["tags that are not strings", { text: "hi", createdAt: "2026-01-01T00:00:00Z", tags: [1] }],
    ["facets that are no array", { text: "hi", createdAt: "2026-01-01T00:00:00Z", facets: {} }],
  ])("rejects %s", (_label, record) => {
    expect(validatePost(record).ok).toBe(false);
  });
});

describe("validators never throw", () => {
  const junk: unknown[] = [
    null,
    undefined,
    42,
    "text",
    [],
    [config()],
    {},
    { $type: 7 },
    Object.create(null),
  ];
  it.each([validateCommunityConfig, validateMembership, validateModerationAction, validatePost])(
    "%o returns reasons for junk",
    (validator) => {
      for (const [i, input] of junk.entries()) {
        const result = validator(input);
        expect(result.ok, `junk #${i}`).toBe(false);
        if (!result.ok) expect(result.reasons.length).toBeGreaterThan(0);
      }
    },
  );
});

describe("communityHashtags", () => {
  const tag = "#atr_0123abcd";
  const facet = (value: string, type = "app.bsky.richtext.facet#tag") => ({
    index: { byteStart: 0, byteEnd: 1 },
    features: [{ $type: type, tag: value }],
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["a tag in the text", { text: `hello ${tag} world` }, [tag]],
    ["a tag at the start and end of the text", { text: `${tag} hi #atr_ffffffff` }, [tag, "#atr_ffffffff"]],
    ["a tag followed by punctuation", { text: `(${tag}).` }, [tag]],
    ["a tag after a newline", { text: `line\n${tag}` }, [tag]],
    ["9 hex digits", { text: "#atr_123456789" }, []],
    ["7 hex digits", { text: "#atr_1234567" }, []],
    ["uppercase hex", { text: "#atr_0123ABCD" }, []],
    ["uppercase prefix", { text: "#ATR_0123abcd" }, []],
    ["no '#'", { text: "atr_0123abcd" }, []],
    ["a tag glued to a word", { text: `word${tag}` }, []],
    ["a tag running on into a word", { text: `${tag}_x ${tag}x` }, []],
    ["a double '#'", { text: `#${tag}` }, []],
    ["a facet tag", { text: "see tag", facets: [facet("atr_0123abcd")] }, [tag]],
    ["a facet tag with 9 digits", { text: "", facets: [facet("atr_123456789")] }, []],
    [
      "a facet of another type",
      { text: "", facets: [facet("atr_0123abcd", "app.bsky.richtext.facet#link")] },
      [],
    ],
    ["the tags array", { text: "", tags: ["atr_0123abcd"] }, [tag]],
    ["the tags array with '#'", { text: "", tags: [tag] }, [tag]],
    ["an uppercase tags entry", { text: "", tags: ["atr_0123ABCD"] }, []],
    ["a 7-digit tags entry", { text: "", tags: ["atr_1234567"] }, []],
    ["the same tag everywhere, once", { text: tag, tags: [tag], facets: [facet("atr_0123abcd")] }, [tag]],
    ["malformed facets and tags", { text: 5, tags: [1, null], facets: [null, { features: "x" }] }, []],
  ])("%s", (_label, post, expected) => {
    expect(communityHashtags(post)).toEqual(expected);
  });
});
