/**
 * GENERATED CODE - DO NOT MODIFY
 */
import {
  type Auth,
  type Options as XrpcOptions,
  Server as XrpcServer,
  type StreamConfigOrHandler,
  type MethodConfigOrHandler,
  createServer as createXrpcServer,
} from '@atproto/xrpc-server'
import { schemas } from './lexicons.js'
import * as AppBskyFeedDescribeFeedGenerator from './types/app/bsky/feed/describeFeedGenerator.js'
import * as AppBskyFeedGetFeedSkeleton from './types/app/bsky/feed/getFeedSkeleton.js'
import * as ComAtprotoRepoCreateRecord from './types/com/atproto/repo/createRecord.js'
import * as ComAtprotoRepoDeleteRecord from './types/com/atproto/repo/deleteRecord.js'
import * as ComAtprotoRepoGetRecord from './types/com/atproto/repo/getRecord.js'
import * as ComAtprotoRepoListRecords from './types/com/atproto/repo/listRecords.js'
import * as ComAtprotoRepoPutRecord from './types/com/atproto/repo/putRecord.js'
import * as ComAtrariumAdminGetFirehoseStatus from './types/com/atrarium/admin/getFirehoseStatus.js'
import * as ComAtrariumAdminGetMetrics from './types/com/atrarium/admin/getMetrics.js'
import * as ComAtrariumAdminListDeadLetters from './types/com/atrarium/admin/listDeadLetters.js'
import * as ComAtrariumAdminRedriveDeadLetters from './types/com/atrarium/admin/redriveDeadLetters.js'
import * as ComAtrariumAdminResyncCommunity from './types/com/atrarium/admin/resyncCommunity.js'
import * as ComAtrariumAdminStartFirehose from './types/com/atrarium/admin/startFirehose.js'
import * as ComAtrariumCommunityGetCommunity from './types/com/atrarium/community/getCommunity.js'
import * as ComAtrariumCommunityGetJoinRequests from './types/com/atrarium/community/getJoinRequests.js'
import * as ComAtrariumCommunityGetMembers from './types/com/atrarium/community/getMembers.js'
import * as ComAtrariumCommunityGetMembership from './types/com/atrarium/community/getMembership.js'
import * as ComAtrariumCommunityListCommunities from './types/com/atrarium/community/listCommunities.js'
import * as ComAtrariumModerationGetActions from './types/com/atrarium/moderation/getActions.js'
import * as ComAtrariumSyncRequestIndex from './types/com/atrarium/sync/requestIndex.js'

export function createServer(options?: XrpcOptions): Server {
  return new Server(options)
}

export class Server {
  xrpc: XrpcServer
  app: AppNS
  com: ComNS

  constructor(options?: XrpcOptions) {
    this.xrpc = createXrpcServer(schemas, options)
    this.app = new AppNS(this)
    this.com = new ComNS(this)
  }
}

export class AppNS {
  _server: Server
  bsky: AppBskyNS

  constructor(server: Server) {
    this._server = server
    this.bsky = new AppBskyNS(server)
  }
}

export class AppBskyNS {
  _server: Server
  feed: AppBskyFeedNS

  constructor(server: Server) {
    this._server = server
    this.feed = new AppBskyFeedNS(server)
  }
}

export class AppBskyFeedNS {
  _server: Server

  constructor(server: Server) {
    this._server = server
  }

  describeFeedGenerator<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      AppBskyFeedDescribeFeedGenerator.QueryParams,
      AppBskyFeedDescribeFeedGenerator.HandlerInput,
      AppBskyFeedDescribeFeedGenerator.HandlerOutput
    >,
  ) {
    const nsid = 'app.bsky.feed.describeFeedGenerator' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  getFeedSkeleton<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      AppBskyFeedGetFeedSkeleton.QueryParams,
      AppBskyFeedGetFeedSkeleton.HandlerInput,
      AppBskyFeedGetFeedSkeleton.HandlerOutput
    >,
  ) {
    const nsid = 'app.bsky.feed.getFeedSkeleton' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }
}

export class ComNS {
  _server: Server
  atproto: ComAtprotoNS
  atrarium: ComAtrariumNS

  constructor(server: Server) {
    this._server = server
    this.atproto = new ComAtprotoNS(server)
    this.atrarium = new ComAtrariumNS(server)
  }
}

export class ComAtprotoNS {
  _server: Server
  repo: ComAtprotoRepoNS

  constructor(server: Server) {
    this._server = server
    this.repo = new ComAtprotoRepoNS(server)
  }
}

export class ComAtprotoRepoNS {
  _server: Server

  constructor(server: Server) {
    this._server = server
  }

  createRecord<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtprotoRepoCreateRecord.QueryParams,
      ComAtprotoRepoCreateRecord.HandlerInput,
      ComAtprotoRepoCreateRecord.HandlerOutput
    >,
  ) {
    const nsid = 'com.atproto.repo.createRecord' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  deleteRecord<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtprotoRepoDeleteRecord.QueryParams,
      ComAtprotoRepoDeleteRecord.HandlerInput,
      ComAtprotoRepoDeleteRecord.HandlerOutput
    >,
  ) {
    const nsid = 'com.atproto.repo.deleteRecord' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  getRecord<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtprotoRepoGetRecord.QueryParams,
      ComAtprotoRepoGetRecord.HandlerInput,
      ComAtprotoRepoGetRecord.HandlerOutput
    >,
  ) {
    const nsid = 'com.atproto.repo.getRecord' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  listRecords<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtprotoRepoListRecords.QueryParams,
      ComAtprotoRepoListRecords.HandlerInput,
      ComAtprotoRepoListRecords.HandlerOutput
    >,
  ) {
    const nsid = 'com.atproto.repo.listRecords' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  putRecord<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtprotoRepoPutRecord.QueryParams,
      ComAtprotoRepoPutRecord.HandlerInput,
      ComAtprotoRepoPutRecord.HandlerOutput
    >,
  ) {
    const nsid = 'com.atproto.repo.putRecord' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }
}

export class ComAtrariumNS {
  _server: Server
  admin: ComAtrariumAdminNS
  community: ComAtrariumCommunityNS
  moderation: ComAtrariumModerationNS
  sync: ComAtrariumSyncNS

  constructor(server: Server) {
    this._server = server
    this.admin = new ComAtrariumAdminNS(server)
    this.community = new ComAtrariumCommunityNS(server)
    this.moderation = new ComAtrariumModerationNS(server)
    this.sync = new ComAtrariumSyncNS(server)
  }
}

export class ComAtrariumAdminNS {
  _server: Server

  constructor(server: Server) {
    this._server = server
  }

  getFirehoseStatus<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumAdminGetFirehoseStatus.QueryParams,
      ComAtrariumAdminGetFirehoseStatus.HandlerInput,
      ComAtrariumAdminGetFirehoseStatus.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.admin.getFirehoseStatus' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  getMetrics<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumAdminGetMetrics.QueryParams,
      ComAtrariumAdminGetMetrics.HandlerInput,
      ComAtrariumAdminGetMetrics.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.admin.getMetrics' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  listDeadLetters<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumAdminListDeadLetters.QueryParams,
      ComAtrariumAdminListDeadLetters.HandlerInput,
      ComAtrariumAdminListDeadLetters.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.admin.listDeadLetters' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  redriveDeadLetters<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumAdminRedriveDeadLetters.QueryParams,
      ComAtrariumAdminRedriveDeadLetters.HandlerInput,
      ComAtrariumAdminRedriveDeadLetters.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.admin.redriveDeadLetters' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  resyncCommunity<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumAdminResyncCommunity.QueryParams,
      ComAtrariumAdminResyncCommunity.HandlerInput,
      ComAtrariumAdminResyncCommunity.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.admin.resyncCommunity' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  startFirehose<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumAdminStartFirehose.QueryParams,
      ComAtrariumAdminStartFirehose.HandlerInput,
      ComAtrariumAdminStartFirehose.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.admin.startFirehose' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }
}

export class ComAtrariumCommunityNS {
  _server: Server

  constructor(server: Server) {
    this._server = server
  }

  getCommunity<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumCommunityGetCommunity.QueryParams,
      ComAtrariumCommunityGetCommunity.HandlerInput,
      ComAtrariumCommunityGetCommunity.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.community.getCommunity' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  getJoinRequests<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumCommunityGetJoinRequests.QueryParams,
      ComAtrariumCommunityGetJoinRequests.HandlerInput,
      ComAtrariumCommunityGetJoinRequests.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.community.getJoinRequests' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  getMembers<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumCommunityGetMembers.QueryParams,
      ComAtrariumCommunityGetMembers.HandlerInput,
      ComAtrariumCommunityGetMembers.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.community.getMembers' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  getMembership<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumCommunityGetMembership.QueryParams,
      ComAtrariumCommunityGetMembership.HandlerInput,
      ComAtrariumCommunityGetMembership.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.community.getMembership' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }

  listCommunities<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumCommunityListCommunities.QueryParams,
      ComAtrariumCommunityListCommunities.HandlerInput,
      ComAtrariumCommunityListCommunities.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.community.listCommunities' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }
}

export class ComAtrariumModerationNS {
  _server: Server

  constructor(server: Server) {
    this._server = server
  }

  getActions<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumModerationGetActions.QueryParams,
      ComAtrariumModerationGetActions.HandlerInput,
      ComAtrariumModerationGetActions.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.moderation.getActions' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }
}

export class ComAtrariumSyncNS {
  _server: Server

  constructor(server: Server) {
    this._server = server
  }

  requestIndex<A extends Auth = void>(
    cfg: MethodConfigOrHandler<
      A,
      ComAtrariumSyncRequestIndex.QueryParams,
      ComAtrariumSyncRequestIndex.HandlerInput,
      ComAtrariumSyncRequestIndex.HandlerOutput
    >,
  ) {
    const nsid = 'com.atrarium.sync.requestIndex' // @ts-ignore
    return this._server.xrpc.method(nsid, cfg)
  }
}
