// Changing a community the signed-in account owns: the config is read, the
// patch applied and the result validated, then written with swapRecord so a
// concurrent change is never overwritten. The feed record follows a new name
// or description.
import { requireCommunityUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { AtrariumError, toAtrariumError } from "../errors.ts";
import { getCommunityConfig } from "../records.ts";
import { indexAfterWrite } from "../service.ts";
import type { CommunityConfig, CommunityPatch, UpdateCommunityResult } from "../types.ts";
import { communityConfig, requireDids } from "../validate.ts";
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
  const draft: Record<string, unknown> = { ...old };
  if (patch.name !== undefined) draft.name = patch.name;
  if (patch.stage !== undefined) draft.stage = patch.stage;
  setOptional(draft, "description", patch.description);
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

/** Applies a patch to a community the signed-in account owns. */
export async function updateCommunity(
  ctx: ClientContext,
  uri: string,
  patch: CommunityPatch,
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
  let written: { uri: string; cid: string };
  try {
    written = await own.com.atrarium.community.config.put(
      { repo: did, rkey: address.rkey, swapRecord: current.cid },
      record,
    );
  } catch (err) {
    throw toAtrariumError(err, "updating the community", "your PDS");
  }
  const warnings: string[] = [];
  if (record.name !== old.name || record.description !== old.description) {
    await syncFeedRecord(ctx, address.rkey, record, warnings);
  }
  const indexed = await indexAfterWrite(ctx, [written.uri], warnings);
  return { uri: written.uri, cid: written.cid, record, indexed, warnings };
}
