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
  /** Moderation actions or their standing changed: a timed block may end at a new time. */
  moderationWritten = false;
  /** Authors the community holds posts of (a cache: indexing a post asks once per author). */
  private readonly posters = new Set<string>();
  /** Posts some moderation action names, a superset (loaded once, then kept up as actions arrive). */
  private moderated: Set<string> | null = null;

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

  /** Whether the community holds posts by `did` already (the Directory must learn of a new poster). */
  holdsPostsBy(did: string): boolean {
    if (this.posters.has(did)) return true;
    if (!this.store.posts.hasPostsBy(did)) return false;
    this.posters.add(did);
    return true;
  }

  notePoster(did: string): void {
    this.posters.add(did);
  }

  forgetPoster(did: string): void {
    this.posters.delete(did);
  }

  /** False when no moderation action names the post: then nothing can hide it, and nothing need be asked. */
  mayBeModerated(postUri: string): boolean {
    this.moderated ??= new Set(this.store.actions.countedTargets("post"));
    return this.moderated.has(postUri);
  }

  /** A moderation action names this post now (it stays in the superset). */
  noteModerated(postUri: string): void {
    this.moderated?.add(postUri);
  }

  /** Drops what is cached from storage (after a rolled-back transaction). */
  forgetCaches(): void {
    this.standing.forgetAll();
    this.posters.clear();
    this.moderated = null;
  }

  /** A record naming this community must name it exactly. */
  names(community: string): boolean {
    return community === this.address.uri;
  }
}
