// Switching a community to joinPolicy "approval" without anyone dropping out
// (design.md, "Joining, pins and who sees the feed"): before the config
// changes, the owner approves every current member who would need it. The
// owner and the moderators need no approval.
import { atUri, COLLECTIONS } from "../../records/address.ts";
import { requireCommunityUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { AtrariumError, toAtrariumError } from "../errors.ts";
import { getMembers } from "../queries.ts";
import { getCommunityConfig } from "../records.ts";
import { indexAfterWrite } from "../service.ts";
import { nextTid } from "../text.ts";
import type { RequestIndexResult } from "../types.ts";
import { moderationAction, requireDids } from "../validate.ts";

/** How many records one applyWrites commit carries (a PDS takes up to 200). */
const WRITES_PER_COMMIT = 100;

/**
 * The current members who would drop out if the community switched to
 * approval now: every member the index lists except the owner and the
 * moderators. Empty when the community already approves its members.
 */
export async function membersToApprove(ctx: ClientContext, community: string): Promise<string[]> {
  const { uri, owner } = requireCommunityUri(community);
  const config = await getCommunityConfig(ctx, uri);
  if (config.value.joinPolicy === "approval") return [];
  const exempt = new Set([owner, ...(config.value.moderators ?? [])]);
  const dids: string[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = await getMembers(ctx, uri, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const member of page.members) if (!exempt.has(member.did)) dids.push(member.did);
      cursor = page.members.length > 0 ? page.cursor : undefined;
    } while (cursor);
  } catch (err) {
    const e = err instanceof AtrariumError ? err : toAtrariumError(err, "listing members", ctx.workerName);
    throw new AtrariumError(
      e.kind,
      `${e.message}. Switching to approval first approves the current members, so it needs their list from the index; try again once the service answers`,
      { cause: err },
    );
  }
  return [...new Set(dids)];
}

/** What approveAll wrote. */
export interface Approvals {
  approved: { did: string; uri: string }[];
  indexed: RequestIndexResult[];
}

/** One approve_member per DID, in commits of up to 100 records, each then indexed. */
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
      reason: "approved when the community switched to approval",
      createdAt,
    }),
  }));
  for (let i = 0; i < writes.length; i += WRITES_PER_COMMIT) {
    const chunk = writes.slice(i, i + WRITES_PER_COMMIT);
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
