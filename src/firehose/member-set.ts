// The DIDs whose deletes, post edits and account events stage 1 keeps: every
// DID some community knows (members, posters, moderation authors), as the
// Directory lists them, refreshed now and then. A DID seen writing a record
// stage 1 kept is added at once ("learned") and kept for a while, so its
// deletes count before the Directory has caught up.

const LEARNED_TTL_MS = 5 * 60_000;
/** After a failed refresh of a set already loaded, try again this soon. */
const RETRY_MS = 1_000;

export class MemberSet {
  private current: Set<string> = new Set();
  private readonly learned = new Map<string, number>();
  private loadedAt = 0;
  private loading: Promise<boolean> | null = null;

  /**
   * `load(after)` gives the next page of DIDs in order after `after` (an
   * empty page, or one that does not move past `after`, ends the list).
   */
  constructor(
    private readonly load: (after: string) => Promise<string[]>,
    private refreshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  configure(refreshMs: number): void {
    this.refreshMs = refreshMs;
  }

  /** The set stage 1 reads. */
  get dids(): ReadonlySet<string> {
    return this.current;
  }

  get size(): number {
    return this.current.size;
  }

  /** Whether a load has ever succeeded (stage 1 needs the set before the first frame). */
  get loaded(): boolean {
    return this.loadedAt > 0;
  }

  /** Whether a refresh is due. */
  due(): boolean {
    return this.now() - this.loadedAt >= this.refreshMs;
  }

  learn(did: string): void {
    this.current.add(did);
    this.learned.set(did, this.now());
  }

  /** Reloads from the Directory (one load at a time); resolves whether it succeeded. */
  refresh(): Promise<boolean> {
    this.loading ??= this.reload().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async reload(): Promise<boolean> {
    try {
      const members = new Set<string>();
      for (let after = ""; ; ) {
        const page = await this.load(after);
        const last = page[page.length - 1];
        for (const did of page) members.add(did);
        if (last === undefined || last <= after) break;
        after = last;
      }
      const now = this.now();
      for (const [did, at] of this.learned) {
        if (now - at > LEARNED_TTL_MS) this.learned.delete(did);
        else members.add(did);
      }
      this.current = members;
      this.loadedAt = now;
      return true;
    } catch (err) {
      // Keep the old set.
      if (this.loaded) this.loadedAt = this.now() - this.refreshMs + RETRY_MS;
      console.warn(JSON.stringify({ event: "firehose_member_refresh_failed", error: String(err) }));
      return false;
    }
  }
}
