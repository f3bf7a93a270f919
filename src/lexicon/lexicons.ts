/**
 * GENERATED CODE - DO NOT MODIFY
 */
import {
  type LexiconDoc,
  Lexicons,
  ValidationError,
  type ValidationResult,
} from '@atproto/lexicon'
import { type $Typed, is$typed, maybe$typed } from './util.js'

export const schemaDict = {
  AppBskyFeedDefs: {
    lexicon: 1,
    id: 'app.bsky.feed.defs',
    defs: {
      skeletonFeedPost: {
        type: 'object',
        required: ['post'],
        properties: {
          post: {
            type: 'string',
            format: 'at-uri',
          },
          reason: {
            type: 'union',
            refs: [
              'lex:app.bsky.feed.defs#skeletonReasonRepost',
              'lex:app.bsky.feed.defs#skeletonReasonPin',
            ],
          },
          feedContext: {
            type: 'string',
            description:
              'Context that will be passed through to client and may be passed to feed generator back alongside interactions.',
            maxLength: 2000,
          },
        },
      },
      skeletonReasonRepost: {
        type: 'object',
        required: ['repost'],
        properties: {
          repost: {
            type: 'string',
            format: 'at-uri',
          },
        },
      },
      skeletonReasonPin: {
        type: 'object',
        properties: {},
      },
    },
  },
  AppBskyFeedDescribeFeedGenerator: {
    lexicon: 1,
    id: 'app.bsky.feed.describeFeedGenerator',
    defs: {
      main: {
        type: 'query',
        description:
          'Get information about a feed generator, including policies and offered feed URIs. Does not require auth; implemented by Feed Generator services (not App View).',
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['did', 'feeds'],
            properties: {
              did: {
                type: 'string',
                format: 'did',
              },
              feeds: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:app.bsky.feed.describeFeedGenerator#feed',
                },
              },
              links: {
                type: 'ref',
                ref: 'lex:app.bsky.feed.describeFeedGenerator#links',
              },
            },
          },
        },
      },
      feed: {
        type: 'object',
        required: ['uri'],
        properties: {
          uri: {
            type: 'string',
            format: 'at-uri',
          },
        },
      },
      links: {
        type: 'object',
        properties: {
          privacyPolicy: {
            type: 'string',
          },
          termsOfService: {
            type: 'string',
          },
        },
      },
    },
  },
  AppBskyFeedGetFeedSkeleton: {
    lexicon: 1,
    id: 'app.bsky.feed.getFeedSkeleton',
    defs: {
      main: {
        type: 'query',
        description:
          'Get a skeleton of a feed provided by a feed generator. Auth is optional, depending on provider requirements, and provides the DID of the requester. Implemented by Feed Generator Service.',
        parameters: {
          type: 'params',
          required: ['feed'],
          properties: {
            feed: {
              type: 'string',
              format: 'at-uri',
              description:
                'Reference to feed generator record describing the specific feed being requested.',
            },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 50,
            },
            cursor: {
              type: 'string',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['feed'],
            properties: {
              cursor: {
                type: 'string',
              },
              feed: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:app.bsky.feed.defs#skeletonFeedPost',
                },
              },
              reqId: {
                type: 'string',
                description:
                  'Unique identifier per request that may be passed back alongside interactions.',
                maxLength: 100,
              },
            },
          },
        },
        errors: [
          {
            name: 'UnknownFeed',
          },
        ],
      },
    },
  },
  ComAtprotoRepoCreateRecord: {
    lexicon: 1,
    id: 'com.atproto.repo.createRecord',
    defs: {
      main: {
        type: 'procedure',
        description:
          'Create a single new repository record. Requires auth, implemented by PDS.',
        input: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['repo', 'collection', 'record'],
            properties: {
              repo: {
                type: 'string',
                format: 'at-identifier',
                description:
                  'The handle or DID of the repo (aka, current account).',
              },
              collection: {
                type: 'string',
                format: 'nsid',
                description: 'The NSID of the record collection.',
              },
              rkey: {
                type: 'string',
                format: 'record-key',
                description: 'The Record Key.',
                maxLength: 512,
              },
              validate: {
                type: 'boolean',
                description:
                  "Can be set to 'false' to skip Lexicon schema validation of record data, 'true' to require it, or leave unset to validate only for known Lexicons.",
              },
              record: {
                type: 'unknown',
                description: 'The record itself. Must contain a $type field.',
              },
              swapCommit: {
                type: 'string',
                format: 'cid',
                description:
                  'Compare and swap with the previous commit by CID.',
              },
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['uri', 'cid'],
            properties: {
              uri: {
                type: 'string',
                format: 'at-uri',
              },
              cid: {
                type: 'string',
                format: 'cid',
              },
              commit: {
                type: 'ref',
                ref: 'lex:com.atproto.repo.defs#commitMeta',
              },
              validationStatus: {
                type: 'string',
                knownValues: ['valid', 'unknown'],
              },
            },
          },
        },
        errors: [
          {
            name: 'InvalidSwap',
            description:
              "Indicates that 'swapCommit' didn't match current repo commit.",
          },
        ],
      },
    },
  },
  ComAtprotoRepoDefs: {
    lexicon: 1,
    id: 'com.atproto.repo.defs',
    defs: {
      commitMeta: {
        type: 'object',
        required: ['cid', 'rev'],
        properties: {
          cid: {
            type: 'string',
            format: 'cid',
          },
          rev: {
            type: 'string',
            format: 'tid',
          },
        },
      },
    },
  },
  ComAtprotoRepoDeleteRecord: {
    lexicon: 1,
    id: 'com.atproto.repo.deleteRecord',
    defs: {
      main: {
        type: 'procedure',
        description:
          "Delete a repository record, or ensure it doesn't exist. Requires auth, implemented by PDS.",
        input: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['repo', 'collection', 'rkey'],
            properties: {
              repo: {
                type: 'string',
                format: 'at-identifier',
                description:
                  'The handle or DID of the repo (aka, current account).',
              },
              collection: {
                type: 'string',
                format: 'nsid',
                description: 'The NSID of the record collection.',
              },
              rkey: {
                type: 'string',
                format: 'record-key',
                description: 'The Record Key.',
              },
              swapRecord: {
                type: 'string',
                format: 'cid',
                description:
                  'Compare and swap with the previous record by CID.',
              },
              swapCommit: {
                type: 'string',
                format: 'cid',
                description:
                  'Compare and swap with the previous commit by CID.',
              },
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            properties: {
              commit: {
                type: 'ref',
                ref: 'lex:com.atproto.repo.defs#commitMeta',
              },
            },
          },
        },
        errors: [
          {
            name: 'InvalidSwap',
          },
        ],
      },
    },
  },
  ComAtprotoRepoGetRecord: {
    lexicon: 1,
    id: 'com.atproto.repo.getRecord',
    defs: {
      main: {
        type: 'query',
        description:
          'Get a single record from a repository. Does not require auth.',
        parameters: {
          type: 'params',
          required: ['repo', 'collection', 'rkey'],
          properties: {
            repo: {
              type: 'string',
              format: 'at-identifier',
              description: 'The handle or DID of the repo.',
            },
            collection: {
              type: 'string',
              format: 'nsid',
              description: 'The NSID of the record collection.',
            },
            rkey: {
              type: 'string',
              description: 'The Record Key.',
              format: 'record-key',
            },
            cid: {
              type: 'string',
              format: 'cid',
              description:
                'The CID of the version of the record. If not specified, then return the most recent version.',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['uri', 'value'],
            properties: {
              uri: {
                type: 'string',
                format: 'at-uri',
              },
              cid: {
                type: 'string',
                format: 'cid',
              },
              value: {
                type: 'unknown',
              },
            },
          },
        },
        errors: [
          {
            name: 'RecordNotFound',
          },
        ],
      },
    },
  },
  ComAtprotoRepoListRecords: {
    lexicon: 1,
    id: 'com.atproto.repo.listRecords',
    defs: {
      main: {
        type: 'query',
        description:
          'List a range of records in a repository, matching a specific collection. Does not require auth.',
        parameters: {
          type: 'params',
          required: ['repo', 'collection'],
          properties: {
            repo: {
              type: 'string',
              format: 'at-identifier',
              description: 'The handle or DID of the repo.',
            },
            collection: {
              type: 'string',
              format: 'nsid',
              description: 'The NSID of the record type.',
            },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 50,
              description: 'The number of records to return.',
            },
            cursor: {
              type: 'string',
            },
            reverse: {
              type: 'boolean',
              description: 'Flag to reverse the order of the returned records.',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['records'],
            properties: {
              cursor: {
                type: 'string',
              },
              records: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:com.atproto.repo.listRecords#record',
                },
              },
            },
          },
        },
      },
      record: {
        type: 'object',
        required: ['uri', 'cid', 'value'],
        properties: {
          uri: {
            type: 'string',
            format: 'at-uri',
          },
          cid: {
            type: 'string',
            format: 'cid',
          },
          value: {
            type: 'unknown',
          },
        },
      },
    },
  },
  ComAtprotoRepoPutRecord: {
    lexicon: 1,
    id: 'com.atproto.repo.putRecord',
    defs: {
      main: {
        type: 'procedure',
        description:
          'Write a repository record, creating or updating it as needed. Requires auth, implemented by PDS.',
        input: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['repo', 'collection', 'rkey', 'record'],
            nullable: ['swapRecord'],
            properties: {
              repo: {
                type: 'string',
                format: 'at-identifier',
                description:
                  'The handle or DID of the repo (aka, current account).',
              },
              collection: {
                type: 'string',
                format: 'nsid',
                description: 'The NSID of the record collection.',
              },
              rkey: {
                type: 'string',
                format: 'record-key',
                description: 'The Record Key.',
                maxLength: 512,
              },
              validate: {
                type: 'boolean',
                description:
                  "Can be set to 'false' to skip Lexicon schema validation of record data, 'true' to require it, or leave unset to validate only for known Lexicons.",
              },
              record: {
                type: 'unknown',
                description: 'The record to write.',
              },
              swapRecord: {
                type: 'string',
                format: 'cid',
                description:
                  'Compare and swap with the previous record by CID. WARNING: nullable and optional field; may cause problems with golang implementation',
              },
              swapCommit: {
                type: 'string',
                format: 'cid',
                description:
                  'Compare and swap with the previous commit by CID.',
              },
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['uri', 'cid'],
            properties: {
              uri: {
                type: 'string',
                format: 'at-uri',
              },
              cid: {
                type: 'string',
                format: 'cid',
              },
              commit: {
                type: 'ref',
                ref: 'lex:com.atproto.repo.defs#commitMeta',
              },
              validationStatus: {
                type: 'string',
                knownValues: ['valid', 'unknown'],
              },
            },
          },
        },
        errors: [
          {
            name: 'InvalidSwap',
          },
        ],
      },
    },
  },
  ComAtprotoRepoStrongRef: {
    lexicon: 1,
    id: 'com.atproto.repo.strongRef',
    description: 'A URI with a content-hash fingerprint.',
    defs: {
      main: {
        type: 'object',
        required: ['uri', 'cid'],
        properties: {
          uri: {
            type: 'string',
            format: 'at-uri',
          },
          cid: {
            type: 'string',
            format: 'cid',
          },
        },
      },
    },
  },
  ComAtrariumAdminDefs: {
    lexicon: 1,
    id: 'com.atrarium.admin.defs',
    defs: {
      deadLetter: {
        type: 'object',
        description:
          'A queue message that failed every delivery attempt, kept with the error that killed it.',
        required: ['id', 'error', 'attempts', 'deadAt', 'eventCount', 'events'],
        properties: {
          id: {
            type: 'string',
            description: 'Identifies the dead letter for redriveDeadLetters.',
          },
          messageId: {
            type: 'string',
            description: "The queue message's id.",
          },
          error: {
            type: 'string',
            description:
              'The error of the last failed attempt (or of the last redrive).',
          },
          attempts: {
            type: 'integer',
            description: 'Failed attempts, redrives included.',
          },
          failedAt: {
            type: 'string',
            format: 'datetime',
            description: 'When the last attempt failed.',
          },
          deadAt: {
            type: 'string',
            format: 'datetime',
            description: 'When the message reached the dead-letter queue.',
          },
          eventCount: {
            type: 'integer',
          },
          events: {
            type: 'array',
            description: 'What the message carried (first 100 events).',
            items: {
              type: 'ref',
              ref: 'lex:com.atrarium.admin.defs#deadEvent',
            },
          },
        },
      },
      deadEvent: {
        type: 'object',
        description:
          'One Jetstream event of a dead letter, without its record.',
        required: ['kind', 'did', 'timeUs'],
        properties: {
          kind: {
            type: 'string',
            knownValues: ['commit', 'account', 'identity'],
          },
          did: {
            type: 'string',
            format: 'did',
          },
          timeUs: {
            type: 'integer',
          },
          operation: {
            type: 'string',
            knownValues: ['create', 'update', 'delete'],
          },
          uri: {
            type: 'string',
            format: 'at-uri',
            description: 'The record a commit event is about.',
          },
        },
      },
    },
  },
  ComAtrariumAdminGetFirehoseStatus: {
    lexicon: 1,
    id: 'com.atrarium.admin.getFirehoseStatus',
    defs: {
      main: {
        type: 'query',
        description:
          'Status and counters of the Jetstream firehose consumer. Rates are integers (events per second, rounded).',
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: [
              'connected',
              'eventsSeen',
              'eventsKept',
              'eventsSent',
              'queueMessagesSent',
              'reconnects',
            ],
            properties: {
              connected: {
                type: 'boolean',
              },
              url: {
                type: 'string',
                format: 'uri',
              },
              cursor: {
                type: 'integer',
                description: 'Last processed Jetstream time_us.',
              },
              lagSeconds: {
                type: 'integer',
              },
              eventsSeen: {
                type: 'integer',
              },
              eventsKept: {
                type: 'integer',
              },
              eventsSent: {
                type: 'integer',
              },
              queueMessagesSent: {
                type: 'integer',
              },
              reconnects: {
                type: 'integer',
              },
              eventsTooLarge: {
                type: 'integer',
                description:
                  'Events dropped because one alone exceeds a queue message (they never reach the index).',
              },
              eventsMalformed: {
                type: 'integer',
                description:
                  'Frames dropped because they are not Jetstream events.',
              },
              eventsSeenPerSecond: {
                type: 'integer',
              },
              eventsKeptPerSecond: {
                type: 'integer',
              },
              eventsSentPerSecond: {
                type: 'integer',
              },
              lastError: {
                type: 'string',
              },
              startedAt: {
                type: 'string',
                format: 'datetime',
              },
              routing: {
                type: 'ref',
                ref: 'lex:com.atrarium.admin.getFirehoseStatus#routing',
              },
              oldestBufferedMs: {
                type: 'integer',
                description:
                  'How long the oldest event kept by the receiver and not yet accepted by the queue has waited, in milliseconds (absent when none waits).',
              },
              deadLetters: {
                type: 'integer',
                description:
                  'Queue messages that failed every delivery attempt and are kept for redriveDeadLetters.',
              },
              deadLetterEvents: {
                type: 'integer',
                description: 'Events in those dead letters.',
              },
            },
          },
        },
      },
      routing: {
        type: 'object',
        description:
          'What the queue consumer could not route at once. Counts since the index was created, and what waits now. Parked events are applied as soon as their community, hashtag or author is known; posts and author events expire after 10 minutes. Parking is bounded per hashtag, community or author, per author and in total; when full, the oldest events of the author holding the most go first, and every event lost so is counted.',
        required: [
          'unmatched',
          'parkedPosts',
          'parkedByDid',
          'parkedForCommunity',
          'waitingPosts',
          'waitingByDid',
          'waitingForCommunity',
        ],
        properties: {
          unmatched: {
            type: 'integer',
            description:
              "Posts that passed the receiver's filter but carry no valid community hashtag.",
          },
          parkedPosts: {
            type: 'integer',
            description:
              'Posts parked because no community held their hashtag yet.',
          },
          parkedByDid: {
            type: 'integer',
            description:
              'Deletes and edits parked because no community knew their author yet.',
          },
          parkedForCommunity: {
            type: 'integer',
            description:
              "Memberships and actions parked because their community's config had not been seen yet.",
          },
          waitingPosts: {
            type: 'integer',
          },
          waitingByDid: {
            type: 'integer',
          },
          waitingForCommunity: {
            type: 'integer',
          },
          evictedPosts: {
            type: 'integer',
            description:
              'Parked posts pushed out by a bound before a community took them.',
          },
          evictedByDid: {
            type: 'integer',
            description:
              'Parked deletes and edits pushed out by a bound before a community took them.',
          },
          evictedForCommunity: {
            type: 'integer',
            description:
              'Parked memberships and actions pushed out by a bound before their community was met.',
          },
          expiredPosts: {
            type: 'integer',
            description:
              'Parked posts that expired before any community held their hashtag.',
          },
          expiredByDid: {
            type: 'integer',
            description:
              'Parked deletes and edits that expired before any community knew their author.',
          },
        },
      },
    },
  },
  ComAtrariumAdminGetMetrics: {
    lexicon: 1,
    id: 'com.atrarium.admin.getMetrics',
    defs: {
      main: {
        type: 'query',
        description:
          "The numbers an operator watches: each XRPC method's request count and latency percentiles over the last minutes, measured in the Worker and summed over its isolates, and per community the posts admitted and refused and the moderation actions rejected. The firehose's own numbers are in getFirehoseStatus.",
        parameters: {
          type: 'params',
          properties: {
            minutes: {
              type: 'integer',
              minimum: 1,
              maximum: 60,
              default: 5,
              description:
                'The window of the request numbers, in minutes (the current minute included).',
            },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 50,
              description: 'Communities per page.',
            },
            cursor: {
              type: 'string',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['minutes', 'requests', 'communities'],
            properties: {
              minutes: {
                type: 'integer',
              },
              requests: {
                type: 'array',
                description:
                  'One entry per method called in the window (the first page only).',
                items: {
                  type: 'ref',
                  ref: 'lex:com.atrarium.admin.getMetrics#methodLatency',
                },
              },
              communities: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:com.atrarium.admin.getMetrics#communityCounts',
                },
              },
              cursor: {
                type: 'string',
              },
            },
          },
        },
      },
      methodLatency: {
        type: 'object',
        description:
          'Percentiles are upper edges of histogram buckets about 4% wide, in whole milliseconds.',
        required: [
          'method',
          'requests',
          'clientErrors',
          'serverErrors',
          'p50Ms',
          'p90Ms',
          'p99Ms',
          'maxMs',
        ],
        properties: {
          method: {
            type: 'string',
            format: 'nsid',
          },
          requests: {
            type: 'integer',
          },
          clientErrors: {
            type: 'integer',
            description:
              'Answers 400-499 (for the feed: UnknownFeed, a malformed cursor, a bad service-auth token).',
          },
          serverErrors: {
            type: 'integer',
            description: 'Answers 500 and above.',
          },
          p50Ms: {
            type: 'integer',
          },
          p90Ms: {
            type: 'integer',
          },
          p99Ms: {
            type: 'integer',
          },
          maxMs: {
            type: 'integer',
          },
        },
      },
      communityCounts: {
        type: 'object',
        description:
          "Posts are those of the 7-day window that carry the community's hashtag.",
        required: [
          'uri',
          'name',
          'hashtag',
          'members',
          'postsAdmitted',
          'postsRefused',
          'postsHidden',
          'actionsRejected',
          'invalidRecords',
        ],
        properties: {
          uri: {
            type: 'string',
            format: 'at-uri',
          },
          name: {
            type: 'string',
          },
          hashtag: {
            type: 'string',
          },
          members: {
            type: 'integer',
          },
          postsAdmitted: {
            type: 'integer',
            description:
              'Posts whose author was an unblocked member when they were made (shown or hidden).',
          },
          postsRefused: {
            type: 'integer',
            description:
              'Posts whose author was not an unblocked member when they were made.',
          },
          postsHidden: {
            type: 'integer',
            description: 'Admitted posts a moderator hid.',
          },
          actionsRejected: {
            type: 'integer',
            description:
              'Moderation actions kept but not applied: their author is not a moderator now.',
          },
          invalidRecords: {
            type: 'integer',
            description:
              'Records refused by validation since the community was indexed.',
          },
        },
      },
    },
  },
  ComAtrariumAdminListDeadLetters: {
    lexicon: 1,
    id: 'com.atrarium.admin.listDeadLetters',
    defs: {
      main: {
        type: 'query',
        description:
          'List the firehose queue messages that failed every delivery attempt, newest first. The store is bounded: the oldest go first once it holds more than 10,000 events.',
        parameters: {
          type: 'params',
          properties: {
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 20,
            },
            cursor: {
              type: 'string',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['deadLetters', 'total', 'totalEvents', 'dropped'],
            properties: {
              deadLetters: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:com.atrarium.admin.defs#deadLetter',
                },
              },
              cursor: {
                type: 'string',
              },
              total: {
                type: 'integer',
                description: 'Dead letters kept.',
              },
              totalEvents: {
                type: 'integer',
                description: 'Events in them.',
              },
              dropped: {
                type: 'integer',
                description:
                  'Dead letters dropped so far to keep the store bounded.',
              },
            },
          },
        },
      },
    },
  },
  ComAtrariumAdminRedriveDeadLetters: {
    lexicon: 1,
    id: 'com.atrarium.admin.redriveDeadLetters',
    defs: {
      main: {
        type: 'procedure',
        description:
          "Re-apply dead letters through the queue consumer's normal path, oldest first: the given ones, or the oldest 100 when none are given (call again while `remaining` is above zero). A dead letter that applies is removed; one that fails again stays, with its new error.",
        input: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            properties: {
              ids: {
                type: 'array',
                maxLength: 100,
                items: {
                  type: 'string',
                },
              },
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['redriven', 'failed', 'remaining', 'results'],
            properties: {
              redriven: {
                type: 'integer',
                description: 'Dead letters applied and removed.',
              },
              failed: {
                type: 'integer',
                description: 'Dead letters that failed again (kept).',
              },
              remaining: {
                type: 'integer',
                description: 'Dead letters still kept.',
              },
              results: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:com.atrarium.admin.redriveDeadLetters#result',
                },
              },
            },
          },
        },
      },
      result: {
        type: 'object',
        required: ['id', 'status'],
        properties: {
          id: {
            type: 'string',
          },
          status: {
            type: 'string',
            knownValues: ['redriven', 'failed', 'notFound'],
          },
          error: {
            type: 'string',
          },
        },
      },
    },
  },
  ComAtrariumAdminResyncCommunity: {
    lexicon: 1,
    id: 'com.atrarium.admin.resyncCommunity',
    defs: {
      main: {
        type: 'procedure',
        description:
          "Rebuild a community's index from the records in the repos.",
        input: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['community'],
            properties: {
              community: {
                type: 'string',
                format: 'at-uri',
                description: 'AT-URI of the community config record.',
              },
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: [
              'community',
              'added',
              'removed',
              'unchanged',
              'unreachable',
            ],
            properties: {
              community: {
                type: 'string',
                format: 'at-uri',
              },
              added: {
                type: 'integer',
              },
              removed: {
                type: 'integer',
              },
              unchanged: {
                type: 'integer',
              },
              unreachable: {
                type: 'integer',
              },
              reposCut: {
                type: 'integer',
                description:
                  "Repos read only up to the page cap (50 pages of 100 records per repo): records beyond it were not read, and none of that repo's records were removed on their account.",
              },
              cutDids: {
                type: 'array',
                items: {
                  type: 'string',
                  format: 'did',
                },
                maxLength: 20,
                description: 'The DIDs of those repos (the first 20).',
              },
            },
          },
        },
        errors: [
          {
            name: 'CommunityNotFound',
            description: 'No community is indexed at that AT-URI.',
          },
          {
            name: 'UnknownDid',
            description:
              "The owner's DID does not exist (the PLC directory or did:web host says it is not there), or its DID document names no PDS (HTTP 400). Retrying will not help.",
          },
          {
            name: 'PdsUnreachable',
            description: "The author's PDS could not be reached (HTTP 502).",
          },
          {
            name: 'PdsRefused',
            description:
              'The DID document names a PDS endpoint, or the PDS redirects to an address, that the Worker refuses to contact: private, loopback, link-local, unique-local, unspecified or plain http (HTTP 502).',
          },
          {
            name: 'DidResolutionFailed',
            description:
              "The author's DID could not be resolved because of an outage: its directory or did:web host timed out, failed (5xx) or could not be reached, or was refused by the address guard (HTTP 502). Retrying later may help.",
          },
        ],
      },
    },
  },
  ComAtrariumAdminStartFirehose: {
    lexicon: 1,
    id: 'com.atrarium.admin.startFirehose',
    defs: {
      main: {
        type: 'procedure',
        description:
          'Start (or ensure running) the Jetstream firehose consumer.',
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['started'],
            properties: {
              started: {
                type: 'boolean',
              },
              url: {
                type: 'string',
              },
            },
          },
        },
      },
    },
  },
  ComAtrariumAuthManager: {
    lexicon: 1,
    id: 'com.atrarium.authManager',
    defs: {
      main: {
        type: 'permission-set',
        title: 'Run Atrarium communities',
        detail:
          'Create and change the communities you own (their config records), write moderation actions, read the moderation log and the join requests of communities you moderate, and ask Atrarium to index these records.',
        permissions: [
          {
            type: 'permission',
            resource: 'repo',
            collection: [
              'com.atrarium.community.config',
              'com.atrarium.moderation.action',
            ],
          },
          {
            type: 'permission',
            resource: 'rpc',
            inheritAud: true,
            lxm: [
              'com.atrarium.moderation.getActions',
              'com.atrarium.community.getJoinRequests',
              'com.atrarium.sync.requestIndex',
            ],
          },
        ],
      },
    },
  },
  ComAtrariumAuthMember: {
    lexicon: 1,
    id: 'com.atrarium.authMember',
    defs: {
      main: {
        type: 'permission-set',
        title: 'Take part in Atrarium communities',
        detail:
          'Read communities and their members, join and leave communities (membership records in your repository), and ask Atrarium to index what you write.',
        permissions: [
          {
            type: 'permission',
            resource: 'repo',
            collection: ['com.atrarium.community.membership'],
          },
          {
            type: 'permission',
            resource: 'rpc',
            inheritAud: true,
            lxm: [
              'com.atrarium.community.getCommunity',
              'com.atrarium.community.listCommunities',
              'com.atrarium.community.getMembers',
              'com.atrarium.community.getMembership',
              'com.atrarium.sync.requestIndex',
            ],
          },
        ],
      },
    },
  },
  ComAtrariumCommunityConfig: {
    lexicon: 1,
    id: 'com.atrarium.community.config',
    defs: {
      main: {
        type: 'record',
        key: 'tid',
        description:
          "A community's configuration, published in the owner's repo. The AT-URI of this record identifies the community; its feed generator record has the same rkey in the owner's repo.",
        record: {
          type: 'object',
          required: ['name', 'hashtag', 'stage', 'createdAt'],
          properties: {
            name: {
              type: 'string',
              maxLength: 200,
              maxGraphemes: 100,
              description: 'Display name of the community.',
            },
            description: {
              type: 'string',
              maxLength: 2000,
              maxGraphemes: 1000,
              description: 'Public description of the community.',
            },
            hashtag: {
              type: 'string',
              minLength: 13,
              maxLength: 13,
              description:
                'Community hashtag: "#atr_" followed by 8 lowercase hex characters (format checked in code).',
            },
            stage: {
              type: 'string',
              knownValues: ['theme', 'community', 'graduated'],
              description: 'Growth stage of the community.',
            },
            moderators: {
              type: 'array',
              maxLength: 50,
              items: {
                type: 'string',
                format: 'did',
              },
              description:
                'DIDs of moderators. The owner is always a moderator.',
            },
            blocklist: {
              type: 'array',
              maxLength: 1000,
              items: {
                type: 'string',
                format: 'did',
              },
              description: 'DIDs blocked from the community.',
            },
            feedMix: {
              type: 'ref',
              ref: 'lex:com.atrarium.community.config#feedMix',
            },
            parentCommunity: {
              type: 'string',
              format: 'at-uri',
              description: 'AT-URI of the parent community config, if any.',
            },
            joinPolicy: {
              type: 'string',
              knownValues: ['open', 'approval'],
              description:
                "Who becomes a member by writing a membership record; absent means open. open: anyone. approval: a member counts (is listed, their posts shown) only while a moderator's approve_member for them is in force; the owner and moderators need no approval. Judged against the current config.",
            },
            feedVisibility: {
              type: 'string',
              knownValues: ['public', 'members'],
              description:
                'Who gets the whole feed; absent means public. public: everyone. members: only a request signed (service auth) by a visible member; everyone else gets the pinned posts alone. The posts stay public on the network: this curates who gets the feed, it is not privacy.',
            },
            rules: {
              type: 'array',
              maxLength: 10,
              items: {
                type: 'string',
                maxLength: 3000,
                maxGraphemes: 300,
              },
              description: "The community's rules, shown where people join.",
            },
            createdAt: {
              type: 'string',
              format: 'datetime',
            },
            updatedAt: {
              type: 'string',
              format: 'datetime',
            },
          },
        },
      },
      feedMix: {
        type: 'object',
        description:
          'Share (percent) of feed items from this community, its parent and the global pool. The three values must sum to 100 (checked in code).',
        required: ['own', 'parent', 'global'],
        properties: {
          own: {
            type: 'integer',
            minimum: 0,
            maximum: 100,
          },
          parent: {
            type: 'integer',
            minimum: 0,
            maximum: 100,
          },
          global: {
            type: 'integer',
            minimum: 0,
            maximum: 100,
          },
        },
      },
    },
  },
  ComAtrariumCommunityDefs: {
    lexicon: 1,
    id: 'com.atrarium.community.defs',
    defs: {
      communityView: {
        type: 'object',
        description: 'An indexed community.',
        required: [
          'uri',
          'cid',
          'owner',
          'name',
          'hashtag',
          'stage',
          'moderators',
          'feed',
          'memberCount',
          'postCount',
          'createdAt',
          'indexedAt',
        ],
        properties: {
          uri: {
            type: 'string',
            format: 'at-uri',
            description: 'AT-URI of the community config record.',
          },
          cid: {
            type: 'string',
            format: 'cid',
          },
          owner: {
            type: 'string',
            format: 'did',
            description: 'DID of the owner (the repo holding the config).',
          },
          name: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          hashtag: {
            type: 'string',
          },
          stage: {
            type: 'string',
            knownValues: ['theme', 'community', 'graduated'],
          },
          moderators: {
            type: 'array',
            items: {
              type: 'string',
              format: 'did',
            },
          },
          feed: {
            type: 'string',
            format: 'at-uri',
            description:
              'AT-URI of the feed generator record (same rkey in the owner repo).',
          },
          memberCount: {
            type: 'integer',
            minimum: 0,
          },
          postCount: {
            type: 'integer',
            minimum: 0,
          },
          hiddenCount: {
            type: 'integer',
            minimum: 0,
          },
          rejectedActions: {
            type: 'integer',
            minimum: 0,
          },
          parentCommunity: {
            type: 'string',
            format: 'at-uri',
          },
          feedMix: {
            type: 'ref',
            ref: 'lex:com.atrarium.community.config#feedMix',
          },
          joinPolicy: {
            type: 'string',
            knownValues: ['open', 'approval'],
            description: 'From the config; open when the config does not say.',
          },
          feedVisibility: {
            type: 'string',
            knownValues: ['public', 'members'],
            description:
              'From the config; public when the config does not say.',
          },
          rules: {
            type: 'array',
            items: {
              type: 'string',
            },
            description: "The community's rules, from the config.",
          },
          pinnedPosts: {
            type: 'array',
            maxLength: 3,
            items: {
              type: 'ref',
              ref: 'lex:com.atrarium.community.defs#pinView',
            },
            description:
              'The posts pinned to the top of the feed, most recently pinned first (at most 3; only posts that are otherwise in the feed).',
          },
          createdAt: {
            type: 'string',
            format: 'datetime',
          },
          indexedAt: {
            type: 'string',
            format: 'datetime',
            description: 'When the index last saw the config record.',
          },
        },
      },
      memberView: {
        type: 'object',
        description: 'A member of a community.',
        required: ['did', 'role', 'joinedAt'],
        properties: {
          did: {
            type: 'string',
            format: 'did',
          },
          role: {
            type: 'string',
            knownValues: ['owner', 'moderator', 'member'],
            description:
              'Effective role, from the config (not the membership claim).',
          },
          joinedAt: {
            type: 'string',
            format: 'datetime',
          },
          uri: {
            type: 'string',
            format: 'at-uri',
            description: 'AT-URI of the membership record.',
          },
        },
      },
      actionView: {
        type: 'object',
        description:
          'An indexed moderation action and how the index treated it.',
        required: [
          'uri',
          'cid',
          'author',
          'action',
          'target',
          'createdAt',
          'indexedAt',
          'status',
        ],
        properties: {
          uri: {
            type: 'string',
            format: 'at-uri',
          },
          cid: {
            type: 'string',
            format: 'cid',
          },
          author: {
            type: 'string',
            format: 'did',
          },
          action: {
            type: 'string',
            knownValues: [
              'hide_post',
              'unhide_post',
              'block_user',
              'unblock_user',
              'approve_member',
              'unapprove_member',
              'pin_post',
              'unpin_post',
            ],
          },
          target: {
            type: 'union',
            refs: [
              'lex:com.atrarium.moderation.action#postTarget',
              'lex:com.atrarium.moderation.action#userTarget',
            ],
          },
          reason: {
            type: 'string',
          },
          expiresAt: {
            type: 'string',
            format: 'datetime',
            description: 'When a timed block_user ends.',
          },
          createdAt: {
            type: 'string',
            format: 'datetime',
          },
          indexedAt: {
            type: 'string',
            format: 'datetime',
          },
          status: {
            type: 'string',
            knownValues: ['applied', 'rejected', 'superseded'],
          },
          undoneBy: {
            type: 'ref',
            ref: 'lex:com.atrarium.community.defs#actionRef',
            description:
              'The counting action that undid this one (an unhide after a hide, an unblock after a block, and so on), when one did.',
          },
        },
      },
      pinView: {
        type: 'object',
        description: 'A pinned post.',
        required: ['uri', 'pinnedBy', 'pinnedAt'],
        properties: {
          uri: {
            type: 'string',
            format: 'at-uri',
          },
          cid: {
            type: 'string',
            format: 'cid',
          },
          pinnedBy: {
            type: 'string',
            format: 'did',
            description: 'The moderator whose pin_post counts.',
          },
          pinnedAt: {
            type: 'string',
            format: 'datetime',
            description: 'Effective time of the counting pin_post.',
          },
        },
      },
      actionRef: {
        type: 'object',
        description: 'A reference to a moderation action.',
        required: ['uri', 'author', 'action', 'createdAt'],
        properties: {
          uri: {
            type: 'string',
            format: 'at-uri',
          },
          author: {
            type: 'string',
            format: 'did',
          },
          action: {
            type: 'string',
          },
          createdAt: {
            type: 'string',
            format: 'datetime',
          },
        },
      },
      joinRequestView: {
        type: 'object',
        description: 'A member waiting for approval.',
        required: ['did', 'joinedAt', 'membership', 'heldPosts'],
        properties: {
          did: {
            type: 'string',
            format: 'did',
          },
          joinedAt: {
            type: 'string',
            format: 'datetime',
          },
          membership: {
            type: 'string',
            format: 'at-uri',
            description: 'AT-URI of the membership record.',
          },
          heldPosts: {
            type: 'integer',
            minimum: 0,
            description:
              'Posts with the community hashtag held until approval.',
          },
        },
      },
    },
  },
  ComAtrariumCommunityGetCommunity: {
    lexicon: 1,
    id: 'com.atrarium.community.getCommunity',
    defs: {
      main: {
        type: 'query',
        description: 'Get one indexed community.',
        parameters: {
          type: 'params',
          required: ['community'],
          properties: {
            community: {
              type: 'string',
              format: 'at-uri',
              description: 'AT-URI of the community config record.',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'ref',
            ref: 'lex:com.atrarium.community.defs#communityView',
          },
        },
        errors: [
          {
            name: 'CommunityNotFound',
            description: 'No community is indexed at that AT-URI.',
          },
          {
            name: 'HashtagTaken',
            description:
              "The community's config names a hashtag that another community's config was observed naming first; its feed is not served. The message names the holder.",
          },
        ],
      },
    },
  },
  ComAtrariumCommunityGetJoinRequests: {
    lexicon: 1,
    id: 'com.atrarium.community.getJoinRequests',
    defs: {
      main: {
        type: 'query',
        description:
          'List the members waiting for approval in a community whose joinPolicy is approval, oldest first. Only the owner and moderators may call it (service auth).',
        parameters: {
          type: 'params',
          required: ['community'],
          properties: {
            community: {
              type: 'string',
              format: 'at-uri',
              description: 'AT-URI of the community config record.',
            },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 50,
            },
            cursor: {
              type: 'string',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['requests'],
            properties: {
              requests: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:com.atrarium.community.defs#joinRequestView',
                },
              },
              cursor: {
                type: 'string',
              },
            },
          },
        },
        errors: [
          {
            name: 'CommunityNotFound',
            description: 'No community is indexed at that AT-URI.',
          },
        ],
      },
    },
  },
  ComAtrariumCommunityGetMembers: {
    lexicon: 1,
    id: 'com.atrarium.community.getMembers',
    defs: {
      main: {
        type: 'query',
        description: 'List the members of a community.',
        parameters: {
          type: 'params',
          required: ['community'],
          properties: {
            community: {
              type: 'string',
              format: 'at-uri',
              description: 'AT-URI of the community config record.',
            },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 50,
            },
            cursor: {
              type: 'string',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['members'],
            properties: {
              members: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:com.atrarium.community.defs#memberView',
                },
              },
              cursor: {
                type: 'string',
              },
            },
          },
        },
        errors: [
          {
            name: 'CommunityNotFound',
            description: 'No community is indexed at that AT-URI.',
          },
        ],
      },
    },
  },
  ComAtrariumCommunityGetMembership: {
    lexicon: 1,
    id: 'com.atrarium.community.getMembership',
    defs: {
      main: {
        type: 'query',
        description: "Get an account's membership status in a community.",
        parameters: {
          type: 'params',
          required: ['community', 'actor'],
          properties: {
            community: {
              type: 'string',
              format: 'at-uri',
              description: 'AT-URI of the community config record.',
            },
            actor: {
              type: 'string',
              format: 'did',
              description: 'DID of the account.',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['community', 'actor', 'status'],
            properties: {
              community: {
                type: 'string',
                format: 'at-uri',
              },
              actor: {
                type: 'string',
                format: 'did',
              },
              status: {
                type: 'string',
                knownValues: [
                  'member',
                  'pending',
                  'invited',
                  'blocked',
                  'left',
                  'none',
                ],
                description:
                  "member: visible member. pending: has joined a community under joinPolicy approval and waits for a moderator's approval. invited: approved by a moderator but has not joined yet. blocked: blocked now. left: had a membership that ended. none: never joined.",
              },
              role: {
                type: 'string',
                knownValues: ['owner', 'moderator', 'member'],
                description: 'Effective role, when the actor is a member.',
              },
              uri: {
                type: 'string',
                format: 'at-uri',
                description:
                  'AT-URI of the membership record, when there is one.',
              },
            },
          },
        },
        errors: [
          {
            name: 'CommunityNotFound',
            description: 'No community is indexed at that AT-URI.',
          },
        ],
      },
    },
  },
  ComAtrariumCommunityListCommunities: {
    lexicon: 1,
    id: 'com.atrarium.community.listCommunities',
    defs: {
      main: {
        type: 'query',
        description: 'List indexed communities.',
        parameters: {
          type: 'params',
          properties: {
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 50,
            },
            cursor: {
              type: 'string',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['communities'],
            properties: {
              communities: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:com.atrarium.community.defs#communityView',
                },
              },
              cursor: {
                type: 'string',
              },
            },
          },
        },
      },
    },
  },
  ComAtrariumCommunityMembership: {
    lexicon: 1,
    id: 'com.atrarium.community.membership',
    defs: {
      main: {
        type: 'record',
        key: 'tid',
        description:
          "A member's claim of membership in a community, published in the member's repo. The role is a claim only and grants nothing; deleting the record or setting active to false means leaving.",
        record: {
          type: 'object',
          required: ['community', 'role', 'joinedAt'],
          properties: {
            community: {
              type: 'string',
              format: 'at-uri',
              description: 'AT-URI of the community config record.',
            },
            role: {
              type: 'string',
              knownValues: ['owner', 'moderator', 'member'],
              description:
                'Claimed role (informational; effective roles come from the config).',
            },
            joinedAt: {
              type: 'string',
              format: 'datetime',
            },
            active: {
              type: 'boolean',
              default: true,
              description: 'False means the member has left.',
            },
            invitedBy: {
              type: 'string',
              format: 'did',
              description: 'DID of the inviter, if any.',
            },
          },
        },
      },
    },
  },
  ComAtrariumModerationAction: {
    lexicon: 1,
    id: 'com.atrarium.moderation.action',
    defs: {
      main: {
        type: 'record',
        key: 'tid',
        description:
          "A moderation action, published in the moderator's repo. It counts only if its author is a moderator of the community at the time it is applied.",
        record: {
          type: 'object',
          required: ['community', 'action', 'target', 'createdAt'],
          properties: {
            community: {
              type: 'string',
              format: 'at-uri',
              description: 'AT-URI of the community config record.',
            },
            action: {
              type: 'string',
              knownValues: [
                'hide_post',
                'unhide_post',
                'block_user',
                'unblock_user',
                'approve_member',
                'unapprove_member',
                'pin_post',
                'unpin_post',
              ],
              description:
                'hide_post, unhide_post, pin_post and unpin_post take a #postTarget; block_user, unblock_user, approve_member and unapprove_member a #userTarget. Between counting actions on one target the last write wins (effective time, then record key, then author). An approve_member written before the person joins is an invitation.',
            },
            target: {
              type: 'union',
              refs: [
                'lex:com.atrarium.moderation.action#postTarget',
                'lex:com.atrarium.moderation.action#userTarget',
              ],
            },
            reason: {
              type: 'string',
              maxLength: 3000,
              maxGraphemes: 300,
              description: 'Public reason for the action.',
            },
            expiresAt: {
              type: 'string',
              format: 'datetime',
              description:
                'Only with block_user: the block ends by itself at this time (the account is back at expiresAt).',
            },
            createdAt: {
              type: 'string',
              format: 'datetime',
            },
          },
        },
      },
      postTarget: {
        type: 'object',
        description: 'A post targeted by a moderation action.',
        required: ['uri', 'cid'],
        properties: {
          uri: {
            type: 'string',
            format: 'at-uri',
          },
          cid: {
            type: 'string',
            format: 'cid',
          },
        },
      },
      userTarget: {
        type: 'object',
        description: 'An account targeted by a moderation action.',
        required: ['did'],
        properties: {
          did: {
            type: 'string',
            format: 'did',
          },
        },
      },
    },
  },
  ComAtrariumModerationGetActions: {
    lexicon: 1,
    id: 'com.atrarium.moderation.getActions',
    defs: {
      main: {
        type: 'query',
        description:
          'List moderation actions for a community, including rejected and superseded ones. Only the owner and moderators may call it (service auth).',
        parameters: {
          type: 'params',
          required: ['community'],
          properties: {
            community: {
              type: 'string',
              format: 'at-uri',
              description: 'AT-URI of the community config record.',
            },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 50,
            },
            cursor: {
              type: 'string',
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['actions'],
            properties: {
              actions: {
                type: 'array',
                items: {
                  type: 'ref',
                  ref: 'lex:com.atrarium.community.defs#actionView',
                },
              },
              cursor: {
                type: 'string',
              },
            },
          },
        },
        errors: [
          {
            name: 'CommunityNotFound',
            description: 'No community is indexed at that AT-URI.',
          },
        ],
      },
    },
  },
  ComAtrariumSyncRequestIndex: {
    lexicon: 1,
    id: 'com.atrarium.sync.requestIndex',
    defs: {
      main: {
        type: 'procedure',
        description:
          "Ask the index to fetch a record from its author's PDS and apply it now (or remove it if it no longer exists).",
        input: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['uri'],
            properties: {
              uri: {
                type: 'string',
                format: 'at-uri',
                description: 'AT-URI of a com.atrarium.* record.',
              },
            },
          },
        },
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['uri', 'status'],
            properties: {
              uri: {
                type: 'string',
                format: 'at-uri',
              },
              status: {
                type: 'string',
                knownValues: ['indexed', 'deleted', 'rejected'],
              },
              reason: {
                type: 'string',
                description: 'Why the record was rejected, if it was.',
              },
            },
          },
        },
        errors: [
          {
            name: 'UnsupportedCollection',
            description: 'The URI is not a com.atrarium.* record collection.',
          },
          {
            name: 'UnknownDid',
            description:
              "The author's DID does not exist (the PLC directory or did:web host says it is not there), or its DID document names no PDS (HTTP 400). Retrying will not help.",
          },
          {
            name: 'PdsUnreachable',
            description: "The author's PDS could not be reached.",
          },
          {
            name: 'PdsRefused',
            description:
              'The DID document names a PDS endpoint, or the PDS redirects to an address, that the Worker refuses to contact: private, loopback, link-local, unique-local, unspecified or plain http (HTTP 502).',
          },
          {
            name: 'DidResolutionFailed',
            description:
              "The author's DID could not be resolved because of an outage: its directory or did:web host timed out, failed (5xx) or could not be reached, or was refused by the address guard (HTTP 502). Retrying later may help.",
          },
        ],
      },
    },
  },
} as const satisfies Record<string, LexiconDoc>
export const schemas = Object.values(schemaDict) satisfies LexiconDoc[]
export const lexicons: Lexicons = new Lexicons(schemas)

export function validate<T extends { $type: string }>(
  v: unknown,
  id: string,
  hash: string,
  requiredType: true,
): ValidationResult<T>
export function validate<T extends { $type?: string }>(
  v: unknown,
  id: string,
  hash: string,
  requiredType?: false,
): ValidationResult<T>
export function validate(
  v: unknown,
  id: string,
  hash: string,
  requiredType?: boolean,
): ValidationResult {
  return (requiredType ? is$typed : maybe$typed)(v, id, hash)
    ? lexicons.validate(`${id}#${hash}`, v)
    : {
        success: false,
        error: new ValidationError(
          `Must be an object with "${hash === 'main' ? id : `${id}#${hash}`}" $type property`,
        ),
      }
}

export const ids = {
  AppBskyFeedDefs: 'app.bsky.feed.defs',
  AppBskyFeedDescribeFeedGenerator: 'app.bsky.feed.describeFeedGenerator',
  AppBskyFeedGetFeedSkeleton: 'app.bsky.feed.getFeedSkeleton',
  ComAtprotoRepoCreateRecord: 'com.atproto.repo.createRecord',
  ComAtprotoRepoDefs: 'com.atproto.repo.defs',
  ComAtprotoRepoDeleteRecord: 'com.atproto.repo.deleteRecord',
  ComAtprotoRepoGetRecord: 'com.atproto.repo.getRecord',
  ComAtprotoRepoListRecords: 'com.atproto.repo.listRecords',
  ComAtprotoRepoPutRecord: 'com.atproto.repo.putRecord',
  ComAtprotoRepoStrongRef: 'com.atproto.repo.strongRef',
  ComAtrariumAdminDefs: 'com.atrarium.admin.defs',
  ComAtrariumAdminGetFirehoseStatus: 'com.atrarium.admin.getFirehoseStatus',
  ComAtrariumAdminGetMetrics: 'com.atrarium.admin.getMetrics',
  ComAtrariumAdminListDeadLetters: 'com.atrarium.admin.listDeadLetters',
  ComAtrariumAdminRedriveDeadLetters: 'com.atrarium.admin.redriveDeadLetters',
  ComAtrariumAdminResyncCommunity: 'com.atrarium.admin.resyncCommunity',
  ComAtrariumAdminStartFirehose: 'com.atrarium.admin.startFirehose',
  ComAtrariumAuthManager: 'com.atrarium.authManager',
  ComAtrariumAuthMember: 'com.atrarium.authMember',
  ComAtrariumCommunityConfig: 'com.atrarium.community.config',
  ComAtrariumCommunityDefs: 'com.atrarium.community.defs',
  ComAtrariumCommunityGetCommunity: 'com.atrarium.community.getCommunity',
  ComAtrariumCommunityGetJoinRequests: 'com.atrarium.community.getJoinRequests',
  ComAtrariumCommunityGetMembers: 'com.atrarium.community.getMembers',
  ComAtrariumCommunityGetMembership: 'com.atrarium.community.getMembership',
  ComAtrariumCommunityListCommunities: 'com.atrarium.community.listCommunities',
  ComAtrariumCommunityMembership: 'com.atrarium.community.membership',
  ComAtrariumModerationAction: 'com.atrarium.moderation.action',
  ComAtrariumModerationGetActions: 'com.atrarium.moderation.getActions',
  ComAtrariumSyncRequestIndex: 'com.atrarium.sync.requestIndex',
} as const
