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
const id = 'com.atrarium.community.getMembership'

export type QueryParams = {
  /** AT-URI of the community config record. */
  community: string
  /** DID of the account. */
  actor: string
}
export type InputSchema = undefined

export interface OutputSchema {
  community: string
  actor: string
  /** member: visible member. pending: has joined a community under joinPolicy approval and waits for a moderator's approval. invited: approved by a moderator but has not joined yet. blocked: blocked now. left: had a membership that ended. none: never joined. */
  status:
    | 'member'
    | 'pending'
    | 'invited'
    | 'blocked'
    | 'left'
    | 'none'
    | (string & {})
  /** Effective role, when the actor is a member. */
  role?: 'owner' | 'moderator' | 'member' | (string & {})
  /** AT-URI of the membership record, when there is one. */
  uri?: string
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
