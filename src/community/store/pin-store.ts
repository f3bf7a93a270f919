import type { Sql } from "../../storage.ts";

/** A post pinned now: the counting pin_post in force on it. */
export interface PinRow {
  uri: string;
  /** The pin_post's effective time (µs): the newest pin comes first. */
  pinned_at: number;
  rkey: string;
  pinned_by: string;
}

/** A pinned post the feed holds, with what its pin view shows. */
export interface ShownPin extends PinRow {
  sort_at: number;
  cid: string | null;
}

/** Posts a counting pin_post is in force on (whether or not the community holds the post yet). */
export class PinStore {
  constructor(private readonly sql: Sql) {}

  /** Records the pin in force on a post, or that none is. */
  set(uri: string, pin: Omit<PinRow, "uri"> | null): void {
    if (pin === null) this.sql.run`DELETE FROM pins WHERE uri = ${uri}`;
    else
      this.sql.run`INSERT OR REPLACE INTO pins (uri, pinned_at, rkey, pinned_by)
        VALUES (${uri}, ${pin.pinned_at}, ${pin.rkey}, ${pin.pinned_by})`;
  }

  /**
   * The most recently pinned posts that are otherwise in the feed (admitted,
   * tagged, not hidden, author visible), newest pin first (ties: record key,
   * then author, as last write wins orders actions).
   */
  shown(limit: number): ShownPin[] {
    return this.sql.all<ShownPin>`SELECT pin.uri, pin.pinned_at, pin.rkey, pin.pinned_by, p.sort_at, p.cid
      FROM pins pin INDEXED BY pins_order
      CROSS JOIN posts p ON p.uri = pin.uri
      CROSS JOIN members m ON m.did = p.author
      WHERE p.admitted = 1 AND p.hidden = 0 AND p.tagged = 1 AND m.visible = 1
      ORDER BY pin.pinned_at DESC, pin.rkey DESC, pin.pinned_by DESC LIMIT ${limit}`;
  }
}
