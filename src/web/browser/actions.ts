// What a signed-in person can do, each as one function: write the record(s)
// into their own repo with their own session, then ask this Worker to index
// them at once (com.atrarium.sync.requestIndex, through their PDS). When that
// last step fails, the change still arrives through the firehose.
import type * as RequestIndex from "../../client/lexicon/types/com/atrarium/sync/requestIndex.ts";
import { atUri, COLLECTIONS } from "../../records/address.ts";
import type { WebConfig } from "./config.ts";
import { Problem } from "./errors.ts";
import {
  type ActionDetails,
  type ActionName,
  actionRecord,
  configRecord,
  generatorRecord,
  type MembershipRecord,
  membershipRecord,
  newHashtag,
  newTid,
  taggedPost,
} from "./records.ts";
import type { Session } from "./session.ts";
import { own, proxied } from "./xrpc.ts";

export interface Actor {
  session: Session;
  config: WebConfig;
}

/** What happened, in words, and whether the page can show it already. */
export interface Outcome {
  message: string;
  indexed: boolean;
}

export const FIREHOSE_NOTE = "It will show here within a few seconds, through the firehose.";

export interface Written {
  uri: string;
  cid: string;
}
export interface RecordEntry<T> extends Written {
  value: T;
}

/** Asks the Worker to index the records now; true when every one was taken. */
async function requestIndex(actor: Actor, uris: string[]): Promise<{ indexed: boolean; refused?: string }> {
  for (const uri of uris) {
    try {
      const result = await proxied<RequestIndex.OutputSchema>(
        actor.session,
        actor.config,
        "com.atrarium.sync.requestIndex",
        {
          doing: "indexing your change",
          input: { uri },
        },
      );
      if (result.status === "rejected")
        return { indexed: false, refused: result.reason ?? "no reason given" };
    } catch {
      return { indexed: false };
    }
  }
  return { indexed: true };
}

/** Indexes what was written and says how it went: `done` is what happened ("Saved"). */
export async function finish(actor: Actor, uris: string[], done: string): Promise<Outcome> {
  const { indexed, refused } = await requestIndex(actor, uris);
  if (refused) return { message: `${done}, but the index did not take it: ${refused}.`, indexed: false };
  return indexed
    ? { message: `${done}.`, indexed }
    : { message: `${done} in your account. ${FIREHOSE_NOTE}`, indexed };
}

async function create(actor: Actor, collection: string, record: unknown, doing: string): Promise<Written> {
  return own<Written>(actor.session, "com.atproto.repo.createRecord", {
    doing,
    input: { repo: actor.session.did, collection, record },
  });
}

/** A record of the signed-in person's own repo. */
export async function getOwn<T>(
  actor: Actor,
  collection: string,
  rkey: string,
  doing: string,
): Promise<RecordEntry<T>> {
  return own<RecordEntry<T>>(actor.session, "com.atproto.repo.getRecord", {
    doing,
    params: { repo: actor.session.did, collection, rkey },
  });
}

/** Creates a community: config, feed record (same rkey) and the owner's membership, in one commit. */
export async function createCommunity(
  actor: Actor,
  input: { name: string; description?: string },
): Promise<Outcome & { hashtag: string }> {
  const name = input.name.trim();
  if (!name) throw new Problem("invalid", "The community needs a name.");
  const description = input.description?.trim();
  const config = configRecord({ name, ...(description ? { description } : {}), hashtag: newHashtag() });
  const rkey = newTid();
  const membershipRkey = newTid();
  const did = actor.session.did;
  const uri = atUri(did, COLLECTIONS.config, rkey);
  const write = (collection: string, key: string, value: unknown) => ({
    $type: "com.atproto.repo.applyWrites#create",
    collection,
    rkey: key,
    value,
  });
  await own(actor.session, "com.atproto.repo.applyWrites", {
    doing: "creating the community",
    input: {
      repo: did,
      writes: [
        write(COLLECTIONS.config, rkey, config),
        write(COLLECTIONS.feedGenerator, rkey, generatorRecord(actor.config.serviceDid, config)),
        write(COLLECTIONS.membership, membershipRkey, membershipRecord(uri, "owner")),
      ],
    },
  });
  const outcome = await finish(
    actor,
    [uri, atUri(did, COLLECTIONS.membership, membershipRkey)],
    `Created “${name}”`,
  );
  return { ...outcome, hashtag: config.hashtag };
}

async function myMemberships(actor: Actor, community: string): Promise<RecordEntry<MembershipRecord>[]> {
  const found: RecordEntry<MembershipRecord>[] = [];
  let cursor: string | undefined;
  do {
    const page = await own<{ records: RecordEntry<MembershipRecord>[]; cursor?: string }>(
      actor.session,
      "com.atproto.repo.listRecords",
      {
        doing: "reading your memberships",
        params: { repo: actor.session.did, collection: COLLECTIONS.membership, limit: 100, cursor },
      },
    );
    found.push(...page.records.filter((r) => r.value.community === community));
    cursor = page.records.length > 0 ? page.cursor : undefined;
  } while (cursor);
  return found;
}

const rkeyOf = (uri: string) => uri.slice(uri.lastIndexOf("/") + 1);

/** Joins (a membership record); `done` says what that means here ("You asked to join …"). */
export async function join(
  actor: Actor,
  community: { uri: string; owner: string; name: string },
  done = `You joined “${community.name}”`,
): Promise<Outcome> {
  const existing = await myMemberships(actor, community.uri);
  if (existing.some((m) => m.value.active !== false))
    return finish(actor, [], `You are a member of “${community.name}”`);
  const record = membershipRecord(community.uri, community.owner === actor.session.did ? "owner" : "member");
  const inactive = existing[0];
  const written = inactive
    ? await own<Written>(actor.session, "com.atproto.repo.putRecord", {
        doing: "joining",
        input: {
          repo: actor.session.did,
          collection: COLLECTIONS.membership,
          rkey: rkeyOf(inactive.uri),
          record,
          swapRecord: inactive.cid,
        },
      })
    : await create(actor, COLLECTIONS.membership, record, "joining");
  return finish(actor, [written.uri], done);
}

/** Leaves (or withdraws a request to join): every membership record for the community goes. */
export async function leave(
  actor: Actor,
  community: { uri: string; name: string },
  done = `You left “${community.name}”`,
): Promise<Outcome> {
  const mine = await myMemberships(actor, community.uri);
  if (mine.length === 0)
    throw new Problem("invalid", `You have no membership in “${community.name}” to leave.`);
  for (const membership of mine) {
    await own(actor.session, "com.atproto.repo.deleteRecord", {
      doing: "leaving",
      input: { repo: actor.session.did, collection: COLLECTIONS.membership, rkey: rkeyOf(membership.uri) },
    });
  }
  return finish(
    actor,
    mine.map((m) => m.uri),
    done,
  );
}

/**
 * Deletes a community its owner no longer wants: the config, the feed record
 * and the owner's membership, in one commit. The index then stops the feed
 * (UnknownFeed) and lets the hashtag go.
 */
export async function deleteCommunity(
  actor: Actor,
  community: { uri: string; rkey: string; name: string },
): Promise<Outcome> {
  const feed = await getOwn(
    actor,
    COLLECTIONS.feedGenerator,
    community.rkey,
    "reading the feed record",
  ).catch(() => null);
  const memberships = await myMemberships(actor, community.uri);
  const remove = (collection: string, rkey: string) => ({
    $type: "com.atproto.repo.applyWrites#delete",
    collection,
    rkey,
  });
  await own(actor.session, "com.atproto.repo.applyWrites", {
    doing: "deleting the community",
    input: {
      repo: actor.session.did,
      writes: [
        remove(COLLECTIONS.config, community.rkey),
        ...(feed ? [remove(COLLECTIONS.feedGenerator, community.rkey)] : []),
        ...memberships.map((m) => remove(COLLECTIONS.membership, rkeyOf(m.uri))),
      ],
    },
  });
  return finish(actor, [community.uri, ...memberships.map((m) => m.uri)], `Deleted “${community.name}”`);
}

export async function post(actor: Actor, community: { hashtag: string }, text: string): Promise<Outcome> {
  const written = await create(actor, COLLECTIONS.post, taggedPost(text, community.hashtag), "posting");
  return finish(actor, [written.uri], "Posted");
}

const ACTION_DONE: Record<ActionName, string> = {
  hide_post: "The post is hidden",
  unhide_post: "The post is shown again",
  pin_post: "The post is pinned on top of the feed",
  unpin_post: "The post is no longer pinned",
  block_user: "The account is blocked",
  unblock_user: "The account is unblocked",
  approve_member: "Approved: their posts are in the feed now",
  unapprove_member: "The approval is taken back: their posts leave the feed",
};

const untilText = (at: Date) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(at);

export async function moderate(
  actor: Actor,
  community: { uri: string },
  action: ActionName,
  target: { uri: string; cid: string } | { did: string },
  details: ActionDetails = {},
  done = ACTION_DONE[action],
): Promise<Outcome> {
  const written = await create(
    actor,
    COLLECTIONS.action,
    actionRecord(community.uri, action, target, details),
    "moderating",
  );
  const until = details.expiresAt ? ` until ${untilText(details.expiresAt)}` : "";
  return finish(actor, [written.uri], `${done}${until}`);
}
