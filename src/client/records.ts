// Atrarium's own records read straight from the repos that hold them (not
// from the index): a community's config from its owner, memberships from
// their members, and any record people refer to by handle or link.
import { atUri, COLLECTIONS, communityForFeed, type RecordAddress } from "../records/address.ts";
import { HASHTAG_PATTERN } from "../records/hashtags.ts";
import { parseRecordRef, requireCommunityUri } from "./addresses.ts";
import type { ClientContext } from "./context.ts";
import { AtrariumError } from "./errors.ts";
import { listCommunities } from "./queries.ts";
import { getRecord, listRecords } from "./repo.ts";
import type { CommunityConfig, MembershipRecord, RecordEntry } from "./types.ts";
import { communityConfig } from "./validate.ts";

/** A community's config, read from the owner's PDS and validated. */
export async function getCommunityConfig(
  ctx: ClientContext,
  uri: string,
): Promise<RecordEntry<CommunityConfig>> {
  requireCommunityUri(uri);
  return getRecord(ctx, uri, "community", (value) =>
    communityConfig(value, "community config found at that URI"),
  );
}

/** Membership records in the repo of `did`. */
export async function listMemberships(
  ctx: ClientContext,
  did: string,
): Promise<RecordEntry<MembershipRecord>[]> {
  return listRecords<MembershipRecord>(ctx, did, COLLECTIONS.membership);
}

/** The membership record of `did` for a community (an active one first), or undefined. */
export async function getMembershipRecord(
  ctx: ClientContext,
  community: string,
  did: string,
): Promise<RecordEntry<MembershipRecord> | undefined> {
  const { uri } = requireCommunityUri(community);
  const mine = (await listMemberships(ctx, did)).filter((m) => m.value.community === uri);
  return mine.find((m) => m.value.active !== false) ?? mine[0];
}

/**
 * A record people refer to: an AT-URI whose repo may be named by handle, or a
 * bsky.app post or feed link. The handle is resolved to a DID.
 */
export async function resolveRecordRef(
  ctx: ClientContext,
  input: string,
  expected?: string,
): Promise<RecordAddress> {
  const ref = parseRecordRef(input);
  const what = expected === COLLECTIONS.post ? "post" : "record";
  if (!ref) {
    throw new AtrariumError(
      "invalid",
      `Not a ${what}: "${input}" (expected at://…/${expected ?? "COLLECTION"}/RKEY${expected === COLLECTIONS.post ? " or a bsky.app post link" : ""})`,
    );
  }
  if (expected && ref.collection !== expected) {
    throw new AtrariumError("invalid", `"${input}" is a ${ref.collection} record, not a ${what}`);
  }
  const did = await ctx.identity.resolveActor(ref.actor);
  return { did, collection: ref.collection, rkey: ref.rkey };
}

/** A post by reference (at:// URI, repo by DID or handle, or bsky.app link), read from its author's PDS. */
export async function resolvePost(
  ctx: ClientContext,
  ref: string,
): Promise<RecordEntry<{ text?: string; [k: string]: unknown }>> {
  const { did, rkey } = await resolveRecordRef(ctx, ref, COLLECTIONS.post);
  return getRecord(ctx, atUri(did, COLLECTIONS.post, rkey), "post");
}

/**
 * The AT-URI of a community from what people give: its at:// URI (owner by
 * DID or handle), its feed's at:// URI or bsky.app link, or its hashtag
 * (looked up in the index).
 */
export async function resolveCommunity(ctx: ClientContext, input: string): Promise<string> {
  const text = input.trim();
  const tag = text.startsWith("#") ? text : `#${text}`;
  if (HASHTAG_PATTERN.test(tag)) return communityByHashtag(ctx, tag);
  const ref = parseRecordRef(text);
  if (!ref) {
    throw new AtrariumError(
      "invalid",
      `Not a community: "${input}" (give its at:// URI, feed link or hashtag)`,
    );
  }
  const did = await ctx.identity.resolveActor(ref.actor);
  const uri = atUri(did, ref.collection, ref.rkey);
  if (ref.collection === COLLECTIONS.config) return uri;
  const community = communityForFeed(uri);
  if (community) return community;
  throw new AtrariumError("invalid", `"${input}" is a ${ref.collection} record, not a community`);
}

async function communityByHashtag(ctx: ClientContext, tag: string): Promise<string> {
  let cursor: string | undefined;
  do {
    const page = await listCommunities(ctx, { limit: 100, ...(cursor ? { cursor } : {}) });
    const found = page.communities.find((c) => c.hashtag === tag);
    if (found) return found.uri;
    cursor = page.communities.length > 0 ? page.cursor : undefined;
  } while (cursor);
  throw new AtrariumError("not_found", `No indexed community has the hashtag ${tag}`);
}
