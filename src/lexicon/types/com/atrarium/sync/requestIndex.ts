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
    | 'UnsupportedCollection'
    | 'UnknownDid'
    | 'PdsUnreachable'
    | 'PdsRefused'
    | 'DidResolutionFailed'
}

export type HandlerOutput = HandlerError | HandlerSuccess
