// Paging, written once. Cursors are opaque to callers and unique per item, so a page boundary
// never splits or repeats items that share a sort key.
//   position cursors: base64url of "<sortAt>::<at-uri>" (feeds, community lists)
//   pin cursors:      base64url of "pins::<n>": a feed page that held only pinned posts,
//                     the next one starts after the first n of them
//   keyset cursors:   base64url of a JSON pair of strings (members, moderation log)

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

export function encodePinCursor(served: number): string {
  return Buffer.from(`pins::${served}`, "utf8").toString("base64url");
}

/** How many pinned posts a pin cursor says were served, or null when it is not a pin cursor. */
export function decodePinCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(cursor)) return null;
  const match = /^pins::(\d{1,2})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : null;
}

export function encodeKeyset(a: string, b: string): string {
  return Buffer.from(JSON.stringify([a, b]), "utf8").toString("base64url");
}

/** The pair a keyset cursor holds, or null when it is not one of ours. */
export function decodeKeyset(cursor: string): [string, string] | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "string")) {
      return [value[0] as string, value[1] as string];
    }
  } catch {
    // fall through: not one of our cursors
  }
  return null;
}

/** One page from `limit + 1` rows: the first `limit`, and a cursor after the last when more follow. */
export function page<R>(
  rows: readonly R[],
  limit: number,
  toCursor: (last: R) => string,
): { items: R[]; cursor?: string } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last !== undefined ? { items, cursor: toCursor(last) } : { items };
}
