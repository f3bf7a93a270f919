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
const id = 'com.atrarium.admin.defs'

/** A queue message that failed every delivery attempt, kept with the error that killed it. */
export interface DeadLetter {
  $type?: 'com.atrarium.admin.defs#deadLetter'
  /** Identifies the dead letter for redriveDeadLetters. */
  id: string
  /** The queue message's id. */
  messageId?: string
  /** The error of the last failed attempt (or of the last redrive). */
  error: string
  /** Failed attempts, redrives included. */
  attempts: number
  /** When the last attempt failed. */
  failedAt?: string
  /** When the message reached the dead-letter queue. */
  deadAt: string
  eventCount: number
  /** What the message carried (first 100 events). */
  events: DeadEvent[]
}

const hashDeadLetter = 'deadLetter'

export function isDeadLetter<V>(v: V) {
  return is$typed(v, id, hashDeadLetter)
}

export function validateDeadLetter<V>(v: V) {
  return validate<DeadLetter & V>(v, id, hashDeadLetter)
}

/** One Jetstream event of a dead letter, without its record. */
export interface DeadEvent {
  $type?: 'com.atrarium.admin.defs#deadEvent'
  kind: 'commit' | 'account' | 'identity' | (string & {})
  did: string
  timeUs: number
  operation?: 'create' | 'update' | 'delete' | (string & {})
  /** The record a commit event is about. */
  uri?: string
}

const hashDeadEvent = 'deadEvent'

export function isDeadEvent<V>(v: V) {
  return is$typed(v, id, hashDeadEvent)
}

export function validateDeadEvent<V>(v: V) {
  return validate<DeadEvent & V>(v, id, hashDeadEvent)
}
