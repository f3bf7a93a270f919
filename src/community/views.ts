// What the community index answers: the feed, the community, its members,
// one DID's membership, the moderation log and the moderation state. Reads
// only; view shapes are the generated lexicon types.
import type { CommunityCounts } from "../lexicon/types/com/atrarium/admin/getMetrics.ts";
import type {
  ActionView,
  CommunityView,
  JoinRequestView,
  MemberView,
  PinView,
} from "../lexicon/types/com/atrarium/community/defs.ts";
import { decodeKeyset, encodeKeyset, page } from "../paging.ts";
import { atUri, COLLECTIONS, feedForCommunity } from "../records/address.ts";
import { hiddenNow } from "./apply/post.ts";
import { type FeedAudience, type FeedPage, MAX_PINS, feedPage as pageOf } from "./feed-page.ts";
import { FAMILIES } from "./periods.ts";
import type { CommunityState } from "./state.ts";
import type { ActionRow } from "./store/action-store.ts";
import { microsToDatetime } from "./time.ts";

export type { FeedAudience, FeedPage } from "./feed-page.ts";

export type CommunityStatus = "active" | "refused" | "deleted" | "unknown";
export type Paged<T> = T | { error: string };

export interface Counters {
  memberCount: number;
  postCount: number;
  hiddenCount: number;
  rejectedActions: number;
  invalidRecords: number;
}

export function status(c: CommunityState | null): CommunityStatus {
  if (!c?.config.latest) return "unknown";
  if (!c.config.current) return "deleted";
  return c.refusal !== null ? "refused" : "active";
}

/** One page of the feed for this audience; an unknown or refused community has no feed. */
export function feedPage(
  c: CommunityState | null,
  limit: number,
  cursor: string | undefined,
  audience: FeedAudience,
): FeedPage {
  if (!c || status(c) !== "active") {
    const why = c?.refusal ? `: ${c.refusal}` : "";
    return { ok: false, error: "UnknownFeed", message: `Unknown feed${why}` };
  }
  return pageOf(c, limit, cursor, audience);
}

/** The counts kept as the index changes (store/kept-counts.ts): one row read, whatever the size. */
export function counters(c: CommunityState): Counters {
  const kept = c.store.counts.get();
  return {
    memberCount: kept.members,
    postCount: kept.shownPosts,
    hiddenCount: kept.shownHiddenPosts,
    rejectedActions: kept.rejectedActions,
    invalidRecords: c.store.meta.count("invalid_records"),
  };
}

/** What an operator watches per community (getMetrics): the posts of the 7-day window and the moderation log. */
export type OperatorCounts = Omit<CommunityCounts, "uri" | "$type">;

export function operatorCounts(c: CommunityState): OperatorCounts | null {
  const record = c.config.latest?.record;
  if (!record) return null;
  const kept = c.store.counts.get();
  return {
    name: record.name,
    hashtag: record.hashtag,
    members: kept.members,
    postsAdmitted: kept.admittedPosts,
    postsRefused: kept.refusedPosts,
    postsHidden: kept.hiddenPosts,
    actionsRejected: kept.rejectedActions,
    invalidRecords: c.store.meta.count("invalid_records"),
  };
}

export function roleOf(c: CommunityState, did: string): "owner" | "moderator" | "member" {
  if (did === c.address.owner) return "owner";
  return c.config.moderators().has(did) ? "moderator" : "member";
}

export function isModerator(c: CommunityState | null, did: string): boolean {
  return c !== null && status(c) === "active" && c.config.moderators().has(did);
}

/** Whether `did` is a visible member now (counted, posts shown): who gets a members-only feed. */
export function isVisibleMember(c: CommunityState | null, did: string): boolean {
  return c !== null && status(c) === "active" && c.store.members.find(did)?.visible === 1;
}

/** The pins the first page shows, most recently pinned first (at most 3). */
export function pinnedPosts(c: CommunityState): PinView[] {
  return c.store.pins.shown(MAX_PINS).map((p) => ({
    uri: p.uri,
    ...(p.cid && !p.cid.startsWith("nocid") ? { cid: p.cid } : {}),
    pinnedBy: p.pinned_by,
    pinnedAt: microsToDatetime(p.pinned_at),
  }));
}

export function communityView(c: CommunityState | null): CommunityView | null {
  const latest = c?.config.latest;
  const record = latest?.record;
  if (!c || !latest || !record || status(c) !== "active") return null;
  const { memberCount, postCount, hiddenCount, rejectedActions } = counters(c);
  return {
    uri: c.address.uri,
    cid: latest.version.startsWith("nocid@") ? "" : latest.version,
    owner: c.address.owner,
    name: record.name,
    ...(record.description !== undefined ? { description: record.description } : {}),
    hashtag: record.hashtag,
    stage: record.stage,
    moderators: [...c.config.moderators()],
    feed: feedForCommunity(c.address.uri) as string,
    memberCount,
    postCount,
    hiddenCount,
    rejectedActions,
    ...(record.parentCommunity ? { parentCommunity: record.parentCommunity } : {}),
    ...(record.feedMix
      ? { feedMix: { own: record.feedMix.own, parent: record.feedMix.parent, global: record.feedMix.global } }
      : {}),
    joinPolicy: c.config.joinPolicy,
    feedVisibility: c.config.feedVisibility,
    ...(record.rules ? { rules: record.rules } : {}),
    pinnedPosts: pinnedPosts(c),
    createdAt: record.createdAt,
    indexedAt: microsToDatetime(latest.seenAt * 1000),
  };
}

export function members(
  c: CommunityState,
  limit: number,
  cursor?: string,
): Paged<{ members: MemberView[]; cursor?: string }> {
  const after = cursor === undefined ? undefined : decodeKeyset(cursor);
  if (after === null) return { error: "Malformed cursor" };
  const rows = c.store.members.list(limit + 1, after);
  const { items, cursor: next } = page(rows, limit, (r) => encodeKeyset(r.joined_at ?? "", r.did));
  return {
    members: items.map((r) => ({
      did: r.did,
      role: roleOf(c, r.did),
      joinedAt: r.joined_at ?? "",
      ...(r.membership_uri ? { uri: r.membership_uri } : {}),
    })),
    ...(next ? { cursor: next } : {}),
  };
}

export type MembershipStatus = "member" | "pending" | "invited" | "blocked" | "left" | "none";

export function membership(
  c: CommunityState,
  did: string,
): { status: MembershipStatus; role?: string; uri?: string } {
  const row = c.store.members.find(did);
  const versions = c.store.memberships.versionsOf(did);
  const latestUri = [...versions].sort((a, b) => b.observed - a.observed)[0]?.uri;
  const uri = row?.membership_uri ?? latestUri;
  const withUri = uri ? { uri } : {};
  if (c.standing.blockedNow(did)) return { status: "blocked", ...withUri };
  if (row?.active && row.pending) return { status: "pending", ...withUri };
  if (row?.active) return { status: "member", role: roleOf(c, did), ...withUri };
  // An approval written before the person joins is an invitation.
  if (c.standing.approvedNow(did)) return { status: "invited", ...withUri };
  if (latestUri) return { status: "left", ...withUri };
  return { status: "none" };
}

/** Members waiting for approval, oldest first, with how many of their posts are held. */
export function joinRequests(
  c: CommunityState,
  limit: number,
  cursor?: string,
): Paged<{ requests: JoinRequestView[]; cursor?: string }> {
  const after = cursor === undefined ? undefined : decodeKeyset(cursor);
  if (after === null) return { error: "Malformed cursor" };
  const rows = c.store.members.pending(limit + 1, after);
  const { items, cursor: next } = page(rows, limit, (r) => encodeKeyset(r.joined_at ?? "", r.did));
  return {
    requests: items.map((r) => ({
      did: r.did,
      joinedAt: r.joined_at ?? "",
      membership: r.membership_uri ?? "",
      heldPosts: c.store.posts.heldCount(r.did),
    })),
    ...(next ? { cursor: next } : {}),
  };
}

export function actionLog(
  c: CommunityState,
  limit: number,
  cursor?: string,
): Paged<{ actions: ActionView[]; cursor?: string }> {
  const keyset = cursor === undefined ? undefined : decodeKeyset(cursor);
  if (keyset === null || (keyset && !Number.isSafeInteger(Number(keyset[0]))))
    return { error: "Malformed cursor" };
  const after = keyset ? { effective: Number(keyset[0]), uri: keyset[1] } : undefined;
  const rows = c.store.actions.log(limit + 1, after);
  const { items, cursor: next } = page(rows, limit, (r) => encodeKeyset(String(r.effective), r.uri));
  return {
    actions: items.map((r) => ({
      uri: r.uri,
      cid: r.cid ?? "",
      author: r.author,
      action: r.action,
      target:
        r.target_kind === "post"
          ? { $type: `${COLLECTIONS.action}#postTarget`, uri: r.target, cid: r.target_cid ?? "" }
          : { $type: `${COLLECTIONS.action}#userTarget`, did: r.target },
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.expires !== null ? { expiresAt: microsToDatetime(r.expires) } : {}),
      createdAt: r.created_at,
      indexedAt: microsToDatetime(r.indexed_at * 1000),
      status: r.status,
      ...undoneBy(c, r),
    })),
    ...(next ? { cursor: next } : {}),
  };
}

/** What undoes each action that can be undone: the second of its family's pair. */
const UNDOING: Record<string, string> = Object.fromEntries(Object.values(FAMILIES));

/**
 * The counting action that undid a counting one: the first action after it
 * (last write wins order) on the same target that does the opposite.
 */
function undoneBy(c: CommunityState, row: ActionRow): Pick<ActionView, "undoneBy"> {
  const opposite = UNDOING[row.action];
  if (!opposite || row.status !== "applied" || !row.target_kind) return {};
  const counting = c.store.actions.countingOn(row.target_kind, row.target);
  const at = counting.findIndex((a) => a.rkey === row.rkey && a.author === row.author);
  const undo = at < 0 ? undefined : counting.slice(at + 1).find((a) => a.action === opposite);
  const found = undo && c.store.actions.find(atUri(undo.author, COLLECTIONS.action, undo.rkey));
  if (!found) return {};
  return {
    undoneBy: { uri: found.uri, author: found.author, action: found.action, createdAt: found.created_at },
  };
}

/** What moderation decides now: the posts hidden and the DIDs blocked. */
export function moderationState(c: CommunityState): { hiddenPosts: string[]; blockedDids: string[] } {
  const hiddenPosts = c.store.actions.countedTargets("post").filter((uri) => hiddenNow(c, uri));
  const blocked = new Set([
    ...(c.config.current?.blocklist ?? []),
    ...c.store.actions.countedTargets("user").filter((did) => c.standing.blockedNow(did)),
  ]);
  return { hiddenPosts: hiddenPosts.sort(), blockedDids: [...blocked].sort() };
}

/** DIDs this index has seen as members or moderation authors: whose repos resync reads. */
export function knownDids(c: CommunityState): string[] {
  return [
    ...new Set([...c.store.memberships.dids(), ...c.store.actions.authors(), ...c.store.posts.authors()]),
  ];
}

/** The records of one author that the index currently holds, by collection. */
export function indexedRecordsOf(
  c: CommunityState,
  did: string,
): { memberships: string[]; actions: string[]; posts: string[] } {
  return {
    memberships: c.store.memberships.recordsOf(did),
    actions: c.store.actions.urisBy(did),
    posts: c.store.posts.urisBy(did),
  };
}
