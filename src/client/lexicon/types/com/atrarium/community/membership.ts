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
const id = 'com.atrarium.community.membership'

export interface Main {
  $type: 'com.atrarium.community.membership'
  /** AT-URI of the community config record. */
  community: string
  /** Claimed role (informational; effective roles come from the config). */
  role: 'owner' | 'moderator' | 'member' | (string & {})
  joinedAt: string
  /** False means the member has left. */
  active: boolean
  /** DID of the inviter, if any. */
  invitedBy?: string
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
