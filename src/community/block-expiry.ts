// Timed blocks end by themselves. Whether a post was made inside a block is
// fixed by the block's span, but who is shown now is a stored flag (the
// member row's `visible`, which the feed reads): when a timed block ends, the
// member's row must be recomputed, so the object wakes at the next end.
import type { CommunityState } from "./state.ts";

const CHECKED = "blocks_checked_until";

/** Recomputes the member rows of DIDs whose timed block ended since the last call, up to `nowMs`. */
export function endTimedBlocks(c: CommunityState, nowMs = Date.now()): void {
  const upTo = nowMs * 1000;
  const checked = Number(c.store.meta.get(CHECKED) ?? "0");
  for (const did of c.store.actions.blocksEnding(checked, upTo)) c.standing.refreshMember(did);
  c.store.meta.set(CHECKED, String(upTo));
}

/** When (ms) the next counting timed block ends, or null: the moment to wake for it. */
export function nextBlockEnd(c: CommunityState, nowMs = Date.now()): number | null {
  const next = c.store.actions.nextBlockEnd(nowMs * 1000);
  return next === null ? null : Math.ceil(next / 1000);
}
