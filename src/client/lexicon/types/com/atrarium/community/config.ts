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
const id = 'com.atrarium.community.config'

export interface Main {
  $type: 'com.atrarium.community.config'
  /** Display name of the community. */
  name: string
  /** Public description of the community. */
  description?: string
  /** Community hashtag: "#atr_" followed by 8 lowercase hex characters (format checked in code). */
  hashtag: string
  /** Growth stage of the community. */
  stage: 'theme' | 'community' | 'graduated' | (string & {})
  /** DIDs of moderators. The owner is always a moderator. */
  moderators?: string[]
  /** DIDs blocked from the community. */
  blocklist?: string[]
  feedMix?: FeedMix
  /** AT-URI of the parent community config, if any. */
  parentCommunity?: string
  /** Who becomes a member by writing a membership record; absent means open. open: anyone. approval: a member counts (is listed, their posts shown) only while a moderator's approve_member for them is in force; the owner and moderators need no approval. Judged against the current config. */
  joinPolicy?: 'open' | 'approval' | (string & {})
  /** Who gets the whole feed; absent means public. public: everyone. members: only a request signed (service auth) by a visible member; everyone else gets the pinned posts alone. The posts stay public on the network: this curates who gets the feed, it is not privacy. */
  feedVisibility?: 'public' | 'members' | (string & {})
  /** The community's rules, shown where people join. */
  rules?: string[]
  createdAt: string
  updatedAt?: string
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

/** Share (percent) of feed items from this community, its parent and the global pool. The three values must sum to 100 (checked in code). */
export interface FeedMix {
  $type?: 'com.atrarium.community.config#feedMix'
  own: number
  parent: number
  global: number
}

const hashFeedMix = 'feedMix'

export function isFeedMix<V>(v: V) {
  return is$typed(v, id, hashFeedMix)
}

export function validateFeedMix<V>(v: V) {
  return validate<FeedMix & V>(v, id, hashFeedMix)
}
