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
const id = 'com.atrarium.admin.redriveDeadLetters'

export type QueryParams = {}

export interface InputSchema {
  ids?: string[]
}

export interface OutputSchema {
  /** Dead letters applied and removed. */
  redriven: number
  /** Dead letters that failed again (kept). */
  failed: number
  /** Dead letters still kept. */
  remaining: number
  results: Result[]
}

export interface CallOptions {
  signal?: AbortSignal
  headers?: HeadersMap
  qp?: QueryParams
  encoding?: 'application/json'
}

export interface Response {
  success: boolean
  headers: HeadersMap
  data: OutputSchema
}

export function toKnownErr(e: any) {
  return e
}

export interface Result {
  $type?: 'com.atrarium.admin.redriveDeadLetters#result'
  id: string
  status: 'redriven' | 'failed' | 'notFound' | (string & {})
  error?: string
}

const hashResult = 'result'

export function isResult<V>(v: V) {
  return is$typed(v, id, hashResult)
}

export function validateResult<V>(v: V) {
  return validate<Result & V>(v, id, hashResult)
}
