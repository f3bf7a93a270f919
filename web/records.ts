// The records the app writes into the user's own repo, built exactly as the
// typed client (src/client/) builds them: a community is its config, a feed
// generator record with the same rkey and the owner's membership; a post
// carries the community hashtag with a #tag facet over it (UTF-8 offsets).
// Written for the browser: src/client/text.ts would bring the lexicon
// validators (about 35 KB gzipped) into the bundle.
import type * as Config from "../src/client/lexicon/types/com/atrarium/community/config.ts";
import type * as Membership from "../src/client/lexicon/types/com/atrarium/community/membership.ts";
import type * as Action from "../src/client/lexicon/types/com/atrarium/moderation/action.ts";
import { COLLECTIONS } from "../src/records/address.ts";
import { Problem } from "./errors.ts";

export type ConfigRecord = Config.Record;
export type MembershipRecord = Membership.Record;
export type ActionRecord = Action.Record;
export type ActionName = "hide_post" | "unhide_post" | "block_user" | "unblock_user";

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const encoder = new TextEncoder();
export const graphemes = (text: string) => [...segmenter.segment(text)].length;
const bytes = (text: string) => encoder.encode(text).length;

export const LIMITS = {
  name: { graphemes: 100, bytes: 200 },
  description: { graphemes: 1000, bytes: 2000 },
  post: { graphemes: 300, bytes: 3000 },
  feedName: 24,
  feedDescription: 300,
};

/** `text` within the lexicon's limits, or a Problem naming the field. */
export function checkLength(
  label: string,
  text: string,
  limit: { graphemes: number; bytes: number },
): string {
  if (graphemes(text) > limit.graphemes || bytes(text) > limit.bytes) {
    throw new Problem("invalid", `The ${label} is too long: at most ${limit.graphemes} characters.`);
  }
  return text;
}

function clip(text: string, max: number): string {
  const parts = [...segmenter.segment(text)].map((s) => s.segment);
  return parts.length <= max
    ? text
    : `${parts
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

const TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";
let lastTid = 0;

/** A record key in TID form: microseconds since 1970 and a random clock id, base32-sortable. */
export function newTid(): string {
  lastTid = Math.max(Date.now() * 1000, lastTid + 1);
  const clockId = crypto.getRandomValues(new Uint16Array(1))[0] ?? 0;
  let n = (BigInt(lastTid) << 10n) | BigInt(clockId % 1024);
  let key = "";
  for (let i = 0; i < 13; i++, n >>= 5n) key = TID_ALPHABET[Number(n & 31n)] + key;
  return key;
}

/** `#atr_` and 8 random lowercase hex digits. */
export function newHashtag(): string {
  const random = crypto.getRandomValues(new Uint8Array(4));
  return `#atr_${Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export interface TaggedPost {
  $type: typeof COLLECTIONS.post;
  text: string;
  facets: {
    $type: "app.bsky.richtext.facet";
    index: { byteStart: number; byteEnd: number };
    features: { $type: "app.bsky.richtext.facet#tag"; tag: string }[];
  }[];
  createdAt: string;
}

/** How many characters a post may have before the hashtag is added. */
export const postRoom = (hashtag: string) => LIMITS.post.graphemes - graphemes(` ${hashtag}`);

/** Where `hashtag` stands in `text` as a whole tag, or -1. */
function tagIndex(text: string, hashtag: string): number {
  const match = new RegExp(`(^|\\s)${hashtag}(?![\\p{L}\\p{N}_])`, "u").exec(text);
  return match ? match.index + (match[1] ?? "").length : -1;
}

/** A post with the community hashtag (added at the end unless written) and a #tag facet over it. */
export function taggedPost(text: string, hashtag: string): TaggedPost {
  const body = text.trim();
  if (body === "" || body === hashtag) throw new Problem("invalid", "Write something first.");
  const written = tagIndex(body, hashtag);
  const full = written >= 0 ? body : `${body} ${hashtag}`;
  checkLength("post", full, LIMITS.post);
  const byteStart = bytes(full.slice(0, written >= 0 ? written : body.length + 1));
  return {
    $type: COLLECTIONS.post,
    text: full,
    facets: [
      {
        $type: "app.bsky.richtext.facet",
        index: { byteStart, byteEnd: byteStart + bytes(hashtag) },
        features: [{ $type: "app.bsky.richtext.facet#tag", tag: hashtag.slice(1) }],
      },
    ],
    createdAt: new Date().toISOString(),
  };
}

export function configRecord(input: { name: string; description?: string; hashtag: string }): ConfigRecord {
  const now = new Date().toISOString();
  return {
    $type: COLLECTIONS.config,
    name: checkLength("name", input.name, LIMITS.name),
    ...(input.description
      ? { description: checkLength("description", input.description, LIMITS.description) }
      : {}),
    hashtag: input.hashtag,
    stage: "theme",
    createdAt: now,
  };
}

/** The feed record that makes the community a feed in the Bluesky app (same rkey as the config). */
export function generatorRecord(
  serviceDid: string,
  config: ConfigRecord,
  createdAt = new Date().toISOString(),
) {
  const about = config.description ? `${config.description}\n\n` : "";
  return {
    $type: COLLECTIONS.feedGenerator,
    did: serviceDid,
    displayName: clip(config.name, LIMITS.feedName),
    description: clip(
      `${about}Members post with ${config.hashtag} (an Atrarium community).`,
      LIMITS.feedDescription,
    ),
    createdAt,
  };
}

export function membershipRecord(community: string, role: "owner" | "member"): MembershipRecord {
  return { $type: COLLECTIONS.membership, community, role, joinedAt: new Date().toISOString(), active: true };
}

export function actionRecord(
  community: string,
  action: ActionName,
  target: { uri: string; cid: string } | { did: string },
): ActionRecord {
  return {
    $type: COLLECTIONS.action,
    community,
    action,
    target:
      "did" in target
        ? { $type: "com.atrarium.moderation.action#userTarget", did: target.did }
        : { $type: "com.atrarium.moderation.action#postTarget", uri: target.uri, cid: target.cid },
    createdAt: new Date().toISOString(),
  };
}
