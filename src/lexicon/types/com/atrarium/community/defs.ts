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
    'hide_post' | 'unhide_post' | 'block_user' | 'unblock_user' | (string & {})
  target:
    | $Typed<ComAtrariumModerationAction.PostTarget>
    | $Typed<ComAtrariumModerationAction.UserTarget>
    | { $type: string }
  reason?: string
  createdAt: string
  indexedAt: string
  status: 'applied' | 'rejected' | 'superseded' | (string & {})
}

const hashActionView = 'actionView'

export function isActionView<V>(v: V) {
  return is$typed(v, id, hashActionView)
}

export function validateActionView<V>(v: V) {
  return validate<ActionView & V>(v, id, hashActionView)
}
