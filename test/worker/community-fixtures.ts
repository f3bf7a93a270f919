// Event builders and helpers shared by the community index tests. Every
// community gets a fresh URI and hashtag: Durable Object names key the
// objects, and the one Directory object is shared by all tests of a file.
import { env } from "cloudflare:workers";
import type { Counters, FeedAudience, FeedPage } from "../../src/community/CommunityFeed.ts";
import type { IndexEvent, RecordEvent } from "../../src/firehose/events.ts";
import { atUri, COLLECTIONS } from "../../src/records/address.ts";

/** A syntactically valid CID (the lexicon checks postTarget.cid). */
export const CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";

/** Base of event times (µs): an hour ago, so that createdAt derived from it is in the past. */
export const T0 = (Date.now() - 60 * 60 * 1000) * 1000;
/** Event time `n` seconds after T0, in microseconds. */
export const at = (n: number) => T0 + n * 1_000_000;
/** An ISO datetime `n` seconds after T0. */
export const iso = (n: number) => new Date(T0 / 1000 + n * 1000).toISOString();

function hex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

export const did = (name: string) => `did:plc:${name.toLowerCase().replace(/[^a-z0-9]/g, "")}${hex(4)}`;

export type Stub = ReturnType<typeof env.COMMUNITY_FEED.getByName>;

export interface Community {
  uri: string;
  owner: string;
  rkey: string;
  hashtag: string;
  feed: string;
  stub: Stub;
  apply(...events: IndexEvent[]): Promise<{ status: string; reason?: string }[]>;
  page(limit?: number, cursor?: string, audience?: FeedAudience): Promise<FeedPage>;
  /** Every post of the feed, walking all pages (pinned posts first). */
  posts(pageSize?: number): Promise<string[]>;
  counters(): Promise<Counters>;
}

export function community(opts: { owner?: string; hashtag?: string } = {}): Community {
  const owner = opts.owner ?? did("owner");
  const rkey = `3l${hex(6)}`;
  const uri = atUri(owner, COLLECTIONS.config, rkey);
  const stub = env.COMMUNITY_FEED.getByName(uri);
  const self: Community = {
    uri,
    owner,
    rkey,
    hashtag: opts.hashtag ?? `#atr_${hex(4)}`,
    feed: atUri(owner, COLLECTIONS.feedGenerator, rkey),
    stub,
    apply: (...events) => stub.applyEvents(uri, events),
    page: (limit = 50, cursor, audience) => stub.getFeedSkeleton(limit, cursor, audience),
    async posts(pageSize = 100) {
      const all: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10_000; i++) {
        const page = await stub.getFeedSkeleton(pageSize, cursor);
        if (!page.ok) throw new Error(`${page.error}: ${page.message}`);
        all.push(...page.feed.map((f) => f.post));
        if (!page.cursor) return all;
        cursor = page.cursor;
      }
      throw new Error("feed does not end");
    },
    counters: () => stub.counters(),
  };
  return self;
}

let seq = 0;
/** A fresh record key (TID-like, sortable by creation order). */
export const rkey = () => `3k${(++seq).toString(36).padStart(6, "0")}${hex(2)}`;

interface ConfigOpts {
  time: number;
  moderators?: string[];
  blocklist?: string[];
  hashtag?: string;
  joinPolicy?: string;
  feedVisibility?: string;
  rules?: string[];
  operation?: "create" | "update" | "delete";
  did?: string;
}

export function config(c: Community, o: ConfigOpts): RecordEvent {
  const operation = o.operation ?? "create";
  return {
    kind: "record",
    did: o.did ?? c.owner,
    collection: COLLECTIONS.config,
    rkey: c.rkey,
    operation,
    time: o.time,
    ...(operation === "delete"
      ? {}
      : {
          cid: `cfg-${o.time}`,
          record: {
            $type: COLLECTIONS.config,
            name: "Test community",
            hashtag: o.hashtag ?? c.hashtag,
            stage: "community",
            ...(o.moderators ? { moderators: o.moderators } : {}),
            ...(o.blocklist ? { blocklist: o.blocklist } : {}),
            ...(o.joinPolicy ? { joinPolicy: o.joinPolicy } : {}),
            ...(o.feedVisibility ? { feedVisibility: o.feedVisibility } : {}),
            ...(o.rules ? { rules: o.rules } : {}),
            createdAt: iso(0),
          },
        }),
  };
}

interface MembershipOpts {
  time: number;
  /** Defaults to the event time: an honest client joins just before the relay sees it. */
  joinedAt?: string;
  rkey?: string;
  active?: boolean;
  role?: string;
  operation?: "create" | "update" | "delete";
  community?: string;
}

/** A membership record event; pass the same rkey to update or delete it. */
export function membership(c: Community, member: string, o: MembershipOpts): RecordEvent {
  const operation = o.operation ?? "create";
  return {
    kind: "record",
    did: member,
    collection: COLLECTIONS.membership,
    rkey: o.rkey ?? `m${member.slice(-8)}`,
    operation,
    time: o.time,
    ...(operation === "delete"
      ? {}
      : {
          cid: `mem-${o.time}`,
          record: {
            $type: COLLECTIONS.membership,
            community: o.community ?? c.uri,
            role: o.role ?? "member",
            joinedAt: o.joinedAt ?? new Date(o.time / 1000).toISOString(),
            ...(o.active === undefined ? {} : { active: o.active }),
          },
        }),
  };
}

interface PostOpts {
  time: number;
  rkey: string;
  text?: string;
  tags?: string[];
  createdAt?: string;
  operation?: "create" | "update" | "delete";
  cid?: string;
}

export function post(c: Community, author: string, o: PostOpts): RecordEvent {
  const operation = o.operation ?? "create";
  return {
    kind: "record",
    did: author,
    collection: COLLECTIONS.post,
    rkey: o.rkey,
    operation,
    time: o.time,
    ...(operation === "delete"
      ? {}
      : {
          cid: o.cid ?? `post-${o.time}`,
          record: {
            $type: COLLECTIONS.post,
            text: o.text ?? `hello ${c.hashtag}`,
            ...(o.tags ? { tags: o.tags } : {}),
            createdAt: o.createdAt ?? new Date(o.time / 1000).toISOString(),
          },
        }),
  };
}

export const postUri = (author: string, key: string) => atUri(author, COLLECTIONS.post, key);

type ActionKind =
  | "hide_post"
  | "unhide_post"
  | "block_user"
  | "unblock_user"
  | "approve_member"
  | "unapprove_member"
  | "pin_post"
  | "unpin_post";
interface ActionOpts {
  time: number;
  rkey?: string;
  createdAt?: string;
  /** A timed block_user ends then. */
  expiresAt?: string;
  operation?: "create" | "update" | "delete";
  community?: string;
}

/** A moderation action by `author`; the target is a post URI or a DID. */
export function action(
  c: Community,
  author: string,
  kind: ActionKind,
  target: string,
  o: ActionOpts,
): RecordEvent & { rkey: string } {
  const operation = o.operation ?? "create";
  return {
    kind: "record",
    did: author,
    collection: COLLECTIONS.action,
    rkey: o.rkey ?? rkey(),
    operation,
    time: o.time,
    ...(operation === "delete"
      ? {}
      : {
          cid: `act-${o.time}`,
          record: {
            $type: COLLECTIONS.action,
            community: o.community ?? c.uri,
            action: kind,
            target: target.startsWith("at://")
              ? { $type: `${COLLECTIONS.action}#postTarget`, uri: target, cid: CID }
              : { $type: `${COLLECTIONS.action}#userTarget`, did: target },
            ...(o.expiresAt ? { expiresAt: o.expiresAt } : {}),
            createdAt: o.createdAt ?? new Date(o.time / 1000).toISOString(),
          },
        }),
  };
}

export function account(member: string, active: boolean, time: number): IndexEvent {
  return { kind: "account", did: member, active, time };
}

/** A small deterministic PRNG (mulberry32), so a failing order can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A community with its config at t=1 and `names` joined at t=2. */
export async function started(
  names: string[],
  cfg: Omit<ConfigOpts, "time" | "operation" | "did" | "hashtag"> = {},
) {
  const c = community();
  const members = Object.fromEntries(names.map((n) => [n, did(n)]));
  await c.apply(
    config(c, { time: at(1), ...cfg }),
    ...names.map((n) => membership(c, members[n] as string, { time: at(2) })),
  );
  return { c, m: members as Record<string, string> };
}

/** One post by `author` at `t`; its outcome. */
export async function postBy(c: Community, author: string, key: string, t: number, text?: string) {
  return (await c.apply(post(c, author, { rkey: key, time: at(t), ...(text ? { text } : {}) })))[0];
}
