// Switching a community to joinPolicy "approval" without anyone dropping out:
// the rule (who is approved first, and when) is src/records/approval-switch.ts,
// shared with the web app; this reads the index and writes the approvals.

import { atUri, COLLECTIONS } from "../../records/address.ts";
import {
  APPROVALS_PER_COMMIT,
  membersToApprove as approvalsNeeded,
  SWITCH_APPROVAL_REASON,
} from "../../records/approval-switch.ts";
import { requireCommunityUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { AtrariumError, toAtrariumError } from "../errors.ts";
import { getMembers } from "../queries.ts";
import { getCommunityConfig } from "../records.ts";
import { indexAfterWrite } from "../service.ts";
import { nextTid } from "../text.ts";
import type { RequestIndexResult } from "../types.ts";
import { moderationAction, requireDids } from "../validate.ts";

/**
 * The current members who would drop out if the community switched to
 * approval now (every member the index lists except the owner and the
 * moderators). Empty when the community already approves its members.
 */
export async function membersToApprove(ctx: ClientContext, community: string): Promise<string[]> {
  const { uri, owner } = requireCommunityUri(community);
  const config = await getCommunityConfig(ctx, uri);
  try {
    return await approvalsNeeded({ owner, ...config.value }, (cursor) =>
      getMembers(ctx, uri, { limit: 100, ...(cursor ? { cursor } : {}) }),
    );
  } catch (err) {
    const e = err instanceof AtrariumError ? err : toAtrariumError(err, "listing members", ctx.workerName);
    throw new AtrariumError(
      e.kind,
      `${e.message}. Switching to approval first approves the current members, so it needs their list from the index; try again once the service answers`,
      { cause: err },
    );
  }
}

/** What approveAll wrote. */
export interface Approvals {
  approved: { did: string; uri: string }[];
  indexed: RequestIndexResult[];
}

/** One approve_member per DID, in commits of APPROVALS_PER_COMMIT records, each then indexed. */
export async function approveAll(
  ctx: ClientContext,
  community: string,
  dids: string[],
  warnings: string[],
): Promise<Approvals> {
  const { agent, did: author } = ctx.session("approve members");
  requireDids("the members to approve", dids);
  const createdAt = new Date().toISOString();
  const writes = [...new Set(dids)].map((did) => ({
    did,
    rkey: nextTid(),
    value: moderationAction({
      $type: COLLECTIONS.action,
      community,
      action: "approve_member",
      target: { $type: "com.atrarium.moderation.action#userTarget", did },
      reason: SWITCH_APPROVAL_REASON,
      createdAt,
    }),
  }));
  for (let i = 0; i < writes.length; i += APPROVALS_PER_COMMIT) {
    const chunk = writes.slice(i, i + APPROVALS_PER_COMMIT);
    try {
      await agent.com.atproto.repo.applyWrites({
        repo: author,
        writes: chunk.map((w) => ({
          $type: "com.atproto.repo.applyWrites#create" as const,
          collection: COLLECTIONS.action,
          rkey: w.rkey,
          value: w.value as unknown as Record<string, unknown>,
        })),
      });
    } catch (err) {
      const done = i > 0 ? ` (the first ${i} approvals were written)` : "";
      throw toAtrariumError(err, `approving the current members${done}`, "your PDS");
    }
  }
  const approved = writes.map((w) => ({ did: w.did, uri: atUri(author, COLLECTIONS.action, w.rkey) }));
  const indexed = await indexAfterWrite(
    ctx,
    approved.map((a) => a.uri),
    warnings,
  );
  return { approved, indexed };
}
