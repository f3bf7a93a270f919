/** What applying one event did. `misrouted`: the event reached a community that must not take it. */
export interface ApplyOutcome {
  status: "applied" | "deleted" | "ignored" | "rejected" | "misrouted";
  reason?: string;
}

export const applied = (reason?: string): ApplyOutcome => ({
  status: "applied",
  ...(reason ? { reason } : {}),
});
export const deleted: ApplyOutcome = { status: "deleted" };
export const ignored = (reason: string): ApplyOutcome => ({ status: "ignored", reason });
export const rejected = (reason: string): ApplyOutcome => ({ status: "rejected", reason });
