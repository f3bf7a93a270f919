import type { Sql } from "../../storage.ts";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A UTC day, as days since the epoch. */
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

/**
 * Posts admitted to the feed per day (by effective time). Posts leave the
 * index after 7 days; these counts stay, so the manage page can show how a
 * community did over a month.
 */
export class ActivityStore {
  constructor(private readonly sql: Sql) {}

  /** One more post, admitted and carrying the hashtag, made at `sortAt` (ms). */
  countPost(sortAt: number): void {
    this.sql.run`INSERT INTO post_days (day, posts) VALUES (${dayOf(sortAt)}, 1)
      ON CONFLICT (day) DO UPDATE SET posts = posts + 1`;
  }

  /** Posts per day from `fromDay` on; days without posts are left out. */
  postsSince(fromDay: number): { day: number; posts: number }[] {
    return this.sql.all`SELECT day, posts FROM post_days WHERE day >= ${fromDay} ORDER BY day`;
  }

  /** Drops the counts of days before `day`. */
  forgetBefore(day: number): void {
    this.sql.run`DELETE FROM post_days WHERE day < ${day}`;
  }
}
