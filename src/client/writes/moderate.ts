// Moderation actions: a com.atrarium.moderation.action record in the
// moderator's own repo. Refused (unless `force`) when the signed-in account is
// not the owner or a moderator, since the index would not apply the action.
// What would silently change nothing (an approval in an open community, a pin
// of a post without the hashtag) is written, with a warning that says so.
import { COLLECTIONS } from "../../records/address.ts";
import { communityHashtags } from "../../records/hashtags.ts";
import { requireCommunityUri, requireRecordUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { AtrariumError, toAtrariumError } from "../errors.ts";
import { getCommunityConfig } from "../records.ts";
import { getRecord } from "../repo.ts";
import { indexAfterWrite } from "../service.ts";
import type {
  CommunityConfig,
  ModerationActionInput,
  ModerationActionName,
  ModerationActionRecord,
  ModerationActionResult,
} from "../types.ts";
import { moderationAction, requireDids } from "../validate.ts";

/** What each action is about: a post or an account. */
const TARGET_KIND: Record<ModerationActionName, "post" | "account"> = {
  hide_post: "post",
  unhide_post: "post",
  pin_post: "post",
  unpin_post: "post",
  block_user: "account",
  unblock_user: "account",
  approve_member: "account",
  unapprove_member: "account",
};

type Target = ModerationActionRecord["target"];

/** The action's target as the lexicon writes it; a post's cid is read from its author's PDS when not given. */
async function targetOf(
  ctx: ClientContext,
  input: ModerationActionInput,
): Promise<{ target: Target; post?: Record<string, unknown> }> {
  const kind = TARGET_KIND[input.action];
  if (kind === "post") {
    if (!("uri" in input.target)) {
      throw new AtrariumError("invalid", `${input.action} needs a post (uri), not an account`);
    }
    const uri = input.target.uri;
    requireRecordUri(uri, COLLECTIONS.post);
    if (input.target.cid) {
      return { target: { $type: "com.atrarium.moderation.action#postTarget", uri, cid: input.target.cid } };
    }
    const read = await getRecord<Record<string, unknown>>(ctx, uri, "post");
    return {
      target: { $type: "com.atrarium.moderation.action#postTarget", uri, cid: read.cid },
      post: read.value,
    };
  }
  if (kind === "account") {
    if (!("did" in input.target)) {
      throw new AtrariumError("invalid", `${input.action} needs an account (did), not a post`);
    }
    requireDids("the account", [input.target.did]);
    return { target: { $type: "com.atrarium.moderation.action#userTarget", did: input.target.did } };
  }
  throw new AtrariumError(
    "invalid",
    `Unknown moderation action "${input.action}" (${Object.keys(TARGET_KIND).join(", ")})`,
  );
}

/** A timed block's end as a datetime: only for block_user, and in the future. */
function expiryOf(input: ModerationActionInput): string | undefined {
  if (input.expiresAt === undefined) return undefined;
  if (input.action !== "block_user") {
    throw new AtrariumError(
      "invalid",
      `An end time (expiresAt) goes only with block_user, not ${input.action}`,
    );
  }
  const at = new Date(input.expiresAt);
  if (Number.isNaN(at.getTime())) {
    throw new AtrariumError("invalid", `expiresAt must be a date and time, got "${input.expiresAt}"`);
  }
  if (at.getTime() <= Date.now()) {
    throw new AtrariumError("invalid", `The block would end at ${at.toISOString()}, which has passed`);
  }
  return at.toISOString();
}

/** Warnings for an action the index will keep but that changes nothing now. */
function noEffectWarnings(
  input: ModerationActionInput,
  config: CommunityConfig,
  post: Record<string, unknown> | undefined,
): string[] {
  const warnings: string[] = [];
  const approvalAction = input.action === "approve_member" || input.action === "unapprove_member";
  if (approvalAction && config.joinPolicy !== "approval") {
    warnings.push(
      `"${config.name}" is open (everyone who joins is a member), so this changes nothing until it switches to approval`,
    );
  }
  if (input.action === "pin_post" && post && !communityHashtags(post).includes(config.hashtag)) {
    warnings.push(
      `The post does not carry ${config.hashtag}, so it is not in the feed and the pin will not show`,
    );
  }
  return warnings;
}

/** Writes a moderation action into the signed-in account's repo. */
export async function createModerationAction(
  ctx: ClientContext,
  input: ModerationActionInput,
): Promise<ModerationActionResult> {
  const { own, did } = ctx.session("moderate");
  const { uri: communityUri, owner } = requireCommunityUri(input.community);
  const { target, post } = await targetOf(ctx, input);
  const expiresAt = expiryOf(input);
  const config = await getCommunityConfig(ctx, communityUri);
  const warnings: string[] = [];
  const isModerator = did === owner || (config.value.moderators ?? []).includes(did);
  if (!isModerator) {
    const message = `You (${did}) are not a moderator of "${config.value.name}", so the index would ignore this action; ask the owner to add you as a moderator`;
    if (!input.force) throw new AtrariumError("forbidden", message);
    ctx.warn(warnings, message);
  }
  if (input.action === "block_user" && "did" in input.target && input.target.did === owner) {
    throw new AtrariumError("invalid", "The owner of a community cannot be blocked from it");
  }
  for (const warning of noEffectWarnings(input, config.value, post)) ctx.warn(warnings, warning);
  const record = moderationAction({
    $type: COLLECTIONS.action,
    community: communityUri,
    action: input.action,
    target,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    createdAt: new Date().toISOString(),
  });
  let written: { uri: string; cid: string };
  try {
    written = await own.com.atrarium.moderation.action.create({ repo: did }, record);
  } catch (err) {
    throw toAtrariumError(err, "writing the moderation action", "your PDS");
  }
  const indexed = await indexAfterWrite(ctx, [written.uri], warnings);
  return { ...written, record, indexed, warnings };
}
