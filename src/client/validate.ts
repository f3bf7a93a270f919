// The client's record validators: the generated client lexicon check plus the
// same rules beyond the lexicon that the Worker applies (src/records/rules.ts),
// so the client never writes a record the index would reject. Failures become
// one AtrariumError naming every reason.
import { isValidDid } from "@atproto/syntax";
import {
  checkConfig,
  checkMembership,
  checkModerationAction,
  lexiconCheck,
  type Validation,
} from "../records/rules.ts";
import { AtrariumError } from "./errors.ts";
import * as Config from "./lexicon/types/com/atrarium/community/config.ts";
import * as Membership from "./lexicon/types/com/atrarium/community/membership.ts";
import * as Action from "./lexicon/types/com/atrarium/moderation/action.ts";
import type { CommunityConfig, MembershipRecord, ModerationActionRecord } from "./types.ts";

function orThrow<T>(label: string, result: Validation<T>): T {
  if (result.ok) return result.value;
  const reasons = result.reasons.map((r) => r.replace(/^Record\//, "").replace(/^Record /, "record "));
  throw new AtrariumError("invalid", `The ${label} is invalid: ${reasons.join("; ")}`, { reasons });
}

/** A community config, validated; `label` names it in the error ("community"). */
export function communityConfig(value: unknown, label = "community"): CommunityConfig {
  return orThrow(label, checkConfig(lexiconCheck(() => Config.validateRecord(value))));
}

/** A membership record, validated. */
export function membership(value: unknown): MembershipRecord {
  return orThrow("membership", checkMembership(lexiconCheck(() => Membership.validateRecord(value))));
}

/** A moderation action record, validated. */
export function moderationAction(value: unknown): ModerationActionRecord {
  return orThrow(
    "moderation action",
    checkModerationAction(lexiconCheck(() => Action.validateRecord(value))),
  );
}

/** Throws unless every entry is a DID; `field` names the list in the error. */
export function requireDids(field: string, dids: string[]): void {
  const bad = dids.filter((d) => !isValidDid(d));
  if (bad.length > 0) {
    throw new AtrariumError(
      "invalid",
      `${field} must be DIDs (resolve handles first), got: ${bad.join(", ")}`,
    );
  }
}
