// The shapes that travel along the data path:
//   Jetstream JSON -> (stage 1) queue message -> (stage 2) IndexEvent -> CommunityFeed

/** A Jetstream v1 event, as it arrives on the socket. */
export interface JetstreamCommitEvent {
  did: string;
  time_us: number;
  kind: "commit";
  commit: {
    rev: string;
    operation: "create" | "update" | "delete";
    collection: string;
    rkey: string;
    record?: Record<string, unknown>;
    cid?: string;
  };
}
export interface JetstreamAccountEvent {
  did: string;
  time_us: number;
  kind: "account";
  account: { active: boolean; did: string; seq: number; time: string; status?: string };
}
export interface JetstreamIdentityEvent {
  did: string;
  time_us: number;
  kind: "identity";
  identity: { did: string; handle?: string; seq: number; time: string };
}
export type JetstreamEvent = JetstreamCommitEvent | JetstreamAccountEvent | JetstreamIdentityEvent;

/** One queue message: the events of one flush that passed stage 1. */
export interface QueueMessageBody {
  events: JetstreamEvent[];
}

/**
 * The single input of the community index. `time` orders versions of one
 * record (Jetstream's time_us, or the fetch time for requestIndex/resync).
 */
export interface RecordEvent {
  kind: "record";
  did: string;
  collection: string;
  rkey: string;
  operation: "create" | "update" | "delete";
  record?: unknown;
  cid?: string;
  time: number;
}
export interface AccountEvent {
  kind: "account";
  did: string;
  active: boolean;
  time: number;
}
export type IndexEvent = RecordEvent | AccountEvent;
