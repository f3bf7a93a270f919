// A community's feed as people read it: the Worker's skeleton, with each post
// read from its author's own PDS (text, time), its author's handle, and
// whether it is pinned.
import { parseRecordUri } from "../records/address.ts";
import type { ClientContext } from "./context.ts";
import { feedUriOf, getFeedSkeleton, type Paging } from "./queries.ts";
import { getRecord } from "./repo.ts";
import type { FeedItem, FeedPage, FeedSkeleton } from "./types.ts";

/** How many posts are read from PDSes at once. */
const CONCURRENCY = 8;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

const PIN_REASON = "app.bsky.feed.defs#skeletonReasonPin";

async function feedItem(
  ctx: ClientContext,
  { post, reason }: FeedSkeleton["feed"][number],
): Promise<FeedItem> {
  const did = parseRecordUri(post)?.did ?? "";
  const handle = did ? await ctx.identity.handleOf(did) : undefined;
  const author = handle ? { did, handle } : { did };
  const pinned = reason?.$type === PIN_REASON ? { pinned: true as const } : {};
  try {
    const record = await getRecord<{ text?: unknown; createdAt?: unknown }>(ctx, post, "post");
    const { text, createdAt } = record.value;
    return {
      uri: post,
      author,
      ...pinned,
      ...(typeof text === "string" ? { text } : {}),
      ...(typeof createdAt === "string" ? { createdAt } : {}),
    };
  } catch (err) {
    return { uri: post, author, ...pinned, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The feed of a feed or community URI with each post read from its author's
 * PDS. A post that cannot be read is listed with an error, not dropped.
 */
export async function getFeed(
  ctx: ClientContext,
  feedOrCommunity: string,
  params: Paging = {},
): Promise<FeedPage> {
  const feed = feedUriOf(feedOrCommunity);
  const skeleton = await getFeedSkeleton(ctx, feed, params);
  const items = await mapLimit(skeleton.feed, CONCURRENCY, (item) => feedItem(ctx, item));
  return { feed, items, ...(skeleton.cursor ? { cursor: skeleton.cursor } : {}) };
}
