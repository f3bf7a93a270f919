// How a community is doing, for its owner and moderators: posts per day and
// members at the end of each day over the last 30 days, and joins, leaves,
// hidden posts and posts per week over the last 4 weeks. Posts come from the
// daily counts the index keeps (posts themselves leave after 7 days); members,
// joins and leaves from the membership history, which is kept whole; hidden
// posts from the moderation log. So a rebuild from the repos gives the same
// members, joins and leaves.
import { membershipPeriods } from "./periods.ts";
import type { CommunityState } from "./state.ts";
import { DAY_MS, dayOf } from "./store/activity-store.ts";

export const STATS_DAYS = 30;
export const STATS_WEEKS = 4;
const LOG_PAGE = 200;

export interface DayStats {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  posts: number;
  /** Members (active, not blocked) at the end of the day; today: now. */
  members: number;
}

/** Seven whole UTC days, the newest ending today. */
export interface WeekStats {
  /** First and last day, YYYY-MM-DD. */
  from: string;
  to: string;
  joins: number;
  leaves: number;
  hidden: number;
  posts: number;
}

export interface CommunityStats {
  /** Oldest first, ending today. */
  days: DayStats[];
  /** Newest first, the first ending today. */
  weeks: WeekStats[];
}

const dayString = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function stats(c: CommunityState, now = Date.now()): CommunityStats {
  const today = dayOf(now);
  const firstDay = today - Math.max(STATS_DAYS, 7 * STATS_WEEKS) + 1;
  const postsByDay = new Map(c.store.activity.postsSince(firstDay).map((r) => [r.day, r.posts]));
  // Approval is judged now (design.md: a read-time filter), so a member waiting for it is
  // counted on no day; everyone else by their standing at the end of each day.
  const dids = c.store.memberships.dids();
  const counted = dids.filter((did) => c.store.members.find(did)?.pending !== 1);

  const days: DayStats[] = [];
  for (let day = today - STATS_DAYS + 1; day <= today; day++) {
    // The last moment of the day (µs), or now for today.
    const at = Math.min((day + 1) * DAY_MS, now) * 1000 - 1;
    days.push({
      day: dayString(day),
      posts: postsByDay.get(day) ?? 0,
      members: counted.filter((did) => c.standing.admits(did, at, at)).length,
    });
  }

  const weeks: WeekStats[] = Array.from({ length: STATS_WEEKS }, (_, i) => ({
    from: dayString(today - 7 * i - 6),
    to: dayString(today - 7 * i),
    joins: 0,
    leaves: 0,
    hidden: 0,
    posts: 0,
  }));
  /** The week a time (µs) falls in, or undefined outside the last four. */
  const weekOf = (micros: number) => {
    const ago = today - dayOf(micros / 1000);
    return ago < 0 ? undefined : weeks[Math.floor(ago / 7)];
  };
  for (const did of dids) {
    for (const period of membershipPeriods(c.store.memberships.versionsOf(did))) {
      const joined = weekOf(period.start);
      if (joined) joined.joins++;
      const left = period.end === null ? undefined : weekOf(period.end);
      if (left) left.leaves++;
    }
  }
  for (const effective of countingHides(c, firstDay * DAY_MS * 1000)) {
    const week = weekOf(effective);
    if (week) week.hidden++;
  }
  for (const [day, posts] of postsByDay) {
    const week = weekOf(day * DAY_MS * 1000);
    if (week) week.posts += posts;
  }
  return { days, weeks };
}

/** Effective times (µs) of the counting hide_post actions from `since` (µs) on, from the log, newest first. */
function countingHides(c: CommunityState, since: number): number[] {
  const found: number[] = [];
  let after: { effective: number; uri: string } | undefined;
  for (;;) {
    const rows = c.store.actions.log(LOG_PAGE, after);
    for (const row of rows) {
      if (row.effective < since) return found;
      if (row.action === "hide_post" && row.status === "applied") found.push(row.effective);
    }
    const last = rows[rows.length - 1];
    if (rows.length < LOG_PAGE || !last) return found;
    after = { effective: last.effective, uri: last.uri };
  }
}
