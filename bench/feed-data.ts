// bench:feed's data: a community of members (a few blocked) and its posts,
// hides and config as the record events the queue consumer hands a community.
import type { RecordEvent } from "../src/firehose/events.ts";

export const MEMBERS = 200;
export const BLOCKED = 5;

export const CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
export const WINDOW_MS = 6 * 24 * 60 * 60 * 1000; // posts spread over six of the seven days

export interface Scenario {
  uri: string;
  owner: string;
  hashtag: string;
  members: string[];
  blocked: Set<string>;
  posts: number;
  start: number;
  postUri(i: number): string;
  author(i: number): string;
  createdMs(i: number): number;
  visible(i: number): boolean;
}

export function scenario(name: string, posts: number, hashtag: string): Scenario {
  const owner = `did:plc:benchowner${name}`;
  const members = Array.from(
    { length: MEMBERS },
    (_, i) => `did:plc:bench${name}m${String(i).padStart(3, "0")}`,
  );
  const blocked = new Set(members.slice(0, BLOCKED));
  const start = Date.now() - WINDOW_MS;
  const s: Scenario = {
    uri: `at://${owner}/com.atrarium.community.config/3lbench${name}`,
    owner,
    hashtag,
    members,
    blocked,
    posts,
    start,
    postUri: (i) => `at://${s.author(i)}/app.bsky.feed.post/3p${i.toString(36).padStart(8, "0")}`,
    author: (i) => members[i % MEMBERS] as string,
    createdMs: (i) => start + Math.floor((i * WINDOW_MS) / posts),
    visible: (i) => i % 10 !== 7 && !blocked.has(s.author(i)),
  };
  return s;
}

export const T0 = Date.now() * 1000;

export function configEvent(s: Scenario, extra: Record<string, unknown> = {}): RecordEvent {
  return {
    kind: "record",
    did: s.owner,
    collection: "com.atrarium.community.config",
    rkey: s.uri.split("/").pop() as string,
    operation: "create",
    cid: CID, // a real CID: views carry it, and lists are checked against the lexicon
    time: T0,
    record: {
      $type: "com.atrarium.community.config",
      name: "Benchmark community",
      hashtag: s.hashtag,
      stage: "community",
      // Two members blocked by the config's blocklist, three by block_user actions.
      blocklist: s.members.slice(0, 2),
      ...extra,
      createdAt: new Date().toISOString(),
    },
  };
}

export function memberEvent(s: Scenario, did: string, i: number): RecordEvent {
  return {
    kind: "record",
    did,
    collection: "com.atrarium.community.membership",
    rkey: "3mbench",
    operation: "create",
    cid: `mem${i}`,
    time: T0 + 1 + i,
    record: {
      $type: "com.atrarium.community.membership",
      community: s.uri,
      role: "member",
      // Members joined before the oldest post: each post is judged at its own time.
      joinedAt: new Date(s.start - 24 * 60 * 60 * 1000).toISOString(),
    },
  };
}

/** How many actions were made so far (each takes the next record key). */
export let actionSeq = 0;
export function actionEvent(s: Scenario, kind: string, target: string, time: number): RecordEvent {
  const seq = ++actionSeq;
  return {
    kind: "record",
    did: s.owner,
    collection: "com.atrarium.moderation.action",
    rkey: `3a${seq.toString(36).padStart(8, "0")}`,
    operation: "create",
    cid: `act${seq}`,
    time,
    record: {
      $type: "com.atrarium.moderation.action",
      community: s.uri,
      action: kind,
      target: target.startsWith("at://")
        ? { $type: "com.atrarium.moderation.action#postTarget", uri: target, cid: CID }
        : { $type: "com.atrarium.moderation.action#userTarget", did: target },
      createdAt: new Date().toISOString(),
    },
  };
}

export function postEvent(s: Scenario, i: number): RecordEvent {
  const uri = s.postUri(i);
  return {
    kind: "record",
    did: s.author(i),
    collection: "app.bsky.feed.post",
    rkey: uri.split("/").pop() as string,
    operation: "create",
    cid: `post${i}`,
    // Seen by the relay a moment after it was made, as the firehose shows an honest post (one seen
    // long after its date must also have an author in good standing when seen: a blocked one is not).
    time: s.createdMs(i) * 1000 + 500_000,
    record: {
      $type: "app.bsky.feed.post",
      text: `post number ${i} ${s.hashtag}`,
      createdAt: new Date(s.createdMs(i)).toISOString(),
    },
  };
}
