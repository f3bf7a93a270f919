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

const is$typed = _is$typed,
  validate = _validate
const id = 'com.atrarium.moderation.action'

export interface Main {
  $type: 'com.atrarium.moderation.action'
  /** AT-URI of the community config record. */
  community: string
  /** hide_post, unhide_post, pin_post and unpin_post take a #postTarget; block_user, unblock_user, approve_member and unapprove_member a #userTarget. Between counting actions on one target the last write wins (effective time, then record key, then author). An approve_member written before the person joins is an invitation. */
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
  target: $Typed<PostTarget> | $Typed<UserTarget> | { $type: string }
  /** Public reason for the action. */
  reason?: string
  /** Only with block_user: the block ends by itself at this time (the account is back at expiresAt). */
  expiresAt?: string
  createdAt: string
  [k: string]: unknown
}

const hashMain = 'main'

export function isMain<V>(v: V) {
  return is$typed(v, id, hashMain)
}

export function validateMain<V>(v: V) {
  return validate<Main & V>(v, id, hashMain, true)
}

export {
  type Main as Record,
  isMain as isRecord,
  validateMain as validateRecord,
}

/** A post targeted by a moderation action. */
export interface PostTarget {
  $type?: 'com.atrarium.moderation.action#postTarget'
  uri: string
  cid: string
}

const hashPostTarget = 'postTarget'

export function isPostTarget<V>(v: V) {
  return is$typed(v, id, hashPostTarget)
}

export function validatePostTarget<V>(v: V) {
  return validate<PostTarget & V>(v, id, hashPostTarget)
}

/** An account targeted by a moderation action. */
export interface UserTarget {
  $type?: 'com.atrarium.moderation.action#userTarget'
  did: string
}

const hashUserTarget = 'userTarget'

export function isUserTarget<V>(v: V) {
  return is$typed(v, id, hashUserTarget)
}

export function validateUserTarget<V>(v: V) {
  return validate<UserTarget & V>(v, id, hashUserTarget)
}
