// Where each DID stands: member or not, blocked or not, approved or not, now
// and at any past moment. A post is admitted when, both at its effective time
// and at its observed time, its author had an active membership and was not
// blocked (by the config's blocklist in force then, or by a counting
// block_user in force then); so unblocking never lets in posts made while
// blocked, and a back-dated createdAt cannot slip in a post written while
// blocked or away. Who is shown now (the `members` row) adds the current
// standing: a member who left, is blocked now or waits for approval drops out
// at read time.
import type { ConfigTimeline } from "./config-timeline.ts";
import {
  actionInForce,
  blockedSpans,
  covers,
  type MembershipPeriod,
  membershipPeriods,
  ofFamily,
  type Span,
} from "./periods.ts";
import type { CommunityStore } from "./store/index.ts";
import type { Micros } from "./time.ts";

interface DidStanding {
  /** Whether any membership record of the DID has named the community. */
  hasHistory: boolean;
  periods: MembershipPeriod[];
  blocked: Span[];
  /** A counting approve_member is in force (last write wins against unapprove_member). */
  approved: boolean;
}

const CACHE_LIMIT = 10_000;

const nowMicros = (): Micros => Date.now() * 1000;

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
      blocked: blockedSpans(ofFamily(userActions, "block")),
      approved: actionInForce(ofFamily(userActions, "approval"))?.action === "approve_member",
    };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(did, standing);
    return standing;
  }

  /** A member, and not blocked, at `at`. */
  private inGoodStanding(did: string, at: Micros): boolean {
    const s = this.of(did);
    return covers(s.periods, at) && !this.config().blocklistedAt(did, at) && !covers(s.blocked, at);
  }

  /**
   * Whether a post by `did` belongs in the feed (hashtag, hiding and approval
   * aside): its author stood well both when it says it was made and when it was seen.
   */
  admits(did: string, effective: Micros, observed: Micros): boolean {
    return this.inGoodStanding(did, effective) && this.inGoodStanding(did, observed);
  }

  blockedNow(did: string): boolean {
    return this.config().blocklistedNow(did) || covers(this.of(did).blocked, nowMicros());
  }

  /** A counting approve_member for `did` is in force now (whatever the join policy). */
  approvedNow(did: string): boolean {
    return this.of(did).approved;
  }

  /** Under joinPolicy approval, everyone but the owner and the moderators needs an approval in force. */
  needsApproval(did: string): boolean {
    const config = this.config();
    return config.joinPolicy === "approval" && !config.moderators().has(did) && !this.approvedNow(did);
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
    this.refreshMember(did);
    for (const post of this.store.posts.byAuthor(did)) {
      const admitted = this.admits(did, post.effective, post.observed);
      if (admitted !== (post.admitted === 1)) this.store.posts.setAdmitted(post.uri, admitted);
    }
  }

  /**
   * Recomputes one DID's member row only: what changes with time or with the
   * config now (a block's end, the join policy, the moderators), never a post's admission.
   */
  refreshMember(did: string): void {
    this.cache.delete(did);
    const s = this.of(did);
    const previous = this.store.members.find(did);
    const hasRecord = this.store.memberships.recordsOf(did).length > 0;
    if (!s.hasHistory) {
      if (previous) this.store.members.remove(did);
    } else {
      const current = s.periods.find((p) => p.end === null);
      const blocked = this.blockedNow(did);
      const pending = current !== undefined && !blocked && this.needsApproval(did);
      const accountActive = this.store.members.accountActive(did);
      this.store.members.put({
        did,
        membership_uri: current?.uri ?? null,
        joined_at: current?.joinedAt ?? null,
        has_record: hasRecord ? 1 : 0,
        active: current ? 1 : 0,
        blocked: blocked ? 1 : 0,
        account_active: accountActive ? 1 : 0,
        pending: pending ? 1 : 0,
        visible: current && !blocked && !pending && accountActive ? 1 : 0,
      });
    }
    if ((previous?.has_record === 1) !== hasRecord) this.store.meta.tellDirectory(did, "member", hasRecord);
  }
}
