// Changing a community the signed-in account owns: the config is read, the
// patch applied and the result validated, then written with swapRecord so a
// concurrent change is never overwritten. The feed record follows a new name
// or description. A switch to joinPolicy "approval" first approves the
// current members (approval-switch.ts), so no one drops out by surprise.
import { switchesToApproval } from "../../records/approval-switch.ts";
import { requireCommunityUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { AtrariumError, toAtrariumError } from "../errors.ts";
import { getCommunityConfig } from "../records.ts";
import { indexAfterWrite } from "../service.ts";
import type {
  CommunityConfig,
  CommunityPatch,
  UpdateCommunityOptions,
  UpdateCommunityResult,
} from "../types.ts";
import { communityConfig, requireDids } from "../validate.ts";
import { type Approvals, approveAll, membersToApprove } from "./approval-switch.ts";
import { syncFeedRecord } from "./feed-record.ts";

type DidList = "moderators" | "blocklist";

/** A DID list after the patch: replaced, then added to, then removed from; undefined when empty. */
function patchList(
  field: DidList,
  current: string[] | undefined,
  replace: string[] | undefined,
  add: string[] = [],
  remove: string[] = [],
): string[] | undefined {
  requireDids(field, replace ?? []);
  requireDids(`${field} to add`, add);
  requireDids(`${field} to remove`, remove);
  if (replace === undefined && add.length === 0 && remove.length === 0) return current;
  const drop = new Set(remove);
  const values = [...new Set([...(replace ?? current ?? []), ...add])].filter((d) => !drop.has(d));
  return values.length > 0 ? values : undefined;
}

/** Sets or removes (null) an optional field of the draft. */
function setOptional(draft: Record<string, unknown>, field: string, value: unknown): void {
  if (value === null || value === "") delete draft[field];
  else if (value !== undefined) draft[field] = value;
}

function applyPatch(old: CommunityConfig, patch: CommunityPatch): CommunityConfig {
  if (patch.rules?.some((rule) => rule.trim() === "")) {
    throw new AtrariumError("invalid", "A rule cannot be empty");
  }
  const draft: Record<string, unknown> = { ...old };
  if (patch.name !== undefined) draft.name = patch.name;
  if (patch.stage !== undefined) draft.stage = patch.stage;
  setOptional(draft, "description", patch.description);
  setOptional(draft, "joinPolicy", patch.joinPolicy);
  setOptional(draft, "feedVisibility", patch.feedVisibility);
  setOptional(draft, "rules", patch.rules?.length === 0 ? null : patch.rules);
  setOptional(draft, "feedMix", patch.feedMix);
  setOptional(
    draft,
    "parentCommunity",
    typeof patch.parentCommunity === "string"
      ? requireCommunityUri(patch.parentCommunity).uri
      : patch.parentCommunity,
  );
  const lists: [DidList, string[] | undefined][] = [
    [
      "moderators",
      patchList("moderators", old.moderators, patch.moderators, patch.addModerators, patch.removeModerators),
    ],
    [
      "blocklist",
      patchList("blocklist", old.blocklist, patch.blocklist, patch.addToBlocklist, patch.removeFromBlocklist),
    ],
  ];
  for (const [field, values] of lists) setOptional(draft, field, values ?? null);
  draft.updatedAt = new Date().toISOString();
  return communityConfig(draft);
}

/** Approves the current members when the patch switches the community to approval. */
async function approveBeforeSwitch(
  ctx: ClientContext,
  uri: string,
  old: CommunityConfig,
  record: CommunityConfig,
  options: UpdateCommunityOptions,
  warnings: string[],
): Promise<Approvals> {
  if (!switchesToApproval(old, record)) return { approved: [], indexed: [] };
  const dids = options.membersToApprove ?? (await membersToApprove(ctx, uri));
  return approveAll(ctx, uri, dids, warnings);
}

/** Applies a patch to a community the signed-in account owns. */
export async function updateCommunity(
  ctx: ClientContext,
  uri: string,
  patch: CommunityPatch,
  options: UpdateCommunityOptions = {},
): Promise<UpdateCommunityResult> {
  const { own, did } = ctx.session("update a community");
  const address = requireCommunityUri(uri);
  if (address.owner !== did) {
    throw new AtrariumError(
      "forbidden",
      `Only the owner (${address.owner}) can change this community; you are ${did}`,
    );
  }
  const current = await getCommunityConfig(ctx, uri);
  const old = current.value;
  const record = applyPatch(old, patch);
  const warnings: string[] = [];
  const approvals = await approveBeforeSwitch(ctx, uri, old, record, options, warnings);
  let written: { uri: string; cid: string };
  try {
    written = await own.com.atrarium.community.config.put(
      { repo: did, rkey: address.rkey, swapRecord: current.cid },
      record,
    );
  } catch (err) {
    throw toAtrariumError(err, "updating the community", "your PDS");
  }
  if (record.name !== old.name || record.description !== old.description) {
    await syncFeedRecord(ctx, address.rkey, record, warnings);
  }
  // A config indexed before the approvals written ahead of it would hold those members out
  // until the firehose brings the approvals: then the firehose brings all, in commit order.
  const approvalsIndexed = approvals.indexed.length === approvals.approved.length;
  const configIndexed = approvalsIndexed ? await indexAfterWrite(ctx, [written.uri], warnings) : [];
  const indexed = [...approvals.indexed, ...configIndexed];
  return { uri: written.uri, cid: written.cid, record, approved: approvals.approved, indexed, warnings };
}
