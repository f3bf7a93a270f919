/**
 * GENERATED CODE - DO NOT MODIFY
 */
import {
  XrpcClient,
  type FetchHandler,
  type FetchHandlerOptions,
} from '@atproto/xrpc'
import { schemas } from './lexicons.js'
import { CID } from 'multiformats/cid'
import { type OmitKey, type Un$Typed } from './util.js'
import * as AppBskyFeedDefs from './types/app/bsky/feed/defs.js'
import * as AppBskyFeedDescribeFeedGenerator from './types/app/bsky/feed/describeFeedGenerator.js'
import * as AppBskyFeedGetFeedSkeleton from './types/app/bsky/feed/getFeedSkeleton.js'
import * as ComAtprotoRepoCreateRecord from './types/com/atproto/repo/createRecord.js'
import * as ComAtprotoRepoDefs from './types/com/atproto/repo/defs.js'
import * as ComAtprotoRepoDeleteRecord from './types/com/atproto/repo/deleteRecord.js'
import * as ComAtprotoRepoGetRecord from './types/com/atproto/repo/getRecord.js'
import * as ComAtprotoRepoListRecords from './types/com/atproto/repo/listRecords.js'
import * as ComAtprotoRepoPutRecord from './types/com/atproto/repo/putRecord.js'
import * as ComAtprotoRepoStrongRef from './types/com/atproto/repo/strongRef.js'
import * as ComAtrariumAdminDefs from './types/com/atrarium/admin/defs.js'
import * as ComAtrariumAdminGetFirehoseStatus from './types/com/atrarium/admin/getFirehoseStatus.js'
import * as ComAtrariumAdminGetMetrics from './types/com/atrarium/admin/getMetrics.js'
import * as ComAtrariumAdminListDeadLetters from './types/com/atrarium/admin/listDeadLetters.js'
import * as ComAtrariumAdminRedriveDeadLetters from './types/com/atrarium/admin/redriveDeadLetters.js'
import * as ComAtrariumAdminResyncCommunity from './types/com/atrarium/admin/resyncCommunity.js'
import * as ComAtrariumAdminStartFirehose from './types/com/atrarium/admin/startFirehose.js'
import * as ComAtrariumAuthManager from './types/com/atrarium/authManager.js'
import * as ComAtrariumAuthMember from './types/com/atrarium/authMember.js'
import * as ComAtrariumCommunityConfig from './types/com/atrarium/community/config.js'
import * as ComAtrariumCommunityDefs from './types/com/atrarium/community/defs.js'
import * as ComAtrariumCommunityGetCommunity from './types/com/atrarium/community/getCommunity.js'
import * as ComAtrariumCommunityGetJoinRequests from './types/com/atrarium/community/getJoinRequests.js'
import * as ComAtrariumCommunityGetMembers from './types/com/atrarium/community/getMembers.js'
import * as ComAtrariumCommunityGetMembership from './types/com/atrarium/community/getMembership.js'
import * as ComAtrariumCommunityListCommunities from './types/com/atrarium/community/listCommunities.js'
import * as ComAtrariumCommunityMembership from './types/com/atrarium/community/membership.js'
import * as ComAtrariumModerationAction from './types/com/atrarium/moderation/action.js'
import * as ComAtrariumModerationGetActions from './types/com/atrarium/moderation/getActions.js'
import * as ComAtrariumSyncRequestIndex from './types/com/atrarium/sync/requestIndex.js'

export * as AppBskyFeedDefs from './types/app/bsky/feed/defs.js'
export * as AppBskyFeedDescribeFeedGenerator from './types/app/bsky/feed/describeFeedGenerator.js'
export * as AppBskyFeedGetFeedSkeleton from './types/app/bsky/feed/getFeedSkeleton.js'
export * as ComAtprotoRepoCreateRecord from './types/com/atproto/repo/createRecord.js'
export * as ComAtprotoRepoDefs from './types/com/atproto/repo/defs.js'
export * as ComAtprotoRepoDeleteRecord from './types/com/atproto/repo/deleteRecord.js'
export * as ComAtprotoRepoGetRecord from './types/com/atproto/repo/getRecord.js'
export * as ComAtprotoRepoListRecords from './types/com/atproto/repo/listRecords.js'
export * as ComAtprotoRepoPutRecord from './types/com/atproto/repo/putRecord.js'
export * as ComAtprotoRepoStrongRef from './types/com/atproto/repo/strongRef.js'
export * as ComAtrariumAdminDefs from './types/com/atrarium/admin/defs.js'
export * as ComAtrariumAdminGetFirehoseStatus from './types/com/atrarium/admin/getFirehoseStatus.js'
export * as ComAtrariumAdminGetMetrics from './types/com/atrarium/admin/getMetrics.js'
export * as ComAtrariumAdminListDeadLetters from './types/com/atrarium/admin/listDeadLetters.js'
export * as ComAtrariumAdminRedriveDeadLetters from './types/com/atrarium/admin/redriveDeadLetters.js'
export * as ComAtrariumAdminResyncCommunity from './types/com/atrarium/admin/resyncCommunity.js'
export * as ComAtrariumAdminStartFirehose from './types/com/atrarium/admin/startFirehose.js'
export * as ComAtrariumAuthManager from './types/com/atrarium/authManager.js'
export * as ComAtrariumAuthMember from './types/com/atrarium/authMember.js'
export * as ComAtrariumCommunityConfig from './types/com/atrarium/community/config.js'
export * as ComAtrariumCommunityDefs from './types/com/atrarium/community/defs.js'
export * as ComAtrariumCommunityGetCommunity from './types/com/atrarium/community/getCommunity.js'
export * as ComAtrariumCommunityGetJoinRequests from './types/com/atrarium/community/getJoinRequests.js'
export * as ComAtrariumCommunityGetMembers from './types/com/atrarium/community/getMembers.js'
export * as ComAtrariumCommunityGetMembership from './types/com/atrarium/community/getMembership.js'
export * as ComAtrariumCommunityListCommunities from './types/com/atrarium/community/listCommunities.js'
export * as ComAtrariumCommunityMembership from './types/com/atrarium/community/membership.js'
export * as ComAtrariumModerationAction from './types/com/atrarium/moderation/action.js'
export * as ComAtrariumModerationGetActions from './types/com/atrarium/moderation/getActions.js'
export * as ComAtrariumSyncRequestIndex from './types/com/atrarium/sync/requestIndex.js'

export class AtpBaseClient extends XrpcClient {
  app: AppNS
  com: ComNS

  constructor(options: FetchHandler | FetchHandlerOptions) {
    super(options, schemas)
    this.app = new AppNS(this)
    this.com = new ComNS(this)
  }

  /** @deprecated use `this` instead */
  get xrpc(): XrpcClient {
    return this
  }
}

export class AppNS {
  _client: XrpcClient
  bsky: AppBskyNS

  constructor(client: XrpcClient) {
    this._client = client
    this.bsky = new AppBskyNS(client)
  }
}

export class AppBskyNS {
  _client: XrpcClient
  feed: AppBskyFeedNS

  constructor(client: XrpcClient) {
    this._client = client
    this.feed = new AppBskyFeedNS(client)
  }
}

export class AppBskyFeedNS {
  _client: XrpcClient

  constructor(client: XrpcClient) {
    this._client = client
  }

  describeFeedGenerator(
    params?: AppBskyFeedDescribeFeedGenerator.QueryParams,
    opts?: AppBskyFeedDescribeFeedGenerator.CallOptions,
  ): Promise<AppBskyFeedDescribeFeedGenerator.Response> {
    return this._client.call(
      'app.bsky.feed.describeFeedGenerator',
      params,
      undefined,
      opts,
    )
  }

  getFeedSkeleton(
    params?: AppBskyFeedGetFeedSkeleton.QueryParams,
    opts?: AppBskyFeedGetFeedSkeleton.CallOptions,
  ): Promise<AppBskyFeedGetFeedSkeleton.Response> {
    return this._client
      .call('app.bsky.feed.getFeedSkeleton', params, undefined, opts)
      .catch((e) => {
        throw AppBskyFeedGetFeedSkeleton.toKnownErr(e)
      })
  }
}

export class ComNS {
  _client: XrpcClient
  atproto: ComAtprotoNS
  atrarium: ComAtrariumNS

  constructor(client: XrpcClient) {
    this._client = client
    this.atproto = new ComAtprotoNS(client)
    this.atrarium = new ComAtrariumNS(client)
  }
}

export class ComAtprotoNS {
  _client: XrpcClient
  repo: ComAtprotoRepoNS

  constructor(client: XrpcClient) {
    this._client = client
    this.repo = new ComAtprotoRepoNS(client)
  }
}

export class ComAtprotoRepoNS {
  _client: XrpcClient

  constructor(client: XrpcClient) {
    this._client = client
  }

  createRecord(
    data?: ComAtprotoRepoCreateRecord.InputSchema,
    opts?: ComAtprotoRepoCreateRecord.CallOptions,
  ): Promise<ComAtprotoRepoCreateRecord.Response> {
    return this._client
      .call('com.atproto.repo.createRecord', opts?.qp, data, opts)
      .catch((e) => {
        throw ComAtprotoRepoCreateRecord.toKnownErr(e)
      })
  }

  deleteRecord(
    data?: ComAtprotoRepoDeleteRecord.InputSchema,
    opts?: ComAtprotoRepoDeleteRecord.CallOptions,
  ): Promise<ComAtprotoRepoDeleteRecord.Response> {
    return this._client
      .call('com.atproto.repo.deleteRecord', opts?.qp, data, opts)
      .catch((e) => {
        throw ComAtprotoRepoDeleteRecord.toKnownErr(e)
      })
  }

  getRecord(
    params?: ComAtprotoRepoGetRecord.QueryParams,
    opts?: ComAtprotoRepoGetRecord.CallOptions,
  ): Promise<ComAtprotoRepoGetRecord.Response> {
    return this._client
      .call('com.atproto.repo.getRecord', params, undefined, opts)
      .catch((e) => {
        throw ComAtprotoRepoGetRecord.toKnownErr(e)
      })
  }

  listRecords(
    params?: ComAtprotoRepoListRecords.QueryParams,
    opts?: ComAtprotoRepoListRecords.CallOptions,
  ): Promise<ComAtprotoRepoListRecords.Response> {
    return this._client.call(
      'com.atproto.repo.listRecords',
      params,
      undefined,
      opts,
    )
  }

  putRecord(
    data?: ComAtprotoRepoPutRecord.InputSchema,
    opts?: ComAtprotoRepoPutRecord.CallOptions,
  ): Promise<ComAtprotoRepoPutRecord.Response> {
    return this._client
      .call('com.atproto.repo.putRecord', opts?.qp, data, opts)
      .catch((e) => {
        throw ComAtprotoRepoPutRecord.toKnownErr(e)
      })
  }
}

export class ComAtrariumNS {
  _client: XrpcClient
  admin: ComAtrariumAdminNS
  community: ComAtrariumCommunityNS
  moderation: ComAtrariumModerationNS
  sync: ComAtrariumSyncNS

  constructor(client: XrpcClient) {
    this._client = client
    this.admin = new ComAtrariumAdminNS(client)
    this.community = new ComAtrariumCommunityNS(client)
    this.moderation = new ComAtrariumModerationNS(client)
    this.sync = new ComAtrariumSyncNS(client)
  }
}

export class ComAtrariumAdminNS {
  _client: XrpcClient

  constructor(client: XrpcClient) {
    this._client = client
  }

  getFirehoseStatus(
    params?: ComAtrariumAdminGetFirehoseStatus.QueryParams,
    opts?: ComAtrariumAdminGetFirehoseStatus.CallOptions,
  ): Promise<ComAtrariumAdminGetFirehoseStatus.Response> {
    return this._client.call(
      'com.atrarium.admin.getFirehoseStatus',
      params,
      undefined,
      opts,
    )
  }

  getMetrics(
    params?: ComAtrariumAdminGetMetrics.QueryParams,
    opts?: ComAtrariumAdminGetMetrics.CallOptions,
  ): Promise<ComAtrariumAdminGetMetrics.Response> {
    return this._client.call(
      'com.atrarium.admin.getMetrics',
      params,
      undefined,
      opts,
    )
  }

  listDeadLetters(
    params?: ComAtrariumAdminListDeadLetters.QueryParams,
    opts?: ComAtrariumAdminListDeadLetters.CallOptions,
  ): Promise<ComAtrariumAdminListDeadLetters.Response> {
    return this._client.call(
      'com.atrarium.admin.listDeadLetters',
      params,
      undefined,
      opts,
    )
  }

  redriveDeadLetters(
    data?: ComAtrariumAdminRedriveDeadLetters.InputSchema,
    opts?: ComAtrariumAdminRedriveDeadLetters.CallOptions,
  ): Promise<ComAtrariumAdminRedriveDeadLetters.Response> {
    return this._client.call(
      'com.atrarium.admin.redriveDeadLetters',
      opts?.qp,
      data,
      opts,
    )
  }

  resyncCommunity(
    data?: ComAtrariumAdminResyncCommunity.InputSchema,
    opts?: ComAtrariumAdminResyncCommunity.CallOptions,
  ): Promise<ComAtrariumAdminResyncCommunity.Response> {
    return this._client
      .call('com.atrarium.admin.resyncCommunity', opts?.qp, data, opts)
      .catch((e) => {
        throw ComAtrariumAdminResyncCommunity.toKnownErr(e)
      })
  }

  startFirehose(
    data?: ComAtrariumAdminStartFirehose.InputSchema,
    opts?: ComAtrariumAdminStartFirehose.CallOptions,
  ): Promise<ComAtrariumAdminStartFirehose.Response> {
    return this._client.call(
      'com.atrarium.admin.startFirehose',
      opts?.qp,
      data,
      opts,
    )
  }
}

export class ComAtrariumCommunityNS {
  _client: XrpcClient
  config: ComAtrariumCommunityConfigRecord
  membership: ComAtrariumCommunityMembershipRecord

  constructor(client: XrpcClient) {
    this._client = client
    this.config = new ComAtrariumCommunityConfigRecord(client)
    this.membership = new ComAtrariumCommunityMembershipRecord(client)
  }

  getCommunity(
    params?: ComAtrariumCommunityGetCommunity.QueryParams,
    opts?: ComAtrariumCommunityGetCommunity.CallOptions,
  ): Promise<ComAtrariumCommunityGetCommunity.Response> {
    return this._client
      .call('com.atrarium.community.getCommunity', params, undefined, opts)
      .catch((e) => {
        throw ComAtrariumCommunityGetCommunity.toKnownErr(e)
      })
  }

  getJoinRequests(
    params?: ComAtrariumCommunityGetJoinRequests.QueryParams,
    opts?: ComAtrariumCommunityGetJoinRequests.CallOptions,
  ): Promise<ComAtrariumCommunityGetJoinRequests.Response> {
    return this._client
      .call('com.atrarium.community.getJoinRequests', params, undefined, opts)
      .catch((e) => {
        throw ComAtrariumCommunityGetJoinRequests.toKnownErr(e)
      })
  }

  getMembers(
    params?: ComAtrariumCommunityGetMembers.QueryParams,
    opts?: ComAtrariumCommunityGetMembers.CallOptions,
  ): Promise<ComAtrariumCommunityGetMembers.Response> {
    return this._client
      .call('com.atrarium.community.getMembers', params, undefined, opts)
      .catch((e) => {
        throw ComAtrariumCommunityGetMembers.toKnownErr(e)
      })
  }

  getMembership(
    params?: ComAtrariumCommunityGetMembership.QueryParams,
    opts?: ComAtrariumCommunityGetMembership.CallOptions,
  ): Promise<ComAtrariumCommunityGetMembership.Response> {
    return this._client
      .call('com.atrarium.community.getMembership', params, undefined, opts)
      .catch((e) => {
        throw ComAtrariumCommunityGetMembership.toKnownErr(e)
      })
  }

  listCommunities(
    params?: ComAtrariumCommunityListCommunities.QueryParams,
    opts?: ComAtrariumCommunityListCommunities.CallOptions,
  ): Promise<ComAtrariumCommunityListCommunities.Response> {
    return this._client.call(
      'com.atrarium.community.listCommunities',
      params,
      undefined,
      opts,
    )
  }
}

export class ComAtrariumCommunityConfigRecord {
  _client: XrpcClient

  constructor(client: XrpcClient) {
    this._client = client
  }

  async list(
    params: OmitKey<ComAtprotoRepoListRecords.QueryParams, 'collection'>,
  ): Promise<{
    cursor?: string
    records: { uri: string; value: ComAtrariumCommunityConfig.Record }[]
  }> {
    const res = await this._client.call('com.atproto.repo.listRecords', {
      collection: 'com.atrarium.community.config',
      ...params,
    })
    return res.data
  }

  async get(
    params: OmitKey<ComAtprotoRepoGetRecord.QueryParams, 'collection'>,
  ): Promise<{
    uri: string
    cid: string
    value: ComAtrariumCommunityConfig.Record
  }> {
    const res = await this._client.call('com.atproto.repo.getRecord', {
      collection: 'com.atrarium.community.config',
      ...params,
    })
    return res.data
  }

  async create(
    params: OmitKey<
      ComAtprotoRepoCreateRecord.InputSchema,
      'collection' | 'record'
    >,
    record: Un$Typed<ComAtrariumCommunityConfig.Record>,
    headers?: Record<string, string>,
  ): Promise<{ uri: string; cid: string }> {
    const collection = 'com.atrarium.community.config'
    const res = await this._client.call(
      'com.atproto.repo.createRecord',
      undefined,
      { collection, ...params, record: { ...record, $type: collection } },
      { encoding: 'application/json', headers },
    )
    return res.data
  }

  async put(
    params: OmitKey<
      ComAtprotoRepoPutRecord.InputSchema,
      'collection' | 'record'
    >,
    record: Un$Typed<ComAtrariumCommunityConfig.Record>,
    headers?: Record<string, string>,
  ): Promise<{ uri: string; cid: string }> {
    const collection = 'com.atrarium.community.config'
    const res = await this._client.call(
      'com.atproto.repo.putRecord',
      undefined,
      { collection, ...params, record: { ...record, $type: collection } },
      { encoding: 'application/json', headers },
    )
    return res.data
  }

  async delete(
    params: OmitKey<ComAtprotoRepoDeleteRecord.InputSchema, 'collection'>,
    headers?: Record<string, string>,
  ): Promise<void> {
    await this._client.call(
      'com.atproto.repo.deleteRecord',
      undefined,
      { collection: 'com.atrarium.community.config', ...params },
      { headers },
    )
  }
}

export class ComAtrariumCommunityMembershipRecord {
  _client: XrpcClient

  constructor(client: XrpcClient) {
    this._client = client
  }

  async list(
    params: OmitKey<ComAtprotoRepoListRecords.QueryParams, 'collection'>,
  ): Promise<{
    cursor?: string
    records: { uri: string; value: ComAtrariumCommunityMembership.Record }[]
  }> {
    const res = await this._client.call('com.atproto.repo.listRecords', {
      collection: 'com.atrarium.community.membership',
      ...params,
    })
    return res.data
  }

  async get(
    params: OmitKey<ComAtprotoRepoGetRecord.QueryParams, 'collection'>,
  ): Promise<{
    uri: string
    cid: string
    value: ComAtrariumCommunityMembership.Record
  }> {
    const res = await this._client.call('com.atproto.repo.getRecord', {
      collection: 'com.atrarium.community.membership',
      ...params,
    })
    return res.data
  }

  async create(
    params: OmitKey<
      ComAtprotoRepoCreateRecord.InputSchema,
      'collection' | 'record'
    >,
    record: Un$Typed<ComAtrariumCommunityMembership.Record>,
    headers?: Record<string, string>,
  ): Promise<{ uri: string; cid: string }> {
    const collection = 'com.atrarium.community.membership'
    const res = await this._client.call(
      'com.atproto.repo.createRecord',
      undefined,
      { collection, ...params, record: { ...record, $type: collection } },
      { encoding: 'application/json', headers },
    )
    return res.data
  }

  async put(
    params: OmitKey<
      ComAtprotoRepoPutRecord.InputSchema,
      'collection' | 'record'
    >,
    record: Un$Typed<ComAtrariumCommunityMembership.Record>,
    headers?: Record<string, string>,
  ): Promise<{ uri: string; cid: string }> {
    const collection = 'com.atrarium.community.membership'
    const res = await this._client.call(
      'com.atproto.repo.putRecord',
      undefined,
      { collection, ...params, record: { ...record, $type: collection } },
      { encoding: 'application/json', headers },
    )
    return res.data
  }

  async delete(
    params: OmitKey<ComAtprotoRepoDeleteRecord.InputSchema, 'collection'>,
    headers?: Record<string, string>,
  ): Promise<void> {
    await this._client.call(
      'com.atproto.repo.deleteRecord',
      undefined,
      { collection: 'com.atrarium.community.membership', ...params },
      { headers },
    )
  }
}

export class ComAtrariumModerationNS {
  _client: XrpcClient
  action: ComAtrariumModerationActionRecord

  constructor(client: XrpcClient) {
    this._client = client
    this.action = new ComAtrariumModerationActionRecord(client)
  }

  getActions(
    params?: ComAtrariumModerationGetActions.QueryParams,
    opts?: ComAtrariumModerationGetActions.CallOptions,
  ): Promise<ComAtrariumModerationGetActions.Response> {
    return this._client
      .call('com.atrarium.moderation.getActions', params, undefined, opts)
      .catch((e) => {
        throw ComAtrariumModerationGetActions.toKnownErr(e)
      })
  }
}

export class ComAtrariumModerationActionRecord {
  _client: XrpcClient

  constructor(client: XrpcClient) {
    this._client = client
  }

  async list(
    params: OmitKey<ComAtprotoRepoListRecords.QueryParams, 'collection'>,
  ): Promise<{
    cursor?: string
    records: { uri: string; value: ComAtrariumModerationAction.Record }[]
  }> {
    const res = await this._client.call('com.atproto.repo.listRecords', {
      collection: 'com.atrarium.moderation.action',
      ...params,
    })
    return res.data
  }

  async get(
    params: OmitKey<ComAtprotoRepoGetRecord.QueryParams, 'collection'>,
  ): Promise<{
    uri: string
    cid: string
    value: ComAtrariumModerationAction.Record
  }> {
    const res = await this._client.call('com.atproto.repo.getRecord', {
      collection: 'com.atrarium.moderation.action',
      ...params,
    })
    return res.data
  }

  async create(
    params: OmitKey<
      ComAtprotoRepoCreateRecord.InputSchema,
      'collection' | 'record'
    >,
    record: Un$Typed<ComAtrariumModerationAction.Record>,
    headers?: Record<string, string>,
  ): Promise<{ uri: string; cid: string }> {
    const collection = 'com.atrarium.moderation.action'
    const res = await this._client.call(
      'com.atproto.repo.createRecord',
      undefined,
      { collection, ...params, record: { ...record, $type: collection } },
      { encoding: 'application/json', headers },
    )
    return res.data
  }

  async put(
    params: OmitKey<
      ComAtprotoRepoPutRecord.InputSchema,
      'collection' | 'record'
    >,
    record: Un$Typed<ComAtrariumModerationAction.Record>,
    headers?: Record<string, string>,
  ): Promise<{ uri: string; cid: string }> {
    const collection = 'com.atrarium.moderation.action'
    const res = await this._client.call(
      'com.atproto.repo.putRecord',
      undefined,
      { collection, ...params, record: { ...record, $type: collection } },
      { encoding: 'application/json', headers },
    )
    return res.data
  }

  async delete(
    params: OmitKey<ComAtprotoRepoDeleteRecord.InputSchema, 'collection'>,
    headers?: Record<string, string>,
  ): Promise<void> {
    await this._client.call(
      'com.atproto.repo.deleteRecord',
      undefined,
      { collection: 'com.atrarium.moderation.action', ...params },
      { headers },
    )
  }
}

export class ComAtrariumSyncNS {
  _client: XrpcClient

  constructor(client: XrpcClient) {
    this._client = client
  }

  requestIndex(
    data?: ComAtrariumSyncRequestIndex.InputSchema,
    opts?: ComAtrariumSyncRequestIndex.CallOptions,
  ): Promise<ComAtrariumSyncRequestIndex.Response> {
    return this._client
      .call('com.atrarium.sync.requestIndex', opts?.qp, data, opts)
      .catch((e) => {
        throw ComAtrariumSyncRequestIndex.toKnownErr(e)
      })
  }
}
