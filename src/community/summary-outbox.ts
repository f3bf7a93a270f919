// What the Directory lists of this community (its CommunityView, or null when
// it is not served), and when to tell it: at once when anything besides the
// counts changed (a new name or moderator shows at once), the counts at most
// every SUMMARY_COUNTS_MS (a busy community does not make a Directory call per
// batch of posts). What the Directory last accepted is kept in meta, so a
// failed or lost call is made again on the next write or alarm.
import type { CommunityView } from "../lexicon/types/com/atrarium/community/defs.ts";
import type { MetaStore } from "./store/meta-store.ts";

export const SUMMARY_COUNTS_MS = 10_000;
/** After a failed call, try again this much later. */
export const SUMMARY_RETRY_MS = 5_000;

const TOLD = "summary_told";
const TOLD_AT = "summary_told_at";

/** The view without what changes with every post: the counts, and when the config was last seen. */
function identity(view: CommunityView | null): string {
  if (!view) return "null";
  const { memberCount, postCount, hiddenCount, rejectedActions, indexedAt, ...rest } = view;
  return JSON.stringify(rest);
}

export class SummaryOutbox {
  private told: string;
  private toldAt: number;

  constructor(private readonly meta: MetaStore) {
    // Nothing told yet reads as "not listed": a community without a config has nothing to tell.
    this.told = meta.get(TOLD) ?? "null";
    this.toldAt = Number(meta.get(TOLD_AT) ?? 0);
  }

  /** When the Directory should hear of `view`: now, at a later time (ms), or null (it knows it already). */
  due(view: CommunityView | null, now: number): number | null {
    const json = JSON.stringify(view);
    if (json === this.told) return null;
    const told = JSON.parse(this.told) as CommunityView | null;
    if (identity(view) !== identity(told)) return now;
    return Math.max(now, this.toldAt + SUMMARY_COUNTS_MS);
  }

  /** The Directory accepted `view`. */
  accepted(view: CommunityView | null, now: number): void {
    this.told = JSON.stringify(view);
    this.toldAt = now;
    this.meta.set(TOLD, this.told);
    this.meta.set(TOLD_AT, String(now));
  }
}
