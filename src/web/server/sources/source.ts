// Where the web pages read what the index does not hold: post texts and
// authors' handles. Two sources answer the same questions: the authors' own
// PDSes (the default) and an AppView (APPVIEW_URL), which answers a page in
// one or two requests.

/** How a page asks a server: once (a page does not wait for retries), within 2 s. */
export const PAGE_FETCH = { attempts: 1, timeoutMs: 2_000 } as const;

/** A post as read from its source. */
export interface PostRecord {
  uri: string;
  cid: string;
  text?: string;
  createdAt?: string;
  /** The author's handle, when the source tells it along with the post. */
  authorHandle?: string;
  /** The record as its author wrote it (facets, embed, reply). */
  record?: unknown;
  /** An AppView's post view of it: the author's profile, the embed with its URLs, counts. */
  view?: unknown;
}

/** One answer: found, definitely absent (cacheable), or failed (the server did not answer). */
export type Lookup<T> = { found: T } | { missing: string } | { failed: string };

export interface ContentSource {
  /** One pending answer per URI (a source may share one request among several). */
  posts(uris: string[]): Map<string, Promise<Lookup<PostRecord>>>;
  /** One pending answer per DID: its verified handle. */
  handles(dids: string[]): Map<string, Promise<Lookup<string>>>;
}

/** Splits `items` into runs of at most `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What a page shows of a post record: its text and date, and the record itself (src/web/shared/post.ts reads the rest). */
export function postFields(record: unknown): { text?: string; createdAt?: string; record: unknown } {
  const value = (record ?? {}) as { text?: unknown; createdAt?: unknown };
  return {
    ...(typeof value.text === "string" ? { text: value.text } : {}),
    ...(typeof value.createdAt === "string" ? { createdAt: value.createdAt } : {}),
    record,
  };
}
