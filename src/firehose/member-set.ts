// The DIDs whose deletes, post edits and account events stage 1 keeps: every
// DID some community knows (members, posters, moderation authors), as the
// Directory lists them, refreshed now and then. A DID seen writing a record
// stage 1 kept is added at once ("learned") and kept for a while, so its
// deletes count before the Directory has caught up.
//
// The Directory's DIDs are kept as 32-bit fingerprints in one sorted array:
// at 10,000 communities of 100 members, a million DIDs took 66 MB as strings
// in a Set (twice that while a refresh built the next one, past a Durable
// Object's 128 MB), and take 4 MB so. Another DID shares a fingerprint with
// a known one about once in 4,000 at a million DIDs: stage 1 then keeps one
// of its events too many, which stage 2 drops; it never drops one that matters.

const LEARNED_TTL_MS = 5 * 60_000;
/** After a failed refresh of a set already loaded, try again this soon. */
const RETRY_MS = 1_000;

/** What stage 1 asks of the member set. */
export interface DidFilter {
  has(did: string): boolean;
}

/** 32 bits of FNV-1a over the DID's UTF-16 code units. */
export function fingerprint(did: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < did.length; i++) hash = Math.imul(hash ^ did.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Whether a sorted array holds a value (binary search). */
function holds(sorted: Uint32Array, value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = sorted[mid] as number;
    if (at === value) return true;
    if (at < value) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

export class MemberSet {
  /** Fingerprints of the Directory's DIDs, sorted. */
  private known = new Uint32Array(0);
  private readonly learned = new Map<string, number>();
  private loadedAt = 0;
  private loading: Promise<boolean> | null = null;
  /** The set stage 1 reads. */
  readonly dids: DidFilter = {
    has: (did) => this.learned.has(did) || holds(this.known, fingerprint(did)),
  };

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

  /** How many DIDs stage 1 keeps events of (fingerprints, and learned DIDs the Directory has not listed yet). */
  get size(): number {
    let extra = 0;
    for (const did of this.learned.keys()) if (!holds(this.known, fingerprint(did))) extra++;
    return this.known.length + extra;
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
      let loaded = new Uint32Array(1024);
      let count = 0;
      for (let after = ""; ; ) {
        const page = await this.load(after);
        const last = page[page.length - 1];
        if (count + page.length > loaded.length) {
          const grown = new Uint32Array(Math.max(loaded.length * 2, count + page.length));
          grown.set(loaded.subarray(0, count));
          loaded = grown;
        }
        for (const did of page) loaded[count++] = fingerprint(did);
        if (last === undefined || last <= after) break;
        after = last;
      }
      const sorted = loaded.slice(0, count).sort();
      // Distinct values only (a DID listed twice, or two sharing a fingerprint).
      let distinct = 0;
      for (let i = 0; i < sorted.length; i++)
        if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i] as number;
      const now = this.now();
      for (const [did, at] of this.learned) if (now - at > LEARNED_TTL_MS) this.learned.delete(did);
      this.known = sorted.slice(0, distinct);
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
