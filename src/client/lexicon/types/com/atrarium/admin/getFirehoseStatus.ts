/**
 * GENERATED CODE - DO NOT MODIFY
 */
import { type HeadersMap, XRPCError } from '@atproto/xrpc'
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
  eventsSeenPerSecond?: number
  eventsKeptPerSecond?: number
  eventsSentPerSecond?: number
  lastError?: string
  startedAt?: string
  /** How long the oldest event kept by the receiver and not yet accepted by the queue has waited, in milliseconds (absent when none waits). */
  oldestBufferedMs?: number
  /** Queue messages that failed every delivery attempt and are kept for redriveDeadLetters. */
  deadLetters?: number
  /** Events in those dead letters. */
  deadLetterEvents?: number
}

export interface CallOptions {
  signal?: AbortSignal
  headers?: HeadersMap
}

export interface Response {
  success: boolean
  headers: HeadersMap
  data: OutputSchema
}

export function toKnownErr(e: any) {
  return e
}
