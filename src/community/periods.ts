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
}

/** Last write wins: by effective time, then record key, then author. */
export function compareActions(a: CountingAction, b: CountingAction): number {
  return (
    a.effective - b.effective ||
    (a.rkey < b.rkey ? -1 : a.rkey > b.rkey ? 1 : 0) ||
    (a.author < b.author ? -1 : a.author > b.author ? 1 : 0)
  );
}

/** The action in force at `at` (default: now) among the counting actions on one target. */
export function actionInForce<A extends CountingAction>(
  actions: readonly A[],
  at: Micros = Number.POSITIVE_INFINITY,
): A | undefined {
  const ordered = [...actions].sort(compareActions).map((a) => ({ ...a, from: a.effective }));
  return holdingAt(ordered, at);
}

/** The spans in which block_user actions held (a block until the next unblock). */
export function blockedSpans(actions: readonly CountingAction[]): Span[] {
  const spans: Span[] = [];
  let open: Span | null = null;
  for (const a of [...actions].sort(compareActions)) {
    if (a.action === "block_user" && !open) open = { start: a.effective, end: null };
    else if (a.action === "unblock_user" && open) {
      spans.push({ ...open, end: a.effective });
      open = null;
    }
  }
  if (open) spans.push(open);
  return spans;
}
