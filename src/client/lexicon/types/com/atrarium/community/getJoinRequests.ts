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
import type * as ComAtrariumCommunityDefs from './defs.js'

const is$typed = _is$typed,
  validate = _validate
const id = 'com.atrarium.community.getJoinRequests'

export type QueryParams = {
  /** AT-URI of the community config record. */
  community: string
  limit?: number
  cursor?: string
}
export type InputSchema = undefined

export interface OutputSchema {
  requests: ComAtrariumCommunityDefs.JoinRequestView[]
  cursor?: string
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

export class CommunityNotFoundError extends XRPCError {
  constructor(src: XRPCError) {
    super(src.status, src.error, src.message, src.headers, { cause: src })
  }
}

export function toKnownErr(e: any) {
  if (e instanceof XRPCError) {
    if (e.error === 'CommunityNotFound') return new CommunityNotFoundError(e)
  }

  return e
}
