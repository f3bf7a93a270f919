// Creating a community: the config record, the feed generator record with the
// same rkey (its `did` is the Worker's service DID) and the owner's own
// membership, in one atomic applyWrites commit to the owner's repo.
import { atUri, COLLECTIONS } from "../../records/address.ts";
import { requireCommunityUri } from "../addresses.ts";
import type { ClientContext } from "../context.ts";
import { AtrariumError, toAtrariumError } from "../errors.ts";
import { getRecord } from "../repo.ts";
import { indexAfterWrite, serviceDid } from "../service.ts";
import { generateHashtag, nextTid } from "../text.ts";
import type { CreateCommunityInput, CreateCommunityResult } from "../types.ts";
import { communityConfig, membership, requireDids } from "../validate.ts";
import { feedRecord } from "./feed-record.ts";

const uniq = (values: string[]) => [...new Set(values)];

function configFor(input: CreateCommunityInput, hashtag: string, now: string) {
  if (input.name.trim() === "") throw new AtrariumError("invalid", "The community needs a name");
  if (input.moderators) requireDids("moderators", input.moderators);
  if (input.blocklist) requireDids("blocklist", input.blocklist);
  return communityConfig({
    $type: COLLECTIONS.config,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    hashtag,
    stage: input.stage ?? "theme",
    ...(input.moderators ? { moderators: uniq(input.moderators) } : {}),
    ...(input.blocklist ? { blocklist: uniq(input.blocklist) } : {}),
    ...(input.feedMix ? { feedMix: input.feedMix } : {}),
    ...(input.parentCommunity ? { parentCommunity: requireCommunityUri(input.parentCommunity).uri } : {}),
    createdAt: now,
  });
}

/** The Worker's DID, which the feed record needs, or an error saying how to give it. */
async function feedServiceDid(ctx: ClientContext): Promise<string> {
  try {
    return await serviceDid(ctx);
  } catch (err) {
    const e = err instanceof AtrariumError ? err : toAtrariumError(err, "learning its DID", ctx.workerName);
    throw new AtrariumError(
      e.kind,
      `${e.message}. The feed record needs the service DID: start the service or pass it (--service-did)`,
      { cause: err },
    );
  }
}

/** Creates a community in the signed-in account's repo (config, feed record, membership). */
export async function createCommunity(
  ctx: ClientContext,
  input: CreateCommunityInput,
): Promise<CreateCommunityResult> {
  const { agent, did } = ctx.session("create a community");
  const now = new Date().toISOString();
  const hashtag = generateHashtag();
  const record = configFor(input, hashtag, now);
  const rkey = nextTid();
  const uri = atUri(did, COLLECTIONS.config, rkey);
  const feedUri = atUri(did, COLLECTIONS.feedGenerator, rkey);
  const membershipRkey = nextTid();
  const membershipUri = atUri(did, COLLECTIONS.membership, membershipRkey);
  const ownMembership = membership({
    $type: COLLECTIONS.membership,
    community: uri,
    role: "owner",
    joinedAt: now,
  });
  const feed = feedRecord(await feedServiceDid(ctx), record);
  const create = (collection: string, key: string, value: unknown) => ({
    $type: "com.atproto.repo.applyWrites#create" as const,
    collection,
    rkey: key,
    value: value as Record<string, unknown>,
  });
  let results: unknown[];
  try {
    const res = await agent.com.atproto.repo.applyWrites({
      repo: did,
      writes: [
        create(COLLECTIONS.config, rkey, record),
        create(COLLECTIONS.feedGenerator, rkey, feed),
        create(COLLECTIONS.membership, membershipRkey, ownMembership),
      ],
    });
    results = res.data.results ?? [];
  } catch (err) {
    throw toAtrariumError(err, "creating the community", "your PDS");
  }
  const first = results[0] as { cid?: string } | undefined;
  const cid = first?.cid ?? (await getRecord(ctx, uri, "community")).cid;
  const warnings: string[] = [];
  const indexed = await indexAfterWrite(ctx, [uri, membershipUri], warnings);
  return { uri, cid, hashtag, feedUri, membershipUri, record, indexed, warnings };
}
