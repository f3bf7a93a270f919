// The rules of Atrarium's records that a lexicon cannot express (the hashtag
// format, feedMix summing to 100, strict datetimes, DID lists, which target an
// action takes, a block's expiry). Pure, and independent of any generated code: the Worker runs
// them after its server lexicon check (validate.ts), the client after its own
// (src/client/records.ts), so both accept exactly the same records.
import { isValidDatetime, isValidDid } from "@atproto/syntax";
import { HASHTAG_PATTERN } from "./hashtags.ts";

/** The typed record, or readable reasons it is invalid. */
export type Validation<T> = { ok: true; value: T } | { ok: false; reasons: string[] };

/** What a generated `validateRecord` returns. */
export type LexResult<T> = { success: true; value: T } | { success: false; error: Error };

/** Runs a generated lexicon check; a throw counts as a failure, never escapes. */
export function lexiconCheck<T>(check: () => LexResult<T>): Validation<T> {
  try {
    const result = check();
    return result.success
      ? { ok: true, value: result.value }
      : { ok: false, reasons: [result.error.message] };
  } catch (err) {
    return { ok: false, reasons: [err instanceof Error ? err.message : String(err)] };
  }
}

/** The value when there are no reasons against it. */
export function finish<T>(value: T, reasons: string[]): Validation<T> {
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

/** The fields of a community config these rules read. */
export interface ConfigShape {
  hashtag: string;
  feedMix?: { own: number; parent: number; global: number };
  moderators?: string[];
  blocklist?: string[];
  createdAt: string;
  updatedAt?: string;
}

/** A lexicon-valid config, checked against the rules beyond the lexicon. */
export function checkConfig<T extends ConfigShape>(checked: Validation<T>): Validation<T> {
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

/** A lexicon-valid membership, checked against the rules beyond the lexicon. */
export function checkMembership<T extends { joinedAt: string }>(checked: Validation<T>): Validation<T> {
  if (!checked.ok) return checked;
  return finish(checked.value, datetimeProblems({ joinedAt: checked.value.joinedAt }));
}

const POST_TARGET = "com.atrarium.moderation.action#postTarget";
const USER_TARGET = "com.atrarium.moderation.action#userTarget";
const TARGET_OF: Record<string, string> = {
  hide_post: POST_TARGET,
  unhide_post: POST_TARGET,
  pin_post: POST_TARGET,
  unpin_post: POST_TARGET,
  block_user: USER_TARGET,
  unblock_user: USER_TARGET,
  approve_member: USER_TARGET,
  unapprove_member: USER_TARGET,
};

/** A lexicon-valid moderation action, checked against the rules beyond the lexicon. */
export function checkModerationAction<
  T extends { action: string; target: { $type?: string }; createdAt: string; expiresAt?: string },
>(checked: Validation<T>): Validation<T> {
  if (!checked.ok) return checked;
  const action = checked.value;
  const reasons: string[] = datetimeProblems({ createdAt: action.createdAt, expiresAt: action.expiresAt });
  const wanted = TARGET_OF[action.action];
  if (!wanted) reasons.push(`unknown action "${action.action}"`);
  else if (action.target.$type !== wanted) {
    reasons.push(`${action.action} needs a #${wanted.split("#")[1]} target`);
  }
  if (action.expiresAt !== undefined) {
    if (action.action !== "block_user")
      reasons.push(`expiresAt is only for block_user, not ${action.action}`);
    else if (Date.parse(action.expiresAt) <= Date.parse(action.createdAt))
      reasons.push("expiresAt must be later than createdAt");
  }
  return finish(action, reasons);
}
