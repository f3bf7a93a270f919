// One validator per record: the generated lexicon check plus the rules a
// lexicon cannot express. Each returns the typed record or readable reasons;
// none of them throws on bad input.
import { isValidDatetime, isValidDid } from "@atproto/syntax";
import * as Config from "../lexicon/types/com/atrarium/community/config.ts";
import * as Membership from "../lexicon/types/com/atrarium/community/membership.ts";
import * as Action from "../lexicon/types/com/atrarium/moderation/action.ts";

export type CommunityConfig = Config.Record;
export type MembershipRecord = Membership.Record;
export type ModerationActionRecord = Action.Record;
export type PostTarget = Action.PostTarget;
export type UserTarget = Action.UserTarget;

export type Validation<T> = { ok: true; value: T } | { ok: false; reasons: string[] };

/** `#atr_` followed by exactly 8 lowercase hex digits. */
export const HASHTAG_PATTERN = /^#atr_[0-9a-f]{8}$/;

type LexResult<T> = { success: true; value: T } | { success: false; error: Error };

function lexicon<T>(check: () => LexResult<T>): Validation<T> {
  try {
    const result = check();
    return result.success
      ? { ok: true, value: result.value }
      : { ok: false, reasons: [result.error.message] };
  } catch (err) {
    return { ok: false, reasons: [err instanceof Error ? err.message : String(err)] };
  }
}

function finish<T>(value: T, reasons: string[]): Validation<T> {
  return reasons.length === 0 ? { ok: true, value } : { ok: false, reasons };
}

/**
 * The generated validator checks datetimes leniently (a missing timezone
 * passes); the index orders moderation by these values, so our own records
 * must carry strict atproto datetimes (RFC 3339 with a timezone).
 */
function datetimeProblems(fields: Record<string, unknown>): string[] {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined && !(typeof value === "string" && isValidDatetime(value)))
    .map(
      ([field, value]) =>
        `${field} must be an atproto datetime with a timezone, got ${JSON.stringify(value)}`,
    );
}

function didListProblems(field: string, dids: string[] | undefined): string[] {
  if (!dids) return [];
  const problems = dids
    .filter((did) => !isValidDid(did))
    .map((did) => `${field} holds an invalid DID: ${did}`);
  if (new Set(dids).size !== dids.length) problems.push(`${field} lists the same DID more than once`);
  return problems;
}

export function validateCommunityConfig(input: unknown): Validation<CommunityConfig> {
  const checked = lexicon(() => Config.validateRecord(input));
  if (!checked.ok) return checked;
  const config = checked.value;
  const reasons: string[] = [];
  if (!HASHTAG_PATTERN.test(config.hashtag)) {
    reasons.push(`hashtag must be "#atr_" followed by 8 lowercase hex digits, got "${config.hashtag}"`);
  }
  if (config.feedMix) {
    const { own, parent, global } = config.feedMix;
    if (own + parent + global !== 100) reasons.push(`feedMix must sum to 100, got ${own + parent + global}`);
  }
  reasons.push(...datetimeProblems({ createdAt: config.createdAt, updatedAt: config.updatedAt }));
  reasons.push(...didListProblems("moderators", config.moderators));
  reasons.push(...didListProblems("blocklist", config.blocklist));
  return finish(config, reasons);
}

export function validateMembership(input: unknown): Validation<MembershipRecord> {
  const checked = lexicon(() => Membership.validateRecord(input));
  if (!checked.ok) return checked;
  return finish(checked.value, datetimeProblems({ joinedAt: checked.value.joinedAt }));
}

const POST_ACTIONS = new Set(["hide_post", "unhide_post"]);
const USER_ACTIONS = new Set(["block_user", "unblock_user"]);

export function validateModerationAction(input: unknown): Validation<ModerationActionRecord> {
  const checked = lexicon(() => Action.validateRecord(input));
  if (!checked.ok) return checked;
  const action = checked.value;
  const reasons: string[] = datetimeProblems({ createdAt: action.createdAt });
  if (POST_ACTIONS.has(action.action)) {
    if (!Action.isPostTarget(action.target)) reasons.push(`${action.action} needs a #postTarget target`);
  } else if (USER_ACTIONS.has(action.action)) {
    if (!Action.isUserTarget(action.target)) reasons.push(`${action.action} needs a #userTarget target`);
  } else {
    reasons.push(`unknown action "${action.action}"`);
  }
  return finish(action, reasons);
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
