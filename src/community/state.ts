import type { CommunityAddress } from "../records/address.ts";
import { ConfigTimeline } from "./config-timeline.ts";
import { Standing } from "./standing.ts";
import type { CommunityStore } from "./store/index.ts";

/** What every apply module works on: the community's address, its store, its config and the standing of DIDs. */
export class CommunityState {
  readonly standing: Standing;
  private timeline: ConfigTimeline;
  private refusalReason: string | null;
  /** Posts were written since the retention alarm was last checked. */
  postsWritten = false;

  constructor(
    readonly address: CommunityAddress,
    readonly store: CommunityStore,
  ) {
    this.timeline = new ConfigTimeline(address.owner, store.config.versions());
    this.standing = new Standing(store, () => this.timeline);
    this.refusalReason = store.meta.get("refused") ?? null;
  }

  /** Why this community's config does not hold its hashtag (another observed it first), or null. */
  get refusal(): string | null {
    return this.refusalReason;
  }

  setRefusal(reason: string | null): void {
    if (reason === this.refusalReason) return;
    if (reason === null) this.store.meta.delete("refused");
    else this.store.meta.set("refused", reason);
    this.refusalReason = reason;
  }

  get config(): ConfigTimeline {
    return this.timeline;
  }

  /** Re-reads the config versions; returns the timeline that was in force before. */
  reloadConfig(): ConfigTimeline {
    const previous = this.timeline;
    this.timeline = new ConfigTimeline(this.address.owner, this.store.config.versions());
    this.standing.forgetAll();
    return previous;
  }

  /** A record naming this community must name it exactly. */
  names(community: string): boolean {
    return community === this.address.uri;
  }
}
