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
const id = 'com.atrarium.admin.resyncCommunity'

export type QueryParams = {}

export interface InputSchema {
  /** AT-URI of the community config record. */
  community: string
}

export interface OutputSchema {
  community: string
  added: number
  removed: number
  unchanged: number
  unreachable: number
  /** Repos read only up to the page cap (50 pages of 100 records per repo): records beyond it were not read, and none of that repo's records were removed on their account. */
  reposCut?: number
  /** The DIDs of those repos (the first 20). */
  cutDids?: string[]
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

export class CommunityNotFoundError extends XRPCError {
  constructor(src: XRPCError) {
    super(src.status, src.error, src.message, src.headers, { cause: src })
  }
}

export class UnknownDidError extends XRPCError {
  constructor(src: XRPCError) {
    super(src.status, src.error, src.message, src.headers, { cause: src })
  }
}

export class PdsUnreachableError extends XRPCError {
  constructor(src: XRPCError) {
    super(src.status, src.error, src.message, src.headers, { cause: src })
  }
}

export class PdsRefusedError extends XRPCError {
  constructor(src: XRPCError) {
    super(src.status, src.error, src.message, src.headers, { cause: src })
  }
}

export class DidResolutionFailedError extends XRPCError {
  constructor(src: XRPCError) {
    super(src.status, src.error, src.message, src.headers, { cause: src })
  }
}

export function toKnownErr(e: any) {
  if (e instanceof XRPCError) {
    if (e.error === 'CommunityNotFound') return new CommunityNotFoundError(e)
    if (e.error === 'UnknownDid') return new UnknownDidError(e)
    if (e.error === 'PdsUnreachable') return new PdsUnreachableError(e)
    if (e.error === 'PdsRefused') return new PdsRefusedError(e)
    if (e.error === 'DidResolutionFailed')
      return new DidResolutionFailedError(e)
  }

  return e
}
