// How many upstream lookups (a post read from its author's PDS or an
// AppView, a handle verified) one request may start. Anything read from the
// cache is free; what is left over once the budget is spent is answered "not
// looked up", so one call can never fan out to more servers than its budget
// allows, however many DIDs and posts it names.

export const NOT_LOOKED_UP = "not looked up: too many at once, ask again in a moment";

export class LookupBudget {
  constructor(private remaining: number) {}

  /** Takes up to `wanted` lookups from the budget; returns how many were granted. */
  take(wanted: number): number {
    const granted = Math.max(0, Math.min(wanted, this.remaining));
    this.remaining -= granted;
    return granted;
  }

  get left(): number {
    return this.remaining;
  }
}
