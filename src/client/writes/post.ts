// Posting to a community: an app.bsky.feed.post with the community hashtag
// appended and a #tag facet over it (UTF-8 byte offsets). Mentions, links and
// other tags in the text get facets too.
import { RichText } from "@atproto/api";
import { COLLECTIONS } from "../../records/address.ts";
import { utf8Length } from "../../text/utf8.ts";
import { requireCommunityUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { AtrariumError, toAtrariumError } from "../errors.ts";
import { getCommunityConfig, getMembershipRecord } from "../records.ts";
import { indexAfterWrite } from "../service.ts";
import { graphemeLength, type TagFacet, withHashtag } from "../text.ts";
import type { PostResult } from "../types.ts";

const POST_MAX_GRAPHEMES = 300;
const POST_MAX_BYTES = 3000;

/** Our hashtag facet plus mention/link/tag facets found in the rest of the text. */
async function facetsFor(ctx: ClientContext, text: string, ours: TagFacet): Promise<unknown[]> {
  const rt = new RichText({ text });
  try {
    if (ctx.agent) await rt.detectFacets(ctx.agent);
    else rt.detectFacetsWithoutResolution();
  } catch {
    rt.facets = undefined; // mention lookup failed: keep just our tag
  }
  const others = (rt.facets ?? []).filter(
    (f) => f.index.byteEnd <= ours.index.byteStart || f.index.byteStart >= ours.index.byteEnd,
  );
  return [...others, ours].sort((a, b) => a.index.byteStart - b.index.byteStart);
}

/** Posts to a community from the signed-in account, hashtag and facet added. */
export async function post(
  ctx: ClientContext,
  community: string,
  text: string,
  options: { langs?: string[] } = {},
): Promise<PostResult> {
  const { agent, did } = ctx.session("post");
  const { uri: communityUri } = requireCommunityUri(community);
  const config = await getCommunityConfig(ctx, communityUri);
  const { hashtag } = config.value;
  const tagged = withHashtag(text, hashtag);
  const graphemes = graphemeLength(tagged.text);
  if (graphemes > POST_MAX_GRAPHEMES || utf8Length(tagged.text) > POST_MAX_BYTES) {
    throw new AtrariumError(
      "invalid",
      `The post is ${graphemes} characters with the hashtag ${hashtag}; the limit is ${POST_MAX_GRAPHEMES}. Shorten it`,
    );
  }
  const warnings: string[] = [];
  const membership = await getMembershipRecord(ctx, communityUri, did);
  if (!membership || membership.value.active === false) {
    ctx.warn(
      warnings,
      `You are not a member of "${config.value.name}", so this post will not enter its feed (atrarium join)`,
    );
  }
  const facets = await facetsFor(ctx, tagged.text, tagged.facet);
  const record = {
    $type: COLLECTIONS.post,
    text: tagged.text,
    facets,
    createdAt: new Date().toISOString(),
    ...(options.langs ? { langs: options.langs } : {}),
  };
  let written: { uri: string; cid: string };
  try {
    written = (await agent.com.atproto.repo.createRecord({ repo: did, collection: COLLECTIONS.post, record }))
      .data;
  } catch (err) {
    throw toAtrariumError(err, "writing the post", "your PDS");
  }
  const indexed = await indexAfterWrite(ctx, [written.uri], warnings);
  return { uri: written.uri, cid: written.cid, text: tagged.text, facets, hashtag, indexed, warnings };
}
