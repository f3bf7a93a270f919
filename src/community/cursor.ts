// Feed cursors are opaque to callers: base64url of "<sortAt>::<post uri>".
// The pair is unique per item, so a page boundary never splits or repeats posts
// that share a timestamp.

export interface FeedPosition {
  sortAt: number;
  uri: string;
}

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.sortAt}::${position.uri}`, "utf8").toString("base64url");
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodeCursor(cursor: string): FeedPosition | null {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^(\d{1,16})::(at:\/\/\S+)$/.exec(text);
  if (!match) return null;
  const sortAt = Number(match[1]);
  return Number.isSafeInteger(sortAt) ? { sortAt, uri: match[2] as string } : null;
}
