// Account status (Jetstream account events): a deactivated or deleted
// account's posts leave the feed while it stays so; nothing is removed.
import type { AccountEvent } from "../../firehose/events.ts";
import type { CommunityState } from "../state.ts";
import { type ApplyOutcome, applied, ignored } from "./outcome.ts";

export function applyAccount(c: CommunityState, event: AccountEvent): ApplyOutcome {
  if (!c.store.members.putAccount(event.did, event.active, event.time))
    return ignored("older or duplicate account event");
  if (c.store.members.find(event.did)) c.standing.refresh(event.did);
  return applied();
}
