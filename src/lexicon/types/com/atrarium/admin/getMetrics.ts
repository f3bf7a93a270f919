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
const id = 'com.atrarium.admin.getMetrics'

export type QueryParams = {
  /** The window of the request numbers, in minutes (the current minute included). */
  minutes: number
  /** Communities per page. */
  limit: number
  cursor?: string
}
export type InputSchema = undefined

export interface OutputSchema {
  minutes: number
  /** One entry per method called in the window (the first page only). */
  requests: MethodLatency[]
  communities: CommunityCounts[]
  cursor?: string
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

/** Percentiles are upper edges of histogram buckets about 4% wide, in whole milliseconds. */
export interface MethodLatency {
  $type?: 'com.atrarium.admin.getMetrics#methodLatency'
  method: string
  requests: number
  /** Answers 400-499 (for the feed: UnknownFeed, a malformed cursor, a bad service-auth token). */
  clientErrors: number
  /** Answers 500 and above. */
  serverErrors: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
}

const hashMethodLatency = 'methodLatency'

export function isMethodLatency<V>(v: V) {
  return is$typed(v, id, hashMethodLatency)
}

export function validateMethodLatency<V>(v: V) {
  return validate<MethodLatency & V>(v, id, hashMethodLatency)
}

/** Posts are those of the 7-day window that carry the community's hashtag. */
export interface CommunityCounts {
  $type?: 'com.atrarium.admin.getMetrics#communityCounts'
  uri: string
  name: string
  hashtag: string
  members: number
  /** Posts whose author was an unblocked member when they were made (shown or hidden). */
  postsAdmitted: number
  /** Posts whose author was not an unblocked member when they were made. */
  postsRefused: number
  /** Admitted posts a moderator hid. */
  postsHidden: number
  /** Moderation actions kept but not applied: their author is not a moderator now. */
  actionsRejected: number
  /** Records refused by validation since the community was indexed. */
  invalidRecords: number
}

const hashCommunityCounts = 'communityCounts'

export function isCommunityCounts<V>(v: V) {
  return is$typed(v, id, hashCommunityCounts)
}

export function validateCommunityCounts<V>(v: V) {
  return validate<CommunityCounts & V>(v, id, hashCommunityCounts)
}
