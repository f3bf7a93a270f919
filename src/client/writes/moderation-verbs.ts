// The typed moderation methods behind approve, invite, pin, block and the
// rest: each takes what people give (an account's handle or DID, a post's
// at:// URI or bsky.app link), resolves it, and writes one action record.
import { atUri, COLLECTIONS } from "../../records/address.ts";
import type { ClientContext } from "../context.ts";
import { resolveRecordRef } from "../records.ts";
import type {
  AccountActionName,
  BlockOptions,
  DecisionOptions,
  ModerationActionResult,
  PostActionName,
} from "../types.ts";
import { createModerationAction } from "./moderate.ts";

/** An account action (block, unblock, approve, unapprove) on a handle or DID. */
export async function actOnAccount(
  ctx: ClientContext,
  community: string,
  action: AccountActionName,
  actor: string,
  options: BlockOptions = {},
): Promise<ModerationActionResult> {
  const did = await ctx.identity.resolveActor(actor);
  const { expiresAt, reason, force } = options;
  return createModerationAction(ctx, {
    community,
    action,
    target: { did },
    ...(reason ? { reason } : {}),
    ...(force ? { force } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  });
}

/** A post action (hide, unhide, pin, unpin) on an at:// URI or bsky.app link. */
export async function actOnPost(
  ctx: ClientContext,
  community: string,
  action: PostActionName,
  post: string,
  options: DecisionOptions = {},
): Promise<ModerationActionResult> {
  const { did, rkey } = await resolveRecordRef(ctx, post, COLLECTIONS.post);
  return createModerationAction(ctx, {
    community,
    action,
    target: { uri: atUri(did, COLLECTIONS.post, rkey) },
    ...(options.reason ? { reason: options.reason } : {}),
    ...(options.force ? { force: options.force } : {}),
  });
}
