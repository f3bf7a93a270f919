// A bounded in-isolate cache whose entries go stale instead of vanishing: a
// page shows the last good copy (and says how old it is) when the server it
// came from does not answer now.

interface Entry<V> {
  value: V;
  storedAt: number;
  freshUntil: number;
}

export interface Cached<V> {
  value: V;
  fresh: boolean;
  storedAt: number;
}

export class StaleCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: { maxEntries: number; ttlMs: number }) {
    this.maxEntries = options.maxEntries;
    this.ttlMs = options.ttlMs;
  }

  get(key: K, now = Date.now()): Cached<V> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Map order is insertion order: re-inserting keeps recently used entries last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { value: entry.value, fresh: entry.freshUntil > now, storedAt: entry.storedAt };
  }

  set(key: K, value: V, now = Date.now(), ttlMs = this.ttlMs): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: now, freshUntil: now + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Keeps an entry fresh a little longer without changing when it was stored (its age stays honest). */
  hold(key: K, ms: number, now = Date.now()): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    entry.freshUntil = now + ms;
    return true;
  }

  clear(): void {
    this.entries.clear();
  }
}
