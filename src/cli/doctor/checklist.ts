// What the doctor reports: a list of checks, each passed (✓), failed (✗,
// with what to do) or unknown (?: could not be told from outside, e.g.
// without the admin password), plus a few numbers that are not pass or fail.

export type CheckStatus = "ok" | "fail" | "unknown";

export interface Check {
  /** Stable name for scripts, e.g. "did-document" or "feed-record". */
  id: string;
  status: CheckStatus;
  /** One line: what was checked and what was found. */
  title: string;
  /** More lines (e.g. each configuration problem). */
  details?: string[];
  /** What to do about a ✗ or ?. */
  fix?: string;
  /** How long the check's request took, when that is the point (getFeedSkeleton). */
  ms?: number;
  /** The feed a per-feed check is about. */
  feed?: string;
}

/** The doctor's whole answer, as --json prints it. */
export interface Report {
  service: string;
  serviceDid?: string;
  ok: boolean;
  checks: Check[];
  /** Operator numbers read along the way (with the admin password). */
  numbers: string[];
}

export const ok = (id: string, title: string, extra: Partial<Check> = {}): Check => ({
  id,
  status: "ok",
  title,
  ...extra,
});
export const fail = (id: string, title: string, fix: string, extra: Partial<Check> = {}): Check => ({
  id,
  status: "fail",
  title,
  fix,
  ...extra,
});
export const unknown = (id: string, title: string, fix?: string): Check => ({
  id,
  status: "unknown",
  title,
  ...(fix ? { fix } : {}),
});

const MARK: Record<CheckStatus, string> = { ok: "✓", fail: "✗", unknown: "?" };

/** The checklist as people read it. */
export function renderReport(report: Report): string[] {
  const lines = [`Atrarium at ${report.service}${report.serviceDid ? ` (${report.serviceDid})` : ""}`];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${check.title}`);
    for (const detail of check.details ?? []) lines.push(`    ${detail}`);
    if (check.fix && check.status !== "ok") lines.push(`    → ${check.fix}`);
  }
  if (report.numbers.length > 0) lines.push("Numbers:", ...report.numbers.map((n) => `  ${n}`));
  const failed = report.checks.filter((c) => c.status === "fail").length;
  const unsure = report.checks.filter((c) => c.status === "unknown").length;
  lines.push(
    failed > 0
      ? `${failed} of ${report.checks.length} checks failed.`
      : `All ${report.checks.length - unsure} checks passed${unsure > 0 ? `, ${unsure} unknown` : ""}.`,
  );
  return lines;
}
