// Memberships. Every version of every membership record is kept: the periods
// in which a DID was a member are rebuilt from the whole history, so a late
// or repeated event falls into place instead of overwriting.
import type { RecordEvent } from "../../firehose/events.ts";
import { atUri } from "../../records/address.ts";
import { validateMembership } from "../../records/validate.ts";
import type { CommunityState } from "../state.ts";
import { dateMicros, effectiveTime, placeSighting } from "../time.ts";
import { type ApplyOutcome, applied, deleted, ignored, rejected } from "./outcome.ts";
import { invalid } from "./post.ts";

export function applyMembership(c: CommunityState, event: RecordEvent): ApplyOutcome {
  const uri = atUri(event.did, event.collection, event.rkey);
  let active = false;
  let joinedAt: string | null = null;
  // A record edited to name another community has left this one: here, a delete.
  let gone = event.operation === "delete";
  const versions = c.store.memberships.versionsOfRecord(uri);
  if (!gone) {
    const checked = validateMembership(event.record);
    if (!checked.ok) return invalid(c, checked.reasons);
    if (!c.names(checked.value.community)) {
      if (versions.length === 0) return rejected("membership points at another community");
      gone = true;
    }
    active = !gone && checked.value.active !== false;
    joinedAt = gone ? null : checked.value.joinedAt;
  }
  const cid = gone ? null : (event.cid ?? `nocid@${event.time}`);
  const sighting = placeSighting(versions, { cid, observed: event.time });
  if (sighting.kind === "repeat") return ignored("membership unchanged");
  if (sighting.kind === "earlier") c.store.memberships.seenAgain(uri, sighting.version, event.time);
  else {
    // An active version takes effect from its joinedAt (never after it was seen); leaving
    // has no date of its own, so it takes effect when it was seen.
    const effective = active ? effectiveTime(dateMicros(joinedAt), event.time) : event.time;
    c.store.memberships.insert({
      uri,
      version: sighting.version,
      did: event.did,
      observed: event.time,
      effective,
      active: active ? 1 : 0,
      joined_at: joinedAt,
    });
  }
  c.standing.refresh(event.did);
  return gone ? deleted : applied();
}
