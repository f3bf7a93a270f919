// Membership periods. Every version of every membership record is kept, so
// the periods in which a DID was a member can be rebuilt exactly, whatever
// order the versions arrived in.

export interface MembershipVersion {
  uri: string;
  time: number;
  active: number;
  deleted: number;
  joined_at: string | null;
}

/** A period of membership through one record: [start, end), end null while it lasts. */
export interface Run {
  uri: string;
  start: number;
  end: number | null;
  joinedAt: string | null;
}

/** Versions must come sorted by uri, then time. */
export function membershipRuns(versions: MembershipVersion[]): Run[] {
  const runs: Run[] = [];
  let open: Run | null = null;
  let uri: string | null = null;
  for (const v of versions) {
    if (v.uri !== uri) {
      if (open) runs.push(open);
      open = null;
      uri = v.uri;
    }
    const active = v.active === 1 && v.deleted === 0;
    if (active && !open) open = { uri: v.uri, start: v.time, end: null, joinedAt: v.joined_at };
    if (!active && open) {
      runs.push({ ...open, end: v.time });
      open = null;
    }
  }
  if (open) runs.push(open);
  return runs;
}

export function withinRuns(runs: Run[], time: number): boolean {
  return runs.some((r) => r.start <= time && (r.end === null || time < r.end));
}
