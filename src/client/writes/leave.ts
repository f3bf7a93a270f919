// Leaving a community: every membership record for it is deleted from the
// signed-in user's repo (deleting is leaving; the index sees it at once).
import { requireCommunityUri, requireRecordUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { AtrariumError, toAtrariumError } from "../errors.ts";
import { listMemberships } from "../records.ts";
import { indexAfterWrite } from "../service.ts";
import type { LeaveResult } from "../types.ts";

/** Leaves a community: deletes the signed-in account's membership records for it. */
export async function leave(ctx: ClientContext, community: string): Promise<LeaveResult> {
  const { own, did } = ctx.session("leave a community");
  const { uri: communityUri } = requireCommunityUri(community);
  const mine = (await listMemberships(ctx, did)).filter((m) => m.value.community === communityUri);
  if (mine.length === 0) {
    throw new AtrariumError("not_found", `You have no membership in ${communityUri}`);
  }
  const deleted: string[] = [];
  for (const m of mine) {
    try {
      await own.com.atrarium.community.membership.delete({ repo: did, rkey: requireRecordUri(m.uri).rkey });
    } catch (err) {
      throw toAtrariumError(err, "deleting your membership record", "your PDS");
    }
    deleted.push(m.uri);
  }
  const warnings: string[] = [];
  const indexed = await indexAfterWrite(ctx, deleted, warnings);
  return { deleted, indexed, warnings };
}
