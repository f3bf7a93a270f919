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
import type * as ComAtrariumAdminDefs from './defs.js'

const is$typed = _is$typed,
  validate = _validate
const id = 'com.atrarium.admin.listDeadLetters'

export type QueryParams = {
  limit?: number
  cursor?: string
}
export type InputSchema = undefined

export interface OutputSchema {
  deadLetters: ComAtrariumAdminDefs.DeadLetter[]
  cursor?: string
  /** Dead letters kept. */
  total: number
  /** Events in them. */
  totalEvents: number
  /** Dead letters dropped so far to keep the store bounded. */
  dropped: number
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
