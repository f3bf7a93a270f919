// The typed Atrarium client. Records are written into the signed-in user's own
// repo through their own session (an @atproto/api Agent: app password or
// OAuth); the Atrarium Worker is only ever asked to *read* them (requestIndex)
// and to answer queries, so it never sees a password or a session. Reads of
// other people's records go to their own PDS, found through DID resolution.
//
// This class is a facade: each method is one line into the module that does
// the work (queries.ts, feed.ts, records.ts, service.ts, writes/*.ts).
import type { Agent } from "@atproto/api";
import type { IdResolver } from "@atproto/identity";
import type { RecordAddress } from "../records/address.ts";
import { type AtrariumClientOptions, ClientContext } from "./context.ts";
import { getFeed } from "./feed.ts";
import type { AtpBaseClient } from "./lexicon/index.ts";
import * as queries from "./queries.ts";
import * as records from "./records.ts";
import * as service from "./service.ts";
import type {
  ActionsPage,
  BlockOptions,
  CommunitiesPage,
  CommunityConfig,
  CommunityPatch,
  CommunityView,
  CreateCommunityInput,
  CreateCommunityResult,
  DecisionOptions,
  FeedPage,
  FeedSkeleton,
  FirehoseStatus,
  JoinRequestsPage,
  JoinResult,
  LeaveResult,
  MembershipRecord,
  MembershipStatus,
  MembersPage,
  Metrics,
  MetricsParams,
  ModerationActionInput,
  ModerationActionResult,
  PostResult,
  RecordEntry,
  RequestIndexResult,
  UpdateCommunityOptions,
  UpdateCommunityResult,
} from "./types.ts";
import { membersToApprove } from "./writes/approval-switch.ts";
import { createCommunity } from "./writes/create-community.ts";
import { join } from "./writes/join.ts";
import { leave } from "./writes/leave.ts";
import { createModerationAction } from "./writes/moderate.ts";
import { actOnAccount, actOnPost } from "./writes/moderation-verbs.ts";
import { post } from "./writes/post.ts";
import { updateCommunity } from "./writes/update-community.ts";

export type { AtrariumClientOptions } from "./context.ts";
export type { Paging } from "./queries.ts";

/**
 * The typed Atrarium client. Give it the Worker's URL to read; give it the
 * user's session (`agent`) to write into their repo.
 */
export class AtrariumClient {
  private readonly ctx: ClientContext;

  constructor(options: AtrariumClientOptions) {
    this.ctx = new ClientContext(options);
  }

  /** Origin of the Atrarium Worker. */
  get serviceUrl(): string {
    return this.ctx.serviceUrl;
  }

  /** The signed-in user's session, if any. */
  get agent(): Agent | undefined {
    return this.ctx.agent;
  }

  /** The generated XRPC client pointed at the Worker. */
  get worker(): AtpBaseClient {
    return this.ctx.worker;
  }

  /** The DID of the signed-in account, if any. */
  get did(): string | undefined {
    return this.ctx.agent?.did;
  }

  // ---------------------------------------------------------------- identity

  /** The resolver used for DIDs (and handles without a session). */
  get idResolver(): IdResolver {
    return this.ctx.identity.idResolver;
  }

  /** A DID for a DID or handle (handles are resolved through the user's PDS, or DNS/HTTPS without one). */
  resolveActor(input: string): Promise<string> {
    return this.ctx.identity.resolveActor(input);
  }

  /** The PDS endpoint of a DID, from its DID document. */
  resolvePds(did: string): Promise<string> {
    return this.ctx.identity.resolvePds(did);
  }

  /** The handle an account's own PDS reports for it (describeRepo), if any. */
  handleOf(did: string): Promise<string | undefined> {
    return this.ctx.identity.handleOf(did);
  }

  /**
   * A community's AT-URI from what people give: its at:// URI (owner by DID or
   * handle), its feed's at:// URI or bsky.app link, or its hashtag.
   */
  resolveCommunity(input: string): Promise<string> {
    return records.resolveCommunity(this.ctx, input);
  }

  /** A record from an AT-URI (repo by DID or handle) or bsky.app link, its repo resolved to a DID. */
  resolveRecordRef(input: string, expectedCollection?: string): Promise<RecordAddress> {
    return records.resolveRecordRef(this.ctx, input, expectedCollection);
  }

  // ---------------------------------------------------------------- service

  /** The Worker's service DID: the option if given, else describeFeedGenerator. */
  serviceDid(): Promise<string> {
    return service.serviceDid(this.ctx);
  }

  /** A service-auth JWT from the user's PDS for one Worker method. */
  serviceAuthHeaders(lxm: string): Promise<Record<string, string>> {
    return service.serviceAuthHeaders(this.ctx, lxm);
  }

  /** Asks the Worker to fetch one record from its author's PDS and apply it now. */
  requestIndex(uri: string): Promise<RequestIndexResult> {
    return service.requestIndex(this.ctx, uri);
  }

  // ---------------------------------------------------------------- queries

  /** One community as the index sees it. */
  getCommunity(community: string): Promise<CommunityView> {
    return queries.getCommunity(this.ctx, community);
  }

  /** The communities in the index, a page at a time. */
  listCommunities(params: queries.Paging = {}): Promise<CommunitiesPage> {
    return queries.listCommunities(this.ctx, params);
  }

  /** A community's members (effective roles from the config), a page at a time. */
  getMembers(community: string, params: queries.Paging = {}): Promise<MembersPage> {
    return queries.getMembers(this.ctx, community, params);
  }

  /** The index's view of one account in a community (default: the signed-in account). */
  async getMembership(community: string, actor?: string): Promise<MembershipStatus> {
    const did = actor ? await this.resolveActor(actor) : this.ctx.session("check your membership").did;
    return queries.getMembership(this.ctx, community, did);
  }

  /** The moderation log; only the owner and moderators are answered (service auth). */
  getActions(community: string, params: queries.Paging = {}): Promise<ActionsPage> {
    return queries.getActions(this.ctx, community, params);
  }

  /** The members waiting for approval, oldest first; only the owner and moderators are answered (service auth). */
  getJoinRequests(community: string, params: queries.Paging = {}): Promise<JoinRequestsPage> {
    return queries.getJoinRequests(this.ctx, community, params);
  }

  /**
   * The members a switch to joinPolicy "approval" approves first: everyone the
   * index lists but the owner and the moderators (empty when it already approves).
   */
  membersToApprove(community: string): Promise<string[]> {
    return membersToApprove(this.ctx, community);
  }

  /** The feed skeleton of a feed generator URI, or of a community URI (mapped to its feed). */
  getFeedSkeleton(feedOrCommunity: string, params: queries.Paging = {}): Promise<FeedSkeleton> {
    return queries.getFeedSkeleton(this.ctx, feedOrCommunity, params);
  }

  /** The feed with each post read from its author's PDS (a post that cannot be read carries an error). */
  getFeed(feedOrCommunity: string, params: queries.Paging = {}): Promise<FeedPage> {
    return getFeed(this.ctx, feedOrCommunity, params);
  }

  /** Firehose consumer status (HTTP Basic, user "admin", the Worker's ADMIN_PASSWORD). */
  getFirehoseStatus(adminPassword: string): Promise<FirehoseStatus> {
    return queries.getFirehoseStatus(this.ctx, adminPassword);
  }

  /** Request latency per method over the last minutes, and counts per community (admin, like getFirehoseStatus). */
  getMetrics(adminPassword: string, params: MetricsParams = {}): Promise<Metrics> {
    return queries.getMetrics(this.ctx, adminPassword, params);
  }

  // ---------------------------------------------------------------- records

  /** A community's config, read from the owner's PDS and validated. */
  getCommunityConfig(uri: string): Promise<RecordEntry<CommunityConfig>> {
    return records.getCommunityConfig(this.ctx, uri);
  }

  /** Membership records in a repo (default: the signed-in account's). */
  async listMemberships(actor?: string): Promise<RecordEntry<MembershipRecord>[]> {
    const did = actor ? await this.resolveActor(actor) : this.ctx.session("list your memberships").did;
    return records.listMemberships(this.ctx, did);
  }

  /** The membership record for a community (an active one first), or undefined. */
  async getMembershipRecord(
    community: string,
    actor?: string,
  ): Promise<RecordEntry<MembershipRecord> | undefined> {
    const did = actor ? await this.resolveActor(actor) : this.ctx.session("check your membership").did;
    return records.getMembershipRecord(this.ctx, community, did);
  }

  /** A post by reference (at:// URI or bsky.app link), read from its author's PDS. */
  resolvePost(ref: string): Promise<RecordEntry<{ text?: string; [k: string]: unknown }>> {
    return records.resolvePost(this.ctx, ref);
  }

  // ---------------------------------------------------------------- writes

  /** Creates a community: config, feed record (same rkey) and the owner's membership, in one commit. */
  createCommunity(input: CreateCommunityInput): Promise<CreateCommunityResult> {
    return createCommunity(this.ctx, input);
  }

  /**
   * Changes a community the signed-in account owns (putRecord with swapRecord).
   * Switching joinPolicy to "approval" first approves the current members.
   */
  updateCommunity(
    uri: string,
    patch: CommunityPatch,
    options: UpdateCommunityOptions = {},
  ): Promise<UpdateCommunityResult> {
    return updateCommunity(this.ctx, uri, patch, options);
  }

  /** Joins a community: a membership record in the signed-in user's repo. Idempotent. */
  join(community: string, options: { invitedBy?: string } = {}): Promise<JoinResult> {
    return join(this.ctx, community, options);
  }

  /** Leaves a community: deletes every membership record for it from the user's repo. */
  leave(community: string): Promise<LeaveResult> {
    return leave(this.ctx, community);
  }

  /** Writes a moderation action into the signed-in user's repo (refused for non-moderators unless `force`). */
  createModerationAction(input: ModerationActionInput): Promise<ModerationActionResult> {
    return createModerationAction(this.ctx, input);
  }

  /** Approves a member (handle or DID) of a community that approves its members. */
  approveMember(
    community: string,
    actor: string,
    options: DecisionOptions = {},
  ): Promise<ModerationActionResult> {
    return actOnAccount(this.ctx, community, "approve_member", actor, options);
  }

  /** Withdraws a member's approval: their posts leave the feed until they are approved again. */
  unapproveMember(
    community: string,
    actor: string,
    options: DecisionOptions = {},
  ): Promise<ModerationActionResult> {
    return actOnAccount(this.ctx, community, "unapprove_member", actor, options);
  }

  /** Invites an account (handle or DID): an approval written before they join, so they count once they do. */
  invite(community: string, actor: string, options: DecisionOptions = {}): Promise<ModerationActionResult> {
    return actOnAccount(this.ctx, community, "approve_member", actor, options);
  }

  /** Blocks an account (handle or DID), until an unblock or, with `expiresAt`, until then. */
  blockMember(community: string, actor: string, options: BlockOptions = {}): Promise<ModerationActionResult> {
    return actOnAccount(this.ctx, community, "block_user", actor, options);
  }

  /** Ends a block. */
  unblockMember(
    community: string,
    actor: string,
    options: DecisionOptions = {},
  ): Promise<ModerationActionResult> {
    return actOnAccount(this.ctx, community, "unblock_user", actor, options);
  }

  /** Pins a post (at:// URI or bsky.app link) to the top of the feed (the 3 most recent pins show). */
  pinPost(community: string, post: string, options: DecisionOptions = {}): Promise<ModerationActionResult> {
    return actOnPost(this.ctx, community, "pin_post", post, options);
  }

  /** Unpins a post: it goes back to its place in the feed. */
  unpinPost(community: string, post: string, options: DecisionOptions = {}): Promise<ModerationActionResult> {
    return actOnPost(this.ctx, community, "unpin_post", post, options);
  }

  /** Hides a post from the feed. */
  hidePost(community: string, post: string, options: DecisionOptions = {}): Promise<ModerationActionResult> {
    return actOnPost(this.ctx, community, "hide_post", post, options);
  }

  /** Shows a hidden post again. */
  unhidePost(
    community: string,
    post: string,
    options: DecisionOptions = {},
  ): Promise<ModerationActionResult> {
    return actOnPost(this.ctx, community, "unhide_post", post, options);
  }

  /** Posts to a community: the hashtag appended, with a #tag facet. */
  post(community: string, text: string, options: { langs?: string[] } = {}): Promise<PostResult> {
    return post(this.ctx, community, text, options);
  }
}
