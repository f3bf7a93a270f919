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

export interface HandlerInput {
  encoding: 'application/json'
  body: InputSchema
}

export interface HandlerSuccess {
  encoding: 'application/json'
  body: OutputSchema
  headers?: { [key: string]: string }
}

export interface HandlerError {
  status: number
  message?: string
  error?:
    | 'CommunityNotFound'
    | 'UnknownDid'
    | 'PdsUnreachable'
    | 'PdsRefused'
    | 'DidResolutionFailed'
}

export type HandlerOutput = HandlerError | HandlerSuccess
