// Stage 2 of the pipeline: exact hashtag match, record validation, and which
// communities each event goes to. Routing never drops what may matter later:
//   - a config goes to its own community;
//   - a membership or action goes to the community it names (parked in the
//     Directory while that community has not been met); an edit of one also
//     goes wherever its author's memberships or actions are kept, since the
//     community it named before must drop what the record no longer says;
//   - a post goes to the community holding each hashtag it carries (parked
//     while no config holds the hashtag);
//   - a delete, an edit of a post, or an account event goes to every
//     community that knows its author (parked while none does).
// Parked events are applied by the community once it can take them, so the
// index ends up the same whatever order messages are processed in.
import type { ApplyOutcome } from "../community/apply/outcome.ts";
import type { AppContext } from "../context.ts";
import type { DidRole } from "../directory/Directory.ts";
import { atUri, COLLECTIONS, parseCommunityUri } from "../records/address.ts";
import { communityHashtags } from "../records/hashtags.ts";
import {
  validateCommunityConfig,
  validateMembership,
  validateModerationAction,
  validatePost,
} from "../records/validate.ts";
import type { IndexEvent, JetstreamEvent } from "./events.ts";

export interface RoutingStats {
  /** Records that failed validation: dropped, not retried. */
  invalid: number;
  /** Posts without any community hashtag. */
  unmatched: number;
  /** Events kept in the Directory until their community, hashtag or author is known. */
  parked: number;
  /** Events handed to communities (an event for two communities counts twice). */
  routed: number;
}

/** Events per community, in stream order. */
export type Routed = Map<string, IndexEvent[]>;

interface Unrouted {
  /** Memberships and actions, by the community they name. */
  named: { community: string; event: IndexEvent }[];
  /** Post creates and edits, by their hashtags (edits also by author). */
  tagged: { hashtags: string[]; event: IndexEvent; edit: boolean }[];
  /** Deletes, account events, and edits of memberships and actions, by author. */
  byAuthor: { did: string; event: IndexEvent; roles: DidRole[] }[];
}

/** Where a record's author is known, for what is routed by author: deletes, and edits that may have moved. */
const AUTHOR_ROLES: Record<string, DidRole[]> = {
  [COLLECTIONS.post]: ["member", "poster"],
  [COLLECTIONS.membership]: ["member"],
  [COLLECTIONS.action]: ["actor"],
};

class Routes {
  readonly byCommunity: Routed = new Map();
  private readonly seen = new Map<string, Set<IndexEvent>>();
  count = 0;

  add(community: string, event: IndexEvent): void {
    const seen = this.seen.get(community) ?? new Set();
    if (seen.has(event)) return;
    seen.add(event);
    this.seen.set(community, seen);
    const list = this.byCommunity.get(community);
    if (list) list.push(event);
    else this.byCommunity.set(community, [event]);
    this.count++;
  }
}

function logInvalid(uri: string, reasons: string[]): void {
  console.warn(JSON.stringify({ event: "invalid_record", uri, reasons }));
}

function toIndexEvent(e: JetstreamEvent): IndexEvent | null {
  if (e.kind === "account") {
    return typeof e.account?.active === "boolean"
      ? { kind: "account", did: e.did, active: e.account.active, time: e.time_us }
      : null;
  }
  if (e.kind !== "commit" || !e.commit) return null;
  const { collection, operation, rkey, record, cid } = e.commit;
  return {
    kind: "record",
    did: e.did,
    collection,
    rkey,
    operation,
    time: e.time_us,
    ...(record !== undefined ? { record } : {}),
    ...(cid !== undefined ? { cid } : {}),
  };
}

/** Validates and sorts one message's events; configs are routed at once (they name their community). */
function classify(events: JetstreamEvent[], configs: Routes, stats: RoutingStats): Unrouted {
  const unrouted: Unrouted = { named: [], tagged: [], byAuthor: [] };
  const reject = (uri: string, reasons: string[]) => {
    stats.invalid++;
    logInvalid(uri, reasons);
  };
  for (const e of events) {
    const event = toIndexEvent(e);
    if (!event) continue;
    if (event.kind === "account") {
      unrouted.byAuthor.push({ did: event.did, event, roles: ["member"] });
      continue;
    }
    const uri = atUri(event.did, event.collection, event.rkey);
    const roles = AUTHOR_ROLES[event.collection];
    if (event.collection === COLLECTIONS.config) {
      if (!parseCommunityUri(uri)) continue;
      // An invalid config never creates a community object; a delete deactivates one.
      const checked = event.operation === "delete" ? null : validateCommunityConfig(event.record);
      if (checked && !checked.ok) reject(uri, checked.reasons);
      else configs.add(uri, event);
    } else if (event.operation === "delete") {
      // The record is gone, and with it what it named: ask who knows the author.
      if (roles) unrouted.byAuthor.push({ did: event.did, event, roles });
    } else if (event.collection === COLLECTIONS.membership || event.collection === COLLECTIONS.action) {
      const checked =
        event.collection === COLLECTIONS.membership
          ? validateMembership(event.record)
          : validateModerationAction(event.record);
      if (!checked.ok) reject(uri, checked.reasons);
      else if (!parseCommunityUri(checked.value.community))
        reject(uri, [`community is not a community config URI: ${checked.value.community}`]);
      else {
        unrouted.named.push({ community: checked.value.community, event });
        // An edit may name another community now: the one it named before must drop it.
        if (event.operation === "update" && roles) unrouted.byAuthor.push({ did: event.did, event, roles });
      }
    } else if (event.collection === COLLECTIONS.post) {
      const checked = validatePost(event.record);
      if (!checked.ok) {
        reject(uri, checked.reasons);
        continue;
      }
      const hashtags = communityHashtags(checked.value);
      const edit = event.operation === "update";
      // An edit may have removed the hashtag: it also goes wherever the post is held.
      if (hashtags.length > 0 || edit) unrouted.tagged.push({ hashtags, event, edit });
      else stats.unmatched++;
    }
  }
  return unrouted;
}

/** Routes one message's events to communities; what cannot be routed yet is parked in the Directory. */
export async function routeEvents(
  ctx: AppContext,
  events: JetstreamEvent[],
): Promise<{ configs: Routed; rest: Routed; stats: RoutingStats }> {
  const stats: RoutingStats = { invalid: 0, unmatched: 0, parked: 0, routed: 0 };
  const configs = new Routes();
  const rest = new Routes();
  const { named, tagged, byAuthor } = classify(events, configs, stats);
  const directory = ctx.directory();
  const authors = [...byAuthor.map((a) => a.did), ...tagged.filter((t) => t.edit).map((t) => t.event.did)];
  const noOwners: Record<string, string> = {};
  const noRoles: Record<string, Partial<Record<DidRole, string[]>>> = {};
  const [owners, roles, known] = await Promise.all([
    tagged.length > 0 ? directory.resolveHashtags(tagged.flatMap((t) => t.hashtags)) : noOwners,
    authors.length > 0 ? directory.rolesOf(authors) : noRoles,
    named.length > 0 ? directory.knownCommunities(named.map((n) => n.community)) : [],
  ]);
  const communitiesOf = (did: string, wanted: DidRole[]) => wanted.flatMap((r) => roles[did]?.[r] ?? []);

  const parkPosts: { hashtags: string[]; event: IndexEvent }[] = [];
  const parkByDid: { did: string; event: IndexEvent; roles: DidRole[] }[] = [];
  const parkNamed: Record<string, IndexEvent[]> = {};
  for (const { hashtags, event, edit } of tagged) {
    const to = [
      ...hashtags.flatMap((t) => owners[t] ?? []),
      ...(edit ? communitiesOf(event.did, ["poster"]) : []),
    ];
    for (const community of to) rest.add(community, event);
    if (to.length > 0) continue;
    if (hashtags.length > 0) parkPosts.push({ hashtags, event });
    else parkByDid.push({ did: event.did, event, roles: ["poster"] });
  }
  for (const { did, event, roles: wanted } of byAuthor) {
    const to = communitiesOf(did, wanted);
    for (const community of to) rest.add(community, event);
    // An account event, or an edit that moved a record, of a DID no community knows cannot matter.
    if (to.length === 0 && event.kind === "record" && event.operation === "delete")
      parkByDid.push({ did, event, roles: wanted });
  }
  const knownSet = new Set(known);
  for (const { community, event } of named) {
    if (knownSet.has(community)) rest.add(community, event);
    else {
      const list = parkNamed[community] ?? [];
      list.push(event);
      parkNamed[community] = list;
    }
  }

  // Each park call also returns what became routable since the questions above.
  stats.parked = parkPosts.length + parkByDid.length + Object.values(parkNamed).flat().length;
  const [postsBack, didsBack, namedBack] = await Promise.all([
    parkPosts.length > 0 ? directory.parkPosts(parkPosts) : [],
    parkByDid.length > 0 ? directory.parkByDid(parkByDid) : [],
    Object.keys(parkNamed).length > 0 ? directory.park(parkNamed) : [],
  ]);
  for (const { community, event } of [...postsBack, ...didsBack]) rest.add(community, event as IndexEvent);
  for (const community of namedBack)
    for (const event of parkNamed[community] ?? []) rest.add(community, event);
  if (stats.unmatched > 0) await directory.noteUnmatched(stats.unmatched);
  stats.routed = configs.count + rest.count;
  return { configs: configs.byCommunity, rest: rest.byCommunity, stats };
}

/** Applies routed events, one call per community, all communities at once. */
export async function applyRouted(ctx: AppContext, routed: Routed): Promise<ApplyOutcome[]> {
  const results = await Promise.all(
    [...routed].map(([community, events]) => ctx.communityFeed(community).applyEvents(community, events)),
  );
  return results.flat();
}
