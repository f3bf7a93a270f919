// The public types of the typed client: records as the lexicons define them,
// the Worker's views, and what each client method takes and returns. Record
// and view types come from the generated client lexicon (src/client/lexicon/),
// never from the Worker's own generated code.
import type * as AppBskyFeedGetFeedSkeleton from "./lexicon/types/app/bsky/feed/getFeedSkeleton.ts";
import type * as ComAtrariumAdminGetFirehoseStatus from "./lexicon/types/com/atrarium/admin/getFirehoseStatus.ts";
import type * as ComAtrariumAdminGetMetrics from "./lexicon/types/com/atrarium/admin/getMetrics.ts";
import type * as ConfigLex from "./lexicon/types/com/atrarium/community/config.ts";
import type * as ComAtrariumCommunityDefs from "./lexicon/types/com/atrarium/community/defs.ts";
import type * as ComAtrariumCommunityGetJoinRequests from "./lexicon/types/com/atrarium/community/getJoinRequests.ts";
import type * as ComAtrariumCommunityGetMembers from "./lexicon/types/com/atrarium/community/getMembers.ts";
import type * as ComAtrariumCommunityGetMembership from "./lexicon/types/com/atrarium/community/getMembership.ts";
import type * as ComAtrariumCommunityListCommunities from "./lexicon/types/com/atrarium/community/listCommunities.ts";
import type * as MembershipLex from "./lexicon/types/com/atrarium/community/membership.ts";
import type * as ActionLex from "./lexicon/types/com/atrarium/moderation/action.ts";
import type * as ComAtrariumModerationGetActions from "./lexicon/types/com/atrarium/moderation/getActions.ts";
import type * as ComAtrariumSyncRequestIndex from "./lexicon/types/com/atrarium/sync/requestIndex.ts";

/** A com.atrarium.community.config record (in the owner's repo). */
export type CommunityConfig = ConfigLex.Record;
/** A config's share of own, parent and global posts (percent, summing to 100). */
export type FeedMix = ConfigLex.FeedMix;
/** A com.atrarium.community.membership record (in the member's repo). */
export type MembershipRecord = MembershipLex.Record;
/** A com.atrarium.moderation.action record (in the moderator's repo). */
export type ModerationActionRecord = ActionLex.Record;
/** A community as the index sees it (getCommunity, listCommunities). */
export type CommunityView = ComAtrariumCommunityDefs.CommunityView;
/** A member with the effective role from the config (getMembers). */
export type MemberView = ComAtrariumCommunityDefs.MemberView;
/** A moderation action with its status in the index (getActions). */
export type ActionView = ComAtrariumCommunityDefs.ActionView;
/** A member waiting for approval, with their join time and held posts (getJoinRequests). */
export type JoinRequestView = ComAtrariumCommunityDefs.JoinRequestView;
/** A post pinned to the top of a community's feed (getCommunity). */
export type PinView = ComAtrariumCommunityDefs.PinView;
/** A page of join requests and the cursor to the next one. */
export type JoinRequestsPage = ComAtrariumCommunityGetJoinRequests.OutputSchema;
/** One account's standing in a community: member, pending, invited, blocked, left or none. */
export type MembershipStatus = ComAtrariumCommunityGetMembership.OutputSchema;
/** A page of members and the cursor to the next one. */
export type MembersPage = ComAtrariumCommunityGetMembers.OutputSchema;
/** A page of communities and the cursor to the next one. */
export type CommunitiesPage = ComAtrariumCommunityListCommunities.OutputSchema;
/** A page of the moderation log and the cursor to the next one. */
export type ActionsPage = ComAtrariumModerationGetActions.OutputSchema;
/** A page of a feed as the Worker serves it to the Bluesky AppView: post URIs only. */
export type FeedSkeleton = AppBskyFeedGetFeedSkeleton.OutputSchema;
/** What requestIndex did with a record: indexed, deleted or rejected (with a reason). */
export type RequestIndexResult = ComAtrariumSyncRequestIndex.OutputSchema;
/** The Worker's firehose consumer: connection, lag and counters. */
export type FirehoseStatus = ComAtrariumAdminGetFirehoseStatus.OutputSchema;
/** The operator's numbers: request latency per method, counts per community. */
export type Metrics = ComAtrariumAdminGetMetrics.OutputSchema;
/** What getMetrics takes: the window in minutes, and paging over the communities. */
export type MetricsParams = ComAtrariumAdminGetMetrics.QueryParams;
/** A community's growth stage: theme, community, graduated (open to new values). */
export type Stage = CommunityConfig["stage"];
/** Who becomes a member by joining: anyone (open), or those a moderator approves (approval). */
export type JoinPolicy = "open" | "approval";
/** Who gets the whole feed: everyone (public), or signed-in visible members (members). */
export type FeedVisibility = "public" | "members";
/** What a moderation action does to a post. */
export type PostActionName = "hide_post" | "unhide_post" | "pin_post" | "unpin_post";
/** What a moderation action does to an account. */
export type AccountActionName = "block_user" | "unblock_user" | "approve_member" | "unapprove_member";
/** What a moderation action does. */
export type ModerationActionName = PostActionName | AccountActionName;

/** A record as read from a repo. */
export interface RecordEntry<T> {
  uri: string;
  cid: string;
  value: T;
}

/** What every write returns besides its own fields. */
export interface WriteOutcome {
  /** requestIndex answers, one per record URI the Worker was asked to index. */
  indexed: RequestIndexResult[];
  /** Things that did not stop the write but deserve a look (e.g. the Worker is down). */
  warnings: string[];
}

/** What createCommunity takes; the hashtag is generated. */
export interface CreateCommunityInput {
  name: string;
  description?: string;
  /** Default "theme". */
  stage?: Stage;
  moderators?: string[];
  blocklist?: string[];
  feedMix?: { own: number; parent: number; global: number };
  parentCommunity?: string;
}

/** The new community: its URI, hashtag, feed URI and the owner's membership. */
export interface CreateCommunityResult extends WriteOutcome {
  uri: string;
  cid: string;
  hashtag: string;
  feedUri: string;
  membershipUri: string;
  record: CommunityConfig;
}

/**
 * Changes to a community config. Omitted fields stay as they are; `null`
 * removes an optional field. The add/remove lists change the current lists.
 */
export interface CommunityPatch {
  name?: string;
  description?: string | null;
  stage?: Stage;
  feedMix?: { own: number; parent: number; global: number } | null;
  parentCommunity?: string | null;
  /** Switching to "approval" first approves the current members (see UpdateCommunityOptions). */
  joinPolicy?: JoinPolicy;
  feedVisibility?: FeedVisibility;
  /** Replaces the rules (at most 10, each up to 300 characters); null or [] removes them. */
  rules?: string[] | null;
  /** Replaces the whole list (applied before add/remove). */
  moderators?: string[];
  addModerators?: string[];
  removeModerators?: string[];
  /** Replaces the whole list (applied before add/remove). */
  blocklist?: string[];
  addToBlocklist?: string[];
  removeFromBlocklist?: string[];
}

/** How updateCommunity carries out a switch to joinPolicy "approval". */
export interface UpdateCommunityOptions {
  /**
   * The accounts to approve before the config switches to "approval", so that
   * no one drops out. Default: membersToApprove(), read from the index just
   * before writing; pass the list a person confirmed to approve exactly that.
   */
  membersToApprove?: string[];
}

/** The config as written, and the approvals written before it. */
export interface UpdateCommunityResult extends WriteOutcome {
  uri: string;
  cid: string;
  record: CommunityConfig;
  /** The approve_member records written first when the community switched to approval. */
  approved: { did: string; uri: string }[];
}

/** The membership record (new, reactivated or already there). */
export interface JoinResult extends WriteOutcome {
  uri: string;
  cid: string;
  record: MembershipRecord;
  /** True when an active membership already existed and nothing was written. */
  alreadyMember: boolean;
  /**
   * True when the community approves its members and you are neither its owner
   * nor a moderator: you count once a moderator approves you (at once if you
   * were invited).
   */
  needsApproval: boolean;
}

/** What leave deleted. */
export interface LeaveResult extends WriteOutcome {
  /** The membership records that were deleted. */
  deleted: string[];
}

/** What a moderation action is about: a post (hide, unhide, pin, unpin) or an account (block, unblock, approve, unapprove). */
export type ModerationTarget =
  /** A post; the cid is looked up on the author's PDS when omitted. */
  { uri: string; cid?: string } | { did: string };

/** What createModerationAction takes. */
export interface ModerationActionInput {
  community: string;
  action: ModerationActionName;
  target: ModerationTarget;
  reason?: string;
  /** Only with block_user: when the block ends by itself (a datetime in the future). */
  expiresAt?: string | Date;
  /** Write the record even if the signed-in account is not a moderator (the index will ignore it). */
  force?: boolean;
}

/** What the typed moderation methods take besides the community and the target. */
export interface DecisionOptions {
  /** Public reason stored with the action. */
  reason?: string;
  /** Write the record even if the signed-in account is not a moderator (the index will ignore it). */
  force?: boolean;
}

/** What blockMember takes: a reason, and an end for a timed block. */
export interface BlockOptions extends DecisionOptions {
  /** When the block ends by itself; omitted, it lasts until an unblock. */
  expiresAt?: string | Date;
}

/** The action record as written. */
export interface ModerationActionResult extends WriteOutcome {
  uri: string;
  cid: string;
  record: ModerationActionRecord;
}

/** The post as written: its text with the hashtag, and its facets. */
export interface PostResult extends WriteOutcome {
  uri: string;
  cid: string;
  text: string;
  facets: unknown[];
  hashtag: string;
}

/** A post in a feed page, read from its author's PDS. */
export interface FeedItem {
  uri: string;
  author: { did: string; handle?: string };
  text?: string;
  createdAt?: string;
  /** Pinned by a moderator: shown first, on the first page. */
  pinned?: true;
  /** Why the post could not be read from its author's PDS, if it could not. */
  error?: string;
}

/** A page of a feed with each post read (getFeed). */
export interface FeedPage {
  feed: string;
  items: FeedItem[];
  cursor?: string;
}
