// The records the app writes into the user's own repo, built exactly as the
// typed client (src/client/) builds them: a community is its config, a feed
// generator record with the same rkey and the owner's membership; a post
// carries the community hashtag with a #tag facet over it (UTF-8 offsets).
// The rules (hashtags and their facet, TIDs, lengths, the feed record) are the
// shared pure modules the client uses; this adds the app's own messages.
import type * as Config from "../../client/lexicon/types/com/atrarium/community/config.ts";
import type * as Membership from "../../client/lexicon/types/com/atrarium/community/membership.ts";
import type * as Action from "../../client/lexicon/types/com/atrarium/moderation/action.ts";
import { COLLECTIONS } from "../../records/address.ts";
import { feedGeneratorRecord } from "../../records/feed-generator.ts";
import { generateHashtag, placeHashtag, type TagFacet } from "../../records/hashtags.ts";
import { graphemeLength } from "../../text/graphemes.ts";
import { nextTid } from "../../text/tid.ts";
import { utf8Length } from "../../text/utf8.ts";
import { LIMITS, MAX_RULES, type TextLimit } from "../shared/limits.ts";
import { Problem } from "./errors.ts";

export type ConfigRecord = Config.Record;
export type MembershipRecord = Membership.Record;
export type ActionRecord = Action.Record;
export type PostActionName = "hide_post" | "unhide_post" | "pin_post" | "unpin_post";
export type AccountActionName = "block_user" | "unblock_user" | "approve_member" | "unapprove_member";
export type ActionName = PostActionName | AccountActionName;

export const graphemes = graphemeLength;

export { LIMITS };

/** Whether `text` is within a lexicon's limits (graphemes and UTF-8 bytes). */
const fits = (text: string, limit: TextLimit) =>
  graphemes(text) <= limit.graphemes && utf8Length(text) <= limit.bytes;

/** `text` within the lexicon's limits, or a Problem naming the field. */
export function checkLength(label: string, text: string, limit: TextLimit): string {
  if (!fits(text, limit)) {
    throw new Problem("invalid", `The ${label} is too long: at most ${limit.graphemes} characters.`);
  }
  return text;
}

/** A record key in TID form. */
export const newTid = nextTid;

/** `#atr_` and 8 random lowercase hex digits. */
export const newHashtag = generateHashtag;

export interface TaggedPost {
  $type: typeof COLLECTIONS.post;
  text: string;
  facets: TagFacet[];
  createdAt: string;
}

/** How many characters a post may have before the hashtag is added. */
export const postRoom = (hashtag: string) => LIMITS.post.graphemes - graphemes(` ${hashtag}`);

/** A post with the community hashtag (added at the end unless written) and a #tag facet over it. */
export function taggedPost(text: string, hashtag: string): TaggedPost {
  const body = text.trim();
  if (body === "" || body === hashtag) throw new Problem("invalid", "Write something first.");
  const tagged = placeHashtag(body, hashtag);
  checkLength("post", tagged.text, LIMITS.post);
  return {
    $type: COLLECTIONS.post,
    text: tagged.text,
    facets: [tagged.facet],
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
export const generatorRecord = feedGeneratorRecord;

export function membershipRecord(community: string, role: "owner" | "member"): MembershipRecord {
  return { $type: COLLECTIONS.membership, community, role, joinedAt: new Date().toISOString(), active: true };
}

/** What an action may say besides its target: why, and (a block only) when it ends. */
export interface ActionDetails {
  reason?: string;
  /** A timed block's end (block_user only), a moment in the future. */
  expiresAt?: Date;
}

export function actionRecord(
  community: string,
  action: ActionName,
  target: { uri: string; cid: string } | { did: string },
  details: ActionDetails = {},
): ActionRecord {
  const createdAt = new Date();
  if (details.expiresAt && !(action === "block_user" && details.expiresAt > createdAt)) {
    throw new Problem("invalid", "A block can only end at a time still to come.");
  }
  return {
    $type: COLLECTIONS.action,
    community,
    action,
    target:
      "did" in target
        ? { $type: "com.atrarium.moderation.action#userTarget", did: target.did }
        : { $type: "com.atrarium.moderation.action#postTarget", uri: target.uri, cid: target.cid },
    ...(details.reason ? { reason: details.reason } : {}),
    ...(details.expiresAt ? { expiresAt: details.expiresAt.toISOString() } : {}),
    createdAt: createdAt.toISOString(),
  };
}

/** The rules as typed: each trimmed, empty ones left out, within the lexicon's limits. */
export function rulesOf(typed: string[]): string[] {
  const rules = typed.map((rule) => rule.trim()).filter((rule) => rule !== "");
  if (rules.length > MAX_RULES) throw new Problem("invalid", `A community has at most ${MAX_RULES} rules.`);
  const long = rules.findIndex((rule) => !fits(rule, LIMITS.rule));
  if (long >= 0)
    throw new Problem(
      "invalid",
      `Rule ${long + 1} is too long: at most ${LIMITS.rule.graphemes} characters.`,
    );
  return rules;
}
