// The owner's config record over time. The latest version defines the
// community now: its name, its hashtag, and who moderates it (authority is
// judged against the config as it is now, never as it was). Older versions
// still matter for one thing: whether a post's author was on the blocklist
// when the post was made.
import type { CommunityConfig } from "../records/validate.ts";
import type { ConfigVersionRow } from "./store/config-store.ts";
import { holdingAt, type Micros, timeline } from "./time.ts";

interface ConfigEntry {
  version: string;
  from: Micros;
  record: CommunityConfig | null;
  seenAt: number;
}

export class ConfigTimeline {
  private readonly entries: ConfigEntry[];

  constructor(
    private readonly owner: string,
    rows: readonly ConfigVersionRow[],
  ) {
    // A later version takes effect from its updatedAt; one without (or a delete)
    // has no date of its own and takes effect when it was seen. Only the first
    // version may take effect from createdAt.
    const versions = timeline(rows).map((row, i) => {
      const record = row.record === null ? null : (JSON.parse(row.record) as CommunityConfig);
      const dated = i === 0 || typeof record?.updatedAt === "string";
      return { ...row, effective: dated ? row.effective : row.observed, record };
    });
    this.entries = timeline(versions).map((v) => ({
      version: v.version,
      from: v.from,
      record: v.record,
      seenAt: v.seen_at,
    }));
  }

  /** The latest version: null before any config was seen; its record is null once deleted. */
  get latest(): ConfigEntry | null {
    return this.entries[this.entries.length - 1] ?? null;
  }

  /** The config in force now, or null (none seen yet, or deleted). */
  get current(): CommunityConfig | null {
    return this.latest?.record ?? null;
  }

  get hashtag(): string | null {
    return this.current?.hashtag ?? null;
  }

  /**
   * Who becomes a member by writing a membership record, judged against the
   * config now. A value this version does not know (a newer client's) is read
   * as the stricter one, so no one is let in by surprise.
   */
  get joinPolicy(): "open" | "approval" {
    const policy = this.current?.joinPolicy;
    return policy === undefined || policy === "open" ? "open" : "approval";
  }

  /** Who gets the whole feed; an unknown value is read as the stricter one. */
  get feedVisibility(): "public" | "members" {
    const visibility = this.current?.feedVisibility;
    return visibility === undefined || visibility === "public" ? "public" : "members";
  }

  /** Who moderates now: the owner always, plus the config's moderators list. */
  moderators(): Set<string> {
    return new Set([this.owner, ...(this.current?.moderators ?? [])]);
  }

  /** Whether an action by `author` counts, judged against the config now. */
  judge(author: string): "applied" | "rejected" | "pending" {
    if (!this.latest) return "pending";
    if (!this.current) return "rejected";
    return this.moderators().has(author) ? "applied" : "rejected";
  }

  /** Whether `did` was on the blocklist of the config in force at `at`. */
  blocklistedAt(did: string, at: Micros): boolean {
    return holdingAt(this.entries, at)?.record?.blocklist?.includes(did) ?? false;
  }

  blocklistedNow(did: string): boolean {
    return this.current?.blocklist?.includes(did) ?? false;
  }

  /** Every DID any version ever blocklisted: whose admission a config change may alter. */
  everBlocklisted(): Set<string> {
    return new Set(this.entries.flatMap((e) => e.record?.blocklist ?? []));
  }
}
