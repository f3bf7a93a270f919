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
const id = 'com.atrarium.admin.getFirehoseStatus'

export type QueryParams = {}
export type InputSchema = undefined

export interface OutputSchema {
  connected: boolean
  url?: string
  /** Last processed Jetstream time_us. */
  cursor?: number
  lagSeconds?: number
  eventsSeen: number
  eventsKept: number
  eventsSent: number
  queueMessagesSent: number
  reconnects: number
  /** Events dropped because one alone exceeds a queue message (they never reach the index). */
  eventsTooLarge?: number
  /** Frames dropped because they are not Jetstream events. */
  eventsMalformed?: number
  eventsSeenPerSecond?: number
  eventsKeptPerSecond?: number
  eventsSentPerSecond?: number
  lastError?: string
  startedAt?: string
  routing?: Routing
  /** How long the oldest event kept by the receiver and not yet accepted by the queue has waited, in milliseconds (absent when none waits). */
  oldestBufferedMs?: number
  /** Queue messages that failed every delivery attempt and are kept for redriveDeadLetters. */
  deadLetters?: number
  /** Events in those dead letters. */
  deadLetterEvents?: number
}

export type HandlerInput = void

export interface HandlerSuccess {
  encoding: 'application/json'
  body: OutputSchema
  headers?: { [key: string]: string }
}

export interface HandlerError {
  status: number
  message?: string
}

export type HandlerOutput = HandlerError | HandlerSuccess

/** What the queue consumer could not route at once. Counts since the index was created, and what waits now. Parked events are applied as soon as their community, hashtag or author is known; posts and author events expire after 10 minutes. Parking is bounded per hashtag, community or author, per author and in total; when full, the oldest events of the author holding the most go first, and every event lost so is counted. */
export interface Routing {
  $type?: 'com.atrarium.admin.getFirehoseStatus#routing'
  /** Posts that passed the receiver's filter but carry no valid community hashtag. */
  unmatched: number
  /** Posts parked because no community held their hashtag yet. */
  parkedPosts: number
  /** Deletes and edits parked because no community knew their author yet. */
  parkedByDid: number
  /** Memberships and actions parked because their community's config had not been seen yet. */
  parkedForCommunity: number
  waitingPosts: number
  waitingByDid: number
  waitingForCommunity: number
  /** Parked posts pushed out by a bound before a community took them. */
  evictedPosts?: number
  /** Parked deletes and edits pushed out by a bound before a community took them. */
  evictedByDid?: number
  /** Parked memberships and actions pushed out by a bound before their community was met. */
  evictedForCommunity?: number
  /** Parked posts that expired before any community held their hashtag. */
  expiredPosts?: number
  /** Parked deletes and edits that expired before any community knew their author. */
  expiredByDid?: number
}

const hashRouting = 'routing'

export function isRouting<V>(v: V) {
  return is$typed(v, id, hashRouting)
}

export function validateRouting<V>(v: V) {
  return validate<Routing & V>(v, id, hashRouting)
}
