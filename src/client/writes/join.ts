// Joining a community: a membership record in the signed-in user's repo.
// Idempotent: an active membership is kept as it is, an inactive one is
// reactivated in place rather than duplicated. The result says when the
// community approves its members, so nobody wonders where their posts went.
import { COLLECTIONS } from "../../records/address.ts";
import { requireCommunityUri, requireRecordUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { toAtrariumError } from "../errors.ts";
import { getCommunityConfig, listMemberships } from "../records.ts";
import { indexAfterWrite } from "../service.ts";
import type { JoinResult } from "../types.ts";
import { membership } from "../validate.ts";

/** Joins a community with the signed-in account; idempotent. */
export async function join(
  ctx: ClientContext,
  community: string,
  options: { invitedBy?: string } = {},
): Promise<JoinResult> {
  const { own, did } = ctx.session("join a community");
  const { uri: communityUri, owner } = requireCommunityUri(community);
  const config = await getCommunityConfig(ctx, communityUri);
  const warnings: string[] = [];
  if (config.value.blocklist?.includes(did)) {
    ctx.warn(warnings, `You are on the blocklist of "${config.value.name}"; your membership will not count`);
  }
  const moderators = [owner, ...(config.value.moderators ?? [])];
  const needsApproval = config.value.joinPolicy === "approval" && !moderators.includes(did);
  const existing = (await listMemberships(ctx, did)).filter((m) => m.value.community === communityUri);
  const active = existing.find((m) => m.value.active !== false);
  if (active) {
    return {
      uri: active.uri,
      cid: active.cid,
      record: active.value,
      alreadyMember: true,
      needsApproval,
      indexed: [],
      warnings,
    };
  }
  const invitedBy = options.invitedBy ? await ctx.identity.resolveActor(options.invitedBy) : undefined;
  const record = membership({
    $type: COLLECTIONS.membership,
    community: communityUri,
    role: owner === did ? "owner" : "member",
    joinedAt: new Date().toISOString(),
    ...(invitedBy ? { invitedBy } : {}),
  });
  const inactive = existing[0];
  let written: { uri: string; cid: string };
  try {
    written = inactive
      ? await own.com.atrarium.community.membership.put(
          { repo: did, rkey: requireRecordUri(inactive.uri).rkey, swapRecord: inactive.cid },
          record,
        )
      : await own.com.atrarium.community.membership.create({ repo: did }, record);
  } catch (err) {
    throw toAtrariumError(err, "joining the community", "your PDS");
  }
  const indexed = await indexAfterWrite(ctx, [written.uri], warnings);
  return { ...written, record, alreadyMember: false, needsApproval, indexed, warnings };
}
