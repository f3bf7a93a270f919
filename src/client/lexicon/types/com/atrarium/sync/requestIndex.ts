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
const id = 'com.atrarium.sync.requestIndex'

export type QueryParams = {}

export interface InputSchema {
  /** AT-URI of a com.atrarium.* record. */
  uri: string
}

export interface OutputSchema {
  uri: string
  status: 'indexed' | 'deleted' | 'rejected' | (string & {})
  /** Why the record was rejected, if it was. */
  reason?: string
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

export class UnsupportedCollectionError extends XRPCError {
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
    if (e.error === 'UnsupportedCollection')
      return new UnsupportedCollectionError(e)
    if (e.error === 'UnknownDid') return new UnknownDidError(e)
    if (e.error === 'PdsUnreachable') return new PdsUnreachableError(e)
    if (e.error === 'PdsRefused') return new PdsRefusedError(e)
    if (e.error === 'DidResolutionFailed')
      return new DidResolutionFailedError(e)
  }

  return e
}
