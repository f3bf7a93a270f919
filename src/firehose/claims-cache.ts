// Which community holds each hashtag, as the Directory last said, kept in
// the consumer's isolate so that a batch asks only for hashtags it has not
// seen. Every answer carries the Directory's claims version, which changes
// with any claim, takeover, release or deleted config: an answer with another
// version than the cache's empties it, so a cached holder (or a cached "no
// holder") is never used after the claims changed. Routing is never wrong
// for longer than any other lookup: a claim that changes while a batch is
// routed is caught where it always was (parking re-checks, a community that
// lost its hashtag refuses the events).

/** Entries kept at most; past it the cache starts over. */
const MAX_ENTRIES = 100_000;

export class ClaimsCache {
  private version = "";
  /** Hashtag → the holding community, or null when none holds it. */
  private readonly holders = new Map<string, string | null>();

  /** The version the cached entries belong to ("" before any answer). */
  get claimsVersion(): string {
    return this.version;
  }

  /** The hashtags the cache cannot answer. */
  missing(hashtags: readonly string[]): string[] {
    return hashtags.filter((h) => !this.holders.has(h));
  }

  /** Takes an answer about `asked` at `version`; false when that version emptied the cache. */
  learn(version: string, asked: readonly string[], owners: Record<string, string>): boolean {
    const kept = version === this.version;
    if (!kept || this.holders.size + asked.length > MAX_ENTRIES) {
      this.holders.clear();
      this.version = version;
    }
    for (const hashtag of asked) this.holders.set(hashtag, owners[hashtag] ?? null);
    return kept;
  }

  /** The holders of these hashtags (those without one left out), from the cache. */
  owners(hashtags: readonly string[]): Record<string, string> {
    const found: Record<string, string> = {};
    for (const hashtag of hashtags) {
      const holder = this.holders.get(hashtag);
      if (holder) found[hashtag] = holder;
    }
    return found;
  }
}
