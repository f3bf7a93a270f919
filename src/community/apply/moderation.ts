// Moderation actions. Every action naming the community is kept in the log;
// it counts while its author moderates the community now (the owner, or a
// DID in the current config's moderators list). Between counting actions of
// one family on one target (hide, pin, block, approval) the last write wins,
// by effective time, then record key, then author; since effective time is
// never later than when an action was seen, an action dated into the future
// cannot outrank the ones that follow it.
import type { RecordEvent } from "../../firehose/events.ts";
import { atUri } from "../../records/address.ts";
import { validateModerationAction } from "../../records/validate.ts";
import { actionInForce, ofFamily } from "../periods.ts";
import type { CommunityState } from "../state.ts";
import type { ActionRow, TargetKind } from "../store/action-store.ts";
import { dateMicros, effectiveTime } from "../time.ts";
import { type ApplyOutcome, applied, deleted, ignored, rejected } from "./outcome.ts";
import { hides, invalid } from "./post.ts";

/** Re-derives what a target's moderation decides: a post's hidden flag and pin, or a DID's standing. */
export function refreshTarget(c: CommunityState, kind: TargetKind | "", target: string): void {
  if (kind === "post") {
    c.noteModerated(target);
    const actions = c.store.actions.countingOn("post", target);
    c.store.posts.setHidden(target, hides(actions));
    const pin = actionInForce(ofFamily(actions, "pin"));
    c.store.pins.set(
      target,
      pin?.action === "pin_post" ? { pinned_at: pin.effective, rkey: pin.rkey, pinned_by: pin.author } : null,
    );
  } else if (kind === "user") c.standing.refresh(target);
}

function applyDelete(c: CommunityState, event: RecordEvent, existing: ActionRow | undefined): ApplyOutcome {
  if (existing && existing.observed >= event.time) return ignored("older or duplicate event");
  const uri = atUri(event.did, event.collection, event.rkey);
  noteAuthor(c, event.did, existing);
  // Keep the row as a tombstone, so that a late create of this record cannot apply.
  c.store.actions.put({
    ...(existing ?? {
      uri,
      author: event.did,
      rkey: event.rkey,
      cid: null,
      effective: event.time,
      action: "",
      target_kind: "",
      target: "",
      target_cid: null,
      reason: null,
      expires: null,
      created_at: "",
      indexed_at: Date.now(),
      status: "deleted",
    }),
    observed: event.time,
    deleted: 1,
  });
  if (existing && !existing.deleted) refreshTarget(c, existing.target_kind, existing.target);
  return deleted;
}

/** The Directory learns that this community keeps actions by `author` (their deletes must reach it). */
function noteAuthor(c: CommunityState, author: string, existing: ActionRow | undefined): void {
  if (!existing && !c.store.actions.hasBy(author)) c.store.meta.tellDirectory(author, "actor", true);
}

export function applyModerationAction(c: CommunityState, event: RecordEvent): ApplyOutcome {
  const uri = atUri(event.did, event.collection, event.rkey);
  const existing = c.store.actions.find(uri);
  if (event.operation === "delete") return applyDelete(c, event, existing);
  if (existing) {
    if (existing.deleted && existing.observed >= event.time) return ignored("action was deleted");
    if (!existing.deleted && event.cid !== undefined && existing.cid === event.cid) {
      if (event.time >= existing.observed) return ignored("action unchanged");
      c.store.actions.seenAgain(existing.uri, event.time);
      refreshTarget(c, existing.target_kind, existing.target);
      return ignored("action unchanged");
    }
    if (existing.observed > event.time) return ignored("older version");
  }
  const checked = validateModerationAction(event.record);
  if (!checked.ok) return invalid(c, checked.reasons);
  const action = checked.value;
  if (!c.names(action.community))
    // Edited to name another community: withdrawn here, like a delete.
    return existing && !existing.deleted
      ? applyDelete(c, event, existing)
      : rejected("action is for another community");
  const postTarget = "uri" in action.target ? (action.target as { uri: string; cid: string }) : null;
  const targetKind: TargetKind = postTarget ? "post" : "user";
  const target = postTarget ? postTarget.uri : (action.target as { did: string }).did;
  const status = c.config.judge(event.did);
  noteAuthor(c, event.did, existing);
  c.moderationWritten = true;
  c.store.actions.put({
    uri,
    author: event.did,
    rkey: event.rkey,
    cid: event.cid ?? null,
    observed: event.time,
    effective: effectiveTime(dateMicros(action.createdAt), event.time),
    action: action.action,
    target_kind: targetKind,
    target,
    target_cid: postTarget?.cid ?? null,
    reason: action.reason ?? null,
    expires: dateMicros(action.expiresAt),
    created_at: action.createdAt,
    indexed_at: Date.now(),
    status,
    deleted: 0,
  });
  if (existing && !existing.deleted && (existing.target_kind !== targetKind || existing.target !== target))
    refreshTarget(c, existing.target_kind, existing.target);
  refreshTarget(c, targetKind, target);
  if (status === "rejected") {
    console.warn(JSON.stringify({ event: "moderation_rejected", uri, author: event.did }));
    return rejected(`${event.did} is not a moderator of this community`);
  }
  return applied(status === "pending" ? "waiting for the community config" : undefined);
}
