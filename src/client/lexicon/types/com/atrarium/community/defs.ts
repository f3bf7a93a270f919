/**
 * GENERATED CODE - DO NOT MODIFY
 */
import { type ValidationResult, BlobRef } from '@atproto/lexicon'
import { CID } from 'multiformats/cid'
import { validate as _validate } from '../../../../lexicons.js'
import {
  type $Typed,
  is$typed as _is$typed,
  type OmitKey,
} from '../../../../util.js'
import type * as ComAtrariumCommunityConfig from './config.js'
import type * as ComAtrariumModerationAction from '../moderation/action.js'

const is$typed = _is$typed,
  validate = _validate
const id = 'com.atrarium.community.defs'

/** An indexed community. */
export interface CommunityView {
  $type?: 'com.atrarium.community.defs#communityView'
  /** AT-URI of the community config record. */
  uri: string
  cid: string
  /** DID of the owner (the repo holding the config). */
  owner: string
  name: string
  description?: string
  hashtag: string
  stage: 'theme' | 'community' | 'graduated' | (string & {})
  moderators: string[]
  /** AT-URI of the feed generator record (same rkey in the owner repo). */
  feed: string
  memberCount: number
  postCount: number
  hiddenCount?: number
  rejectedActions?: number
  parentCommunity?: string
  feedMix?: ComAtrariumCommunityConfig.FeedMix
  /** From the config; open when the config does not say. */
  joinPolicy?: 'open' | 'approval' | (string & {})
  /** From the config; public when the config does not say. */
  feedVisibility?: 'public' | 'members' | (string & {})
  /** The community's rules, from the config. */
  rules?: string[]
  /** The posts pinned to the top of the feed, most recently pinned first (at most 3; only posts that are otherwise in the feed). */
  pinnedPosts?: PinView[]
  createdAt: string
  /** When the index last saw the config record. */
  indexedAt: string
}

const hashCommunityView = 'communityView'

export function isCommunityView<V>(v: V) {
  return is$typed(v, id, hashCommunityView)
}

export function validateCommunityView<V>(v: V) {
  return validate<CommunityView & V>(v, id, hashCommunityView)
}

/** A member of a community. */
export interface MemberView {
  $type?: 'com.atrarium.community.defs#memberView'
  did: string
  /** Effective role, from the config (not the membership claim). */
  role: 'owner' | 'moderator' | 'member' | (string & {})
  joinedAt: string
  /** AT-URI of the membership record. */
  uri?: string
}

const hashMemberView = 'memberView'

export function isMemberView<V>(v: V) {
  return is$typed(v, id, hashMemberView)
}

export function validateMemberView<V>(v: V) {
  return validate<MemberView & V>(v, id, hashMemberView)
}

/** An indexed moderation action and how the index treated it. */
export interface ActionView {
  $type?: 'com.atrarium.community.defs#actionView'
  uri: string
  cid: string
  author: string
  action:
    | 'hide_post'
    | 'unhide_post'
    | 'block_user'
    | 'unblock_user'
    | 'approve_member'
    | 'unapprove_member'
    | 'pin_post'
    | 'unpin_post'
    | (string & {})
  target:
    | $Typed<ComAtrariumModerationAction.PostTarget>
    | $Typed<ComAtrariumModerationAction.UserTarget>
    | { $type: string }
  reason?: string
  /** When a timed block_user ends. */
  expiresAt?: string
  createdAt: string
  indexedAt: string
  status: 'applied' | 'rejected' | 'superseded' | (string & {})
  undoneBy?: ActionRef
}

const hashActionView = 'actionView'

export function isActionView<V>(v: V) {
  return is$typed(v, id, hashActionView)
}

export function validateActionView<V>(v: V) {
  return validate<ActionView & V>(v, id, hashActionView)
}

/** A pinned post. */
export interface PinView {
  $type?: 'com.atrarium.community.defs#pinView'
  uri: string
  cid?: string
  /** The moderator whose pin_post counts. */
  pinnedBy: string
  /** Effective time of the counting pin_post. */
  pinnedAt: string
}

const hashPinView = 'pinView'

export function isPinView<V>(v: V) {
  return is$typed(v, id, hashPinView)
}

export function validatePinView<V>(v: V) {
  return validate<PinView & V>(v, id, hashPinView)
}

/** A reference to a moderation action. */
export interface ActionRef {
  $type?: 'com.atrarium.community.defs#actionRef'
  uri: string
  author: string
  action: string
  createdAt: string
}

const hashActionRef = 'actionRef'

export function isActionRef<V>(v: V) {
  return is$typed(v, id, hashActionRef)
}

export function validateActionRef<V>(v: V) {
  return validate<ActionRef & V>(v, id, hashActionRef)
}

/** A member waiting for approval. */
export interface JoinRequestView {
  $type?: 'com.atrarium.community.defs#joinRequestView'
  did: string
  joinedAt: string
  /** AT-URI of the membership record. */
  membership: string
  /** Posts with the community hashtag held until approval. */
  heldPosts: number
}

const hashJoinRequestView = 'joinRequestView'

export function isJoinRequestView<V>(v: V) {
  return is$typed(v, id, hashJoinRequestView)
}

export function validateJoinRequestView<V>(v: V) {
  return validate<JoinRequestView & V>(v, id, hashJoinRequestView)
}
