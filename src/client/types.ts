// The public types of the typed client: records as the lexicons define them,
// the Worker's views, and what each client method takes and returns. Record
// and view types come from the generated client lexicon (src/client/lexicon/),
// never from the Worker's own generated code.
import type * as AppBskyFeedGetFeedSkeleton from "./lexicon/types/app/bsky/feed/getFeedSkeleton.ts";
import type * as ComAtrariumAdminGetFirehoseStatus from "./lexicon/types/com/atrarium/admin/getFirehoseStatus.ts";
import type * as ConfigLex from "./lexicon/types/com/atrarium/community/config.ts";
import type * as ComAtrariumCommunityDefs from "./lexicon/types/com/atrarium/community/defs.ts";
import type * as ComAtrariumCommunityGetMembers from "./lexicon/types/com/atrarium/community/getMembers.ts";
import type * as ComAtrariumCommunityGetMembership from "./lexicon/types/com/atrarium/community/getMembership.ts";
import type * as ComAtrariumCommunityListCommunities from "./lexicon/types/com/atrarium/community/listCommunities.ts";
import type * as MembershipLex from "./lexicon/types/com/atrarium/community/membership.ts";
import type * as ActionLex from "./lexicon/types/com/atrarium/moderation/action.ts";
import type * as ComAtrariumModerationGetActions from "./lexicon/types/com/atrarium/moderation/getActions.ts";
import type * as ComAtrariumSyncRequestIndex from "./lexicon/types/com/atrarium/sync/requestIndex.ts";

export type CommunityConfig = ConfigLex.Record;
export type FeedMix = ConfigLex.FeedMix;
export type MembershipRecord = MembershipLex.Record;
export type ModerationActionRecord = ActionLex.Record;
export type CommunityView = ComAtrariumCommunityDefs.CommunityView;
export type MemberView = ComAtrariumCommunityDefs.MemberView;
export type ActionView = ComAtrariumCommunityDefs.ActionView;
export type MembershipStatus = ComAtrariumCommunityGetMembership.OutputSchema;
export type MembersPage = ComAtrariumCommunityGetMembers.OutputSchema;
export type CommunitiesPage = ComAtrariumCommunityListCommunities.OutputSchema;
export type ActionsPage = ComAtrariumModerationGetActions.OutputSchema;
export type FeedSkeleton = AppBskyFeedGetFeedSkeleton.OutputSchema;
export type RequestIndexResult = ComAtrariumSyncRequestIndex.OutputSchema;
export type FirehoseStatus = ComAtrariumAdminGetFirehoseStatus.OutputSchema;
export type Stage = CommunityConfig["stage"];
export type ModerationActionName = "hide_post" | "unhide_post" | "block_user" | "unblock_user";

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
  /** Replaces the whole list (applied before add/remove). */
  moderators?: string[];
  addModerators?: string[];
  removeModerators?: string[];
  /** Replaces the whole list (applied before add/remove). */
  blocklist?: string[];
  addToBlocklist?: string[];
  removeFromBlocklist?: string[];
}

export interface UpdateCommunityResult extends WriteOutcome {
  uri: string;
  cid: string;
  record: CommunityConfig;
}

export interface JoinResult extends WriteOutcome {
  uri: string;
  cid: string;
  record: MembershipRecord;
  /** True when an active membership already existed and nothing was written. */
  alreadyMember: boolean;
}

export interface LeaveResult extends WriteOutcome {
  /** The membership records that were deleted. */
  deleted: string[];
}

export type ModerationTarget =
  /** A post; the cid is looked up on the author's PDS when omitted. */
  { uri: string; cid?: string } | { did: string };

export interface ModerationActionInput {
  community: string;
  action: ModerationActionName;
  target: ModerationTarget;
  reason?: string;
  /** Write the record even if the signed-in account is not a moderator (the index will ignore it). */
  force?: boolean;
}

export interface ModerationActionResult extends WriteOutcome {
  uri: string;
  cid: string;
  record: ModerationActionRecord;
}

export interface PostResult extends WriteOutcome {
  uri: string;
  cid: string;
  text: string;
  facets: unknown[];
  hashtag: string;
}

export interface FeedItem {
  uri: string;
  author: { did: string; handle?: string };
  text?: string;
  createdAt?: string;
  /** Why the post could not be read from its author's PDS, if it could not. */
  error?: string;
}

export interface FeedPage {
  feed: string;
  items: FeedItem[];
  cursor?: string;
}
