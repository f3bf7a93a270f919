// Moderation actions: a com.atrarium.moderation.action record in the
// moderator's own repo. Refused (unless `force`) when the signed-in account is
// not the owner or a moderator, since the index would not apply the action.
import { COLLECTIONS } from "../../records/address.ts";
import { requireCommunityUri, requireRecordUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { AtrariumError, toAtrariumError } from "../errors.ts";
import { getCommunityConfig } from "../records.ts";
import { getRecord } from "../repo.ts";
import { indexAfterWrite } from "../service.ts";
import type { ModerationActionInput, ModerationActionRecord, ModerationActionResult } from "../types.ts";
import { moderationAction, requireDids } from "../validate.ts";

const POST_ACTIONS = new Set(["hide_post", "unhide_post"]);
const USER_ACTIONS = new Set(["block_user", "unblock_user"]);

/** The action's target as the lexicon writes it; a post's cid is read from its author's PDS when not given. */
async function targetOf(
  ctx: ClientContext,
  input: ModerationActionInput,
): Promise<ModerationActionRecord["target"]> {
  if (POST_ACTIONS.has(input.action)) {
    if (!("uri" in input.target)) {
      throw new AtrariumError("invalid", `${input.action} needs a post (uri), not an account`);
    }
    const uri = input.target.uri;
    requireRecordUri(uri, COLLECTIONS.post);
    const cid = input.target.cid ?? (await getRecord(ctx, uri, "post")).cid;
    return { $type: "com.atrarium.moderation.action#postTarget", uri, cid };
  }
  if (USER_ACTIONS.has(input.action)) {
    if (!("did" in input.target)) {
      throw new AtrariumError("invalid", `${input.action} needs an account (did), not a post`);
    }
    requireDids("the account to block", [input.target.did]);
    return { $type: "com.atrarium.moderation.action#userTarget", did: input.target.did };
  }
  throw new AtrariumError(
    "invalid",
    `Unknown moderation action "${input.action}" (hide_post, unhide_post, block_user, unblock_user)`,
  );
}

/** Writes a moderation action into the signed-in account's repo. */
export async function createModerationAction(
  ctx: ClientContext,
  input: ModerationActionInput,
): Promise<ModerationActionResult> {
  const { own, did } = ctx.session("moderate");
  const { uri: communityUri, owner } = requireCommunityUri(input.community);
  const target = await targetOf(ctx, input);
  const config = await getCommunityConfig(ctx, communityUri);
  const warnings: string[] = [];
  const isModerator = did === owner || (config.value.moderators ?? []).includes(did);
  if (!isModerator) {
    const message = `You (${did}) are not a moderator of "${config.value.name}", so the index would ignore this action; ask the owner to add you as a moderator`;
    if (!input.force) throw new AtrariumError("forbidden", message);
    ctx.warn(warnings, message);
  }
  if ("did" in input.target && input.target.did === owner) {
    throw new AtrariumError("invalid", "The owner of a community cannot be blocked from it");
  }
  const record = moderationAction({
    $type: COLLECTIONS.action,
    community: communityUri,
    action: input.action,
    target,
    ...(input.reason ? { reason: input.reason } : {}),
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
