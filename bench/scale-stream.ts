// Bench only (bench:scale): the synthetic communities, members and mixed
// stream, the same in Node (bench/scale.ts) and in the runtime
// (bench/scale-driver.ts). Deterministic in their arguments.
import type { JetstreamEvent } from "../src/firehose/events.ts";
import { didOf } from "../test/firehose/synthetic.ts";

export interface ScaleCommunity {
  uri: string;
  owner: string;
  hashtag: string;
}

/** Community `i` of the bench: its owner, URI and hashtag are fixed by `i`. */
export function scaleCommunity(i: number): ScaleCommunity {
  const owner = didOf(2_000_000 + i);
  return {
    owner,
    uri: `at://${owner}/com.atrarium.community.config/3kscale${i.toString(36)}`,
    hashtag: `#atr_${(0x5c000000 + i).toString(16)}`,
  };
}

/** Member `m` of community `i`. */
export const scaleMember = (i: number, m: number) => didOf(10_000_000 + i * 1_000 + m);

/** A small deterministic PRNG (mulberry32). */
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

/**
 * One message of the mixed stream over `communities` communities of `members`
 * members: mostly member posts with their community's hashtag, and deletes,
 * edits, memberships, moderation actions, account events, posts whose
 * hashtag no community holds and posts whose tag is no hashtag at all.
 */
export function streamMessage(
  random: () => number,
  communities: number,
  members: number,
  size: number,
  seq: { n: number },
): JetstreamEvent[] {
  const events: JetstreamEvent[] = [];
  const now = Date.now() * 1000;
  const createdAt = new Date().toISOString();
  for (let k = 0; k < size; k++) {
    const n = seq.n++;
    const i = Math.floor(random() * communities);
    const c = scaleCommunity(i);
    const member = scaleMember(i, Math.floor(random() * members));
    const rkey = `3ks${n.toString(36).padStart(10, "0")}`;
    const r = random();
    const commit = (
      did: string,
      operation: "create" | "update" | "delete",
      collection: string,
      record?: Record<string, unknown>,
    ): JetstreamEvent => ({
      did,
      time_us: now + n,
      kind: "commit",
      commit: {
        rev: "3l4z5y6x7w2vu",
        operation,
        collection,
        rkey,
        ...(record
          ? {
              record: { $type: collection, ...record },
              cid: "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm",
            }
          : {}),
      },
    });
    const post = (text: string, operation: "create" | "update" = "create") =>
      commit(member, operation, "app.bsky.feed.post", { text, createdAt, langs: ["en"] });
    if (r < 0.6) events.push(post(`post ${n} ${c.hashtag}`));
    else if (r < 0.68) events.push(post(`edited ${n} ${c.hashtag}`, "update"));
    else if (r < 0.78) events.push(commit(member, "delete", "app.bsky.feed.post"));
    else if (r < 0.83)
      events.push(
        commit(member, "create", "com.atrarium.community.membership", {
          community: c.uri,
          role: "member",
          joinedAt: createdAt,
        }),
      );
    else if (r < 0.86)
      events.push(
        commit(c.owner, "create", "com.atrarium.moderation.action", {
          community: c.uri,
          action: "block_user",
          target: { $type: "com.atrarium.moderation.action#userTarget", did: member },
          createdAt,
        }),
      );
    else if (r < 0.9)
      events.push({
        did: member,
        time_us: now + n,
        kind: "account",
        account: { active: true, did: member, seq: n, time: createdAt },
      });
    else if (r < 0.93) events.push(post(`nobody's #atr_${(0xf0000000 + (n % 100_000)).toString(16)}`));
    else events.push(post(`not a community tag #atr_${n}`));
  }
  return events;
}
