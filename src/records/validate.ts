// One validator per record, for the Worker: the generated server lexicon
// check plus the rules a lexicon cannot express (rules.ts). Each returns the
// typed record or readable reasons; none of them throws on bad input.
import { isValidDatetime } from "@atproto/syntax";
import * as Config from "../lexicon/types/com/atrarium/community/config.ts";
import * as Membership from "../lexicon/types/com/atrarium/community/membership.ts";
import * as Action from "../lexicon/types/com/atrarium/moderation/action.ts";
import {
  checkConfig,
  checkMembership,
  checkModerationAction,
  finish,
  lexiconCheck,
  type Validation,
} from "./rules.ts";

export type CommunityConfig = Config.Record;
export type MembershipRecord = Membership.Record;
export type ModerationActionRecord = Action.Record;
export type PostTarget = Action.PostTarget;
export type UserTarget = Action.UserTarget;

export type { Validation } from "./rules.ts";

export function validateCommunityConfig(input: unknown): Validation<CommunityConfig> {
  return checkConfig(lexiconCheck(() => Config.validateRecord(input)));
}

export function validateMembership(input: unknown): Validation<MembershipRecord> {
  return checkMembership(lexiconCheck(() => Membership.validateRecord(input)));
}

export function validateModerationAction(input: unknown): Validation<ModerationActionRecord> {
  return checkModerationAction(lexiconCheck(() => Action.validateRecord(input)));
}

/** The part of an app.bsky.feed.post that the index reads. */
export interface PostRecord {
  text: string;
  createdAt: string;
  tags?: string[];
  facets?: unknown[];
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Posts are not our lexicon: check only the fields the index relies on. */
export function validatePost(input: unknown): Validation<PostRecord> {
  if (!isRecordObject(input)) return { ok: false, reasons: ["post must be an object"] };
  const reasons: string[] = [];
  if (typeof input.text !== "string") reasons.push("post text must be a string");
  if (typeof input.createdAt !== "string") {
    reasons.push("post createdAt must be a string");
  } else if (!isValidDatetime(input.createdAt)) {
    reasons.push(`post createdAt is not a valid datetime: ${input.createdAt}`);
  }
  if (
    input.tags !== undefined &&
    !(Array.isArray(input.tags) && input.tags.every((t) => typeof t === "string"))
  ) {
    reasons.push("post tags must be an array of strings");
  }
  if (input.facets !== undefined && !Array.isArray(input.facets))
    reasons.push("post facets must be an array");
  return finish(input as unknown as PostRecord, reasons);
}
