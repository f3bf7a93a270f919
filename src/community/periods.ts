// Spans of time, rebuilt from records whatever order they arrived in: the
// periods in which a DID was a member, the moderation action in force on a
// target, and the spans in which a DID was blocked. Pure functions over rows
// the store hands over.
import { holdingAt, type Micros, timeline, type Version } from "./time.ts";

/** [start, end): end is null while the span lasts. */
export interface Span {
  start: Micros;
  end: Micros | null;
}

export const covers = (spans: readonly Span[], at: Micros): boolean =>
  spans.some((s) => s.start <= at && (s.end === null || at < s.end));

export interface MembershipVersion extends Version {
  uri: string;
  /** This version is an active membership (not `active: false`, not a delete). */
  active: number;
  joined_at: string | null;
}

/** A span of membership through one membership record. */
export interface MembershipPeriod extends Span {
  uri: string;
  joinedAt: string | null;
}

/** Every period of membership, from all versions of all of one DID's membership records. */
export function membershipPeriods(versions: readonly MembershipVersion[]): MembershipPeriod[] {
  const byRecord = new Map<string, MembershipVersion[]>();
  for (const v of versions) byRecord.set(v.uri, [...(byRecord.get(v.uri) ?? []), v]);
  const periods: MembershipPeriod[] = [];
  for (const [uri, list] of byRecord) {
    let open: MembershipPeriod | null = null;
    for (const v of timeline(list)) {
      if (v.active === 1 && !open) open = { uri, start: v.from, end: null, joinedAt: v.joined_at };
      else if (v.active !== 1 && open) {
        periods.push({ ...open, end: v.from });
        open = null;
      }
    }
    if (open) periods.push(open);
  }
  return periods.sort((a, b) => a.start - b.start);
}

/** A moderation action that counts, as the store lists them. */
export interface CountingAction {
  action: string;
  effective: Micros;
  rkey: string;
  author: string;
  /** When a timed block_user ends (µs), else null. */
  expires: Micros | null;
}

/**
 * The questions moderation answers about a target, each decided by its own
 * pair of actions: last write wins within a family, never across (an
 * approval does not lift a block, a pin does not unhide).
 */
export const FAMILIES = {
  hide: ["hide_post", "unhide_post"],
  pin: ["pin_post", "unpin_post"],
  block: ["block_user", "unblock_user"],
  approval: ["approve_member", "unapprove_member"],
} as const;
export type Family = keyof typeof FAMILIES;

/** The actions of one family, in the order given. */
export function ofFamily<A extends CountingAction>(actions: readonly A[], family: Family): A[] {
  const names: readonly string[] = FAMILIES[family];
  return actions.filter((a) => names.includes(a.action));
}

/** Last write wins: by effective time, then record key, then author. */
export function compareActions(a: CountingAction, b: CountingAction): number {
  return (
    a.effective - b.effective ||
    (a.rkey < b.rkey ? -1 : a.rkey > b.rkey ? 1 : 0) ||
    (a.author < b.author ? -1 : a.author > b.author ? 1 : 0)
  );
}

/** The action in force at `at` (default: now) among the counting actions of one family on one target. */
export function actionInForce<A extends CountingAction>(
  actions: readonly A[],
  at: Micros = Number.POSITIVE_INFINITY,
): A | undefined {
  const ordered = [...actions].sort(compareActions).map((a) => ({ ...a, from: a.effective }));
  return holdingAt(ordered, at);
}

/**
 * The spans in which a block held: each block_user from its effective time
 * until the next block-family action, or until its expiresAt when that comes
 * first (a timed block ends by itself; the member is back at expiresAt).
 */
export function blockedSpans(actions: readonly CountingAction[]): Span[] {
  const ordered = [...actions].sort(compareActions);
  const spans: Span[] = [];
  ordered.forEach((a, i) => {
    if (a.action !== "block_user") return;
    const next = ordered[i + 1]?.effective ?? null;
    const ends = [next, a.expires].filter((t): t is Micros => t !== null);
    const end = ends.length > 0 ? Math.min(...ends) : null;
    if (end === null || end > a.effective) spans.push({ start: a.effective, end });
  });
  return spans;
}
