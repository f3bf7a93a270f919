// Changing a community its owner runs: the config in the owner's repo (name,
// description, moderators, who may join, who gets the feed, the rules),
// written with swapRecord so that a concurrent change is refused, not lost;
// the feed record follows a new name or description. A switch to approval
// first approves the current members (src/records/approval-switch.ts, the
// typed client's rule), so no one drops out by surprise.
import type * as GetMembers from "../../client/lexicon/types/com/atrarium/community/getMembers.ts";
import { atUri, COLLECTIONS } from "../../records/address.ts";
import {
  APPROVALS_PER_COMMIT,
  membersToApprove as approvalsNeeded,
  SWITCH_APPROVAL_REASON,
  switchesToApproval,
} from "../../records/approval-switch.ts";
import { type Actor, finish, getOwn, type Outcome, type Written } from "./actions.ts";
import {
  actionRecord,
  type ConfigRecord,
  checkLength,
  generatorRecord,
  LIMITS,
  newTid,
  rulesOf,
} from "./records.ts";
import { own, worker } from "./xrpc.ts";

export interface ConfigChange {
  name?: string;
  description?: string;
  addModerator?: string;
  removeModerator?: string;
  joinPolicy?: "open" | "approval";
  feedVisibility?: "public" | "members";
  /** The whole list, in order (empty removes the rules). */
  rules?: string[];
}

interface CommunityRef {
  uri: string;
  owner: string;
  rkey: string;
}

const readConfig = (actor: Actor, community: CommunityRef) =>
  getOwn<ConfigRecord>(actor, COLLECTIONS.config, community.rkey, "reading the community");

/**
 * Whom switching to approval now would approve first: every member the
 * index lists but the owner and the moderators (none when the community
 * approves its members already).
 */
export async function membersToApprove(actor: Actor, community: CommunityRef): Promise<string[]> {
  const config = await readConfig(actor, community);
  return approvalsNeeded({ owner: community.owner, ...config.value }, (cursor) =>
    worker<GetMembers.OutputSchema>("com.atrarium.community.getMembers", {
      doing: "listing the members to approve",
      params: { community: community.uri, limit: 100, cursor },
    }),
  );
}

function applyChange(current: ConfigRecord, change: ConfigChange): ConfigRecord {
  const next: ConfigRecord = { ...current, updatedAt: new Date().toISOString() };
  if (change.name !== undefined) next.name = checkLength("name", change.name.trim(), LIMITS.name);
  if (change.description !== undefined) {
    const description = change.description.trim();
    if (description) next.description = checkLength("description", description, LIMITS.description);
    else delete next.description;
  }
  const moderators = new Set(next.moderators ?? []);
  if (change.addModerator) moderators.add(change.addModerator);
  if (change.removeModerator) moderators.delete(change.removeModerator);
  if (moderators.size > 0) next.moderators = [...moderators];
  else delete next.moderators;
  if (change.joinPolicy) next.joinPolicy = change.joinPolicy;
  if (change.feedVisibility) next.feedVisibility = change.feedVisibility;
  if (change.rules) {
    const rules = rulesOf(change.rules);
    if (rules.length > 0) next.rules = rules;
    else delete next.rules;
  }
  return next;
}

/** One approve_member per DID, in commits of APPROVALS_PER_COMMIT; the URIs written. */
async function approveAll(actor: Actor, community: string, dids: string[]): Promise<string[]> {
  const writes = dids.map((did) => ({
    $type: "com.atproto.repo.applyWrites#create",
    collection: COLLECTIONS.action,
    rkey: newTid(),
    value: actionRecord(community, "approve_member", { did }, { reason: SWITCH_APPROVAL_REASON }),
  }));
  for (let i = 0; i < writes.length; i += APPROVALS_PER_COMMIT) {
    await own(actor.session, "com.atproto.repo.applyWrites", {
      doing:
        i > 0
          ? `approving the current members (the first ${i} are approved)`
          : "approving the current members",
      input: { repo: actor.session.did, writes: writes.slice(i, i + APPROVALS_PER_COMMIT) },
    });
  }
  return writes.map((w) => atUri(actor.session.did, COLLECTIONS.action, w.rkey));
}

/**
 * Changes the owner's config. A switch to approval first approves
 * `approveFirst`: the members the owner was shown and confirmed (read again
 * when not given), so the number they agreed to is the number written.
 */
export async function updateCommunity(
  actor: Actor,
  community: CommunityRef,
  change: ConfigChange,
  approveFirst?: string[],
): Promise<Outcome> {
  const current = await readConfig(actor, community);
  const next = applyChange(current.value, change);
  const switching = switchesToApproval(current.value, next);
  const approved = switching
    ? await approveAll(actor, community.uri, approveFirst ?? (await membersToApprove(actor, community)))
    : [];
  const written = await own<Written>(actor.session, "com.atproto.repo.putRecord", {
    doing: "saving the community",
    input: {
      repo: actor.session.did,
      collection: COLLECTIONS.config,
      rkey: community.rkey,
      record: next,
      swapRecord: current.cid,
    },
  });
  if (next.name !== current.value.name || next.description !== current.value.description) {
    await syncFeedRecord(actor, community, next);
  }
  const done =
    approved.length > 0
      ? `Saved. ${approved.length === 1 ? "1 current member was" : `${approved.length} current members were`} approved first`
      : "Saved";
  // The approvals first: indexed after the switch, a member would drop out in between.
  return finish(actor, [...approved, written.uri], done);
}

/** The feed record in the Bluesky app says what the community's config says. */
async function syncFeedRecord(actor: Actor, community: CommunityRef, config: ConfigRecord): Promise<void> {
  const feed = await getOwn<{ did?: string; createdAt?: string }>(
    actor,
    COLLECTIONS.feedGenerator,
    community.rkey,
    "reading the feed record",
  ).catch(() => null);
  await own(actor.session, "com.atproto.repo.putRecord", {
    doing: "updating the feed record",
    input: {
      repo: actor.session.did,
      collection: COLLECTIONS.feedGenerator,
      rkey: community.rkey,
      record: generatorRecord(feed?.value.did ?? actor.config.serviceDid, config, feed?.value.createdAt),
    },
  });
}
