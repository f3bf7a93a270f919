// Switching a community to joinPolicy "approval" without anyone dropping out
// (design.md, "Joining, pins and who sees the feed"): before the config
// changes, the owner approves every current member who would need it. The
// owner and the moderators need no approval. One rule for every tool that
// switches: the typed client (and so the CLI) and the web app.

/** What the rule reads of a community: its owner and the fields of its config. */
export interface SwitchingCommunity {
  owner: string;
  moderators?: string[];
  joinPolicy?: string;
}

/** One page of the index's member list (com.atrarium.community.getMembers). */
export type MemberPage = (cursor: string | undefined) => Promise<{
  members: { did: string }[];
  cursor?: string;
}>;

/** How many approvals one applyWrites commit carries (a PDS takes up to 200 writes). */
export const APPROVALS_PER_COMMIT = 100;

/** The reason each approval of a switch gives, so the log says why it was written. */
export const SWITCH_APPROVAL_REASON = "approved when the community switched to approval";

/** Whether a config change (`before` → `after`) switches the community to approval. */
export function switchesToApproval(before: { joinPolicy?: string }, after: { joinPolicy?: string }): boolean {
  return after.joinPolicy === "approval" && before.joinPolicy !== "approval";
}

/**
 * The current members who would drop out if the community switched to
 * approval now: every member the index lists except the owner and the
 * moderators, each once. Empty when the community already approves its members.
 */
export async function membersToApprove(community: SwitchingCommunity, pages: MemberPage): Promise<string[]> {
  if (community.joinPolicy === "approval") return [];
  const exempt = new Set([community.owner, ...(community.moderators ?? [])]);
  const dids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await pages(cursor);
    for (const member of page.members) if (!exempt.has(member.did)) dids.add(member.did);
    cursor = page.members.length > 0 ? page.cursor : undefined;
  } while (cursor);
  return [...dids];
}
