// Where each DID stands: member or not, blocked or not, now and at any past
// moment. A post is admitted when, at its effective time, its author had an
// active membership and was not blocked (by the config's blocklist in force
// then, or by a counting block_user in force then); so unblocking never lets
// in posts made while blocked. Who is shown now (the `members` row) adds the
// current standing: a member who left or is blocked now drops out at read time.
import type { ConfigTimeline } from "./config-timeline.ts";
import {
  actionInForce,
  blockedSpans,
  type CountingAction,
  covers,
  type MembershipPeriod,
  membershipPeriods,
  type Span,
} from "./periods.ts";
import type { CommunityStore } from "./store/index.ts";
import type { Micros } from "./time.ts";

interface DidStanding {
  /** Whether any membership record of the DID has named the community. */
  hasHistory: boolean;
  periods: MembershipPeriod[];
  userActions: CountingAction[];
  blocked: Span[];
}

const CACHE_LIMIT = 10_000;

export class Standing {
  /** Per DID, cached: indexing a post needs its author's standing; refresh() drops the entry. */
  private readonly cache = new Map<string, DidStanding>();

  constructor(
    private readonly store: CommunityStore,
    private readonly config: () => ConfigTimeline,
  ) {}

  private of(did: string): DidStanding {
    const cached = this.cache.get(did);
    if (cached) return cached;
    const userActions = this.store.actions.countingOn("user", did);
    const versions = this.store.memberships.versionsOf(did);
    const standing = {
      hasHistory: versions.length > 0,
      periods: membershipPeriods(versions),
      userActions,
      blocked: blockedSpans(userActions),
    };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(did, standing);
    return standing;
  }

  /** Whether a post by `did` with this effective time belongs in the feed (hashtag and hiding aside). */
  admits(did: string, at: Micros): boolean {
    const s = this.of(did);
    return covers(s.periods, at) && !this.config().blocklistedAt(did, at) && !covers(s.blocked, at);
  }

  blockedNow(did: string): boolean {
    return (
      this.config().blocklistedNow(did) || actionInForce(this.of(did).userActions)?.action === "block_user"
    );
  }

  /** Forgets cached standings (after a rolled-back transaction, or a config change). */
  forgetAll(): void {
    this.cache.clear();
  }

  /**
   * Recomputes one DID's standing: its member row (and what the Directory
   * must learn of it) and the admission of each of its posts.
   */
  refresh(did: string): void {
    this.cache.delete(did);
    const s = this.of(did);
    const previous = this.store.members.find(did);
    const hasRecord = this.store.memberships.recordsOf(did).length > 0;
    if (!s.hasHistory) {
      if (previous) this.store.members.remove(did);
    } else {
      const current = s.periods.find((p) => p.end === null);
      const blocked = this.blockedNow(did);
      const accountActive = this.store.members.accountActive(did);
      this.store.members.put({
        did,
        membership_uri: current?.uri ?? null,
        joined_at: current?.joinedAt ?? null,
        has_record: hasRecord ? 1 : 0,
        active: current ? 1 : 0,
        blocked: blocked ? 1 : 0,
        account_active: accountActive ? 1 : 0,
        visible: current && !blocked && accountActive ? 1 : 0,
      });
    }
    if ((previous?.has_record === 1) !== hasRecord) this.store.meta.tellDirectory(did, "member", hasRecord);
    for (const post of this.store.posts.byAuthor(did)) {
      const admitted = this.admits(did, post.effective);
      if (admitted !== (post.admitted === 1)) this.store.posts.setAdmitted(post.uri, admitted);
    }
  }
}
