// Synthetic Jetstream v1 frames, written the way Jetstream writes them (key
// order did, time_us, kind, commit{rev, operation, collection, rkey, record,
// cid}). Shared by the receiver tests and bench/ingest.ts.

export const COMMUNITY_OWNER = "did:plc:owner0000000000000000000";

export function didOf(n: number): string {
  return `did:plc:${n.toString(36).padStart(24, "a")}`;
}

const CID = "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
const REV = "3l4z5y6x7w2vu";

export function rkeyOf(n: number): string {
  return `3l${n.toString(32).padStart(11, "2")}`;
}

export function commitFrame(
  did: string,
  timeUs: number,
  operation: "create" | "update" | "delete",
  collection: string,
  rkey: string,
  record?: Record<string, unknown>,
): string {
  const commit =
    operation === "delete"
      ? `{"rev":"${REV}","operation":"delete","collection":"${collection}","rkey":"${rkey}"}`
      : `{"rev":"${REV}","operation":"${operation}","collection":"${collection}","rkey":"${rkey}","record":${JSON.stringify(record)},"cid":"${CID}"}`;
  return `{"did":"${did}","time_us":${timeUs},"kind":"commit","commit":${commit}}`;
}

export function postRecord(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    $type: "app.bsky.feed.post",
    createdAt: new Date().toISOString(),
    langs: ["en"],
    text,
    ...extra,
  };
}

export function tagFacet(tag: string, text: string): Record<string, unknown> {
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  const start = bytes(text.slice(0, Math.max(0, text.indexOf(`#${tag}`))));
  return {
    $type: "app.bsky.richtext.facet",
    index: { byteStart: start, byteEnd: start + bytes(tag) + 1 },
    features: [{ $type: "app.bsky.richtext.facet#tag", tag }],
  };
}

export function likeFrame(did: string, timeUs: number, n: number): string {
  return commitFrame(did, timeUs, "create", "app.bsky.feed.like", rkeyOf(n), {
    $type: "app.bsky.feed.like",
    createdAt: "2026-11-28T12:00:00.000Z",
    subject: { cid: CID, uri: `at://${didOf(n + 7)}/app.bsky.feed.post/${rkeyOf(n + 3)}` },
  });
}

export function followFrame(did: string, timeUs: number, n: number): string {
  return commitFrame(did, timeUs, "create", "app.bsky.graph.follow", rkeyOf(n), {
    $type: "app.bsky.graph.follow",
    createdAt: "2026-11-28T12:00:00.000Z",
    subject: didOf(n + 11),
  });
}

export function repostFrame(did: string, timeUs: number, n: number): string {
  return commitFrame(did, timeUs, "create", "app.bsky.feed.repost", rkeyOf(n), {
    $type: "app.bsky.feed.repost",
    createdAt: "2026-11-28T12:00:00.000Z",
    subject: { cid: CID, uri: `at://${didOf(n + 5)}/app.bsky.feed.post/${rkeyOf(n + 1)}` },
  });
}

const WORDS = [
  "the",
  "quick",
  "brown",
  "fox",
  "jumps",
  "over",
  "lazy",
  "dog",
  "atrium",
  "garden",
  "today",
  "coffee",
  "🌱",
  "東京",
  "photo",
  "#art",
  "&",
  "hello",
];

/** A plain post text of about 60-120 characters, deterministic in n. */
export function plainText(n: number): string {
  const words: string[] = [];
  let x = n * 2654435761;
  for (let i = 0; i < 12 + (n % 8); i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    words.push(WORDS[x % WORDS.length] as string);
  }
  return words.join(" ");
}

export function identityFrame(did: string, timeUs: number): string {
  return `{"did":"${did}","time_us":${timeUs},"kind":"identity","identity":{"did":"${did}","handle":"someone.test","seq":1,"time":"2026-11-28T12:00:00.000Z"}}`;
}

export function accountFrame(did: string, timeUs: number, active: boolean): string {
  return `{"did":"${did}","time_us":${timeUs},"kind":"account","account":{"active":${active},"did":"${did}","seq":2,"time":"2026-11-28T12:00:00.000Z"${active ? "" : ',"status":"deactivated"'}}}`;
}
