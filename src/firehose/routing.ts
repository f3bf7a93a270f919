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
//     community that knows its author (a delete is also kept a while for
//     those that come to know the author later, and parked while none does).
// Parked events are applied by the community once it can take them, so the
// index ends up the same whatever order messages are processed in.
// A queue batch is routed at once: one Directory lookup for all its messages
// (hashtag holders from the isolate's claims cache when it can answer), and
// one park call when anything waits.
import type { ApplyOutcome } from "../community/apply/outcome.ts";
import type { ObjectContext } from "../context.ts";
import type { DidRole, RouteFacts, Unroutable } from "../directory/Directory.ts";
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

/** One queue message's events, by community: configs (applied first) and the rest. */
export interface RoutedMessage {
  configs: Routed;
  rest: Routed;
  stats: RoutingStats;
}

/** An event not yet routed, and the message it came in. */
interface Pending {
  message: number;
  event: IndexEvent;
}

interface Unrouted {
  /** Memberships and actions, by the community they name. */
  named: (Pending & { community: string })[];
  /** Post creates and edits, by their hashtags (edits also by author). */
  tagged: (Pending & { hashtags: string[]; edit: boolean })[];
  /** Deletes, account events, and edits of memberships and actions, by author. */
  byAuthor: (Pending & { did: string; roles: DidRole[] })[];
}

/** Where a record's author is known, for what is routed by author: deletes, and edits that may have moved. */
const AUTHOR_ROLES: Record<string, DidRole[]> = {
  [COLLECTIONS.post]: ["member", "poster"],
  [COLLECTIONS.membership]: ["member"],
  [COLLECTIONS.action]: ["actor"],
};

class Routes {
  readonly byCommunity: Routed = new Map();
  /** The communities each event went to (mostly one): an event goes to a community once. */
  private readonly sentTo = new Map<IndexEvent, string[]>();
  count = 0;

  add(community: string, event: IndexEvent): void {
    const sent = this.sentTo.get(event);
    if (sent?.includes(community)) return;
    if (sent) sent.push(community);
    else this.sentTo.set(event, [community]);
    const list = this.byCommunity.get(community);
    if (list) list.push(event);
    else this.byCommunity.set(community, [event]);
    this.count++;
  }
}

/** One message's routes as they are found. */
class MessageRoutes {
  readonly configs = new Routes();
  readonly rest = new Routes();
  readonly stats: RoutingStats = { invalid: 0, unmatched: 0, parked: 0, routed: 0 };

  done(): RoutedMessage {
    this.stats.routed = this.configs.count + this.rest.count;
    return { configs: this.configs.byCommunity, rest: this.rest.byCommunity, stats: this.stats };
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
function classify(events: JetstreamEvent[], message: number, out: MessageRoutes, unrouted: Unrouted): void {
  const reject = (uri: string, reasons: string[]) => {
    out.stats.invalid++;
    logInvalid(uri, reasons);
  };
  for (const e of events) {
    const event = toIndexEvent(e);
    if (!event) continue;
    if (event.kind === "account") {
      unrouted.byAuthor.push({ message, did: event.did, event, roles: ["member"] });
      continue;
    }
    const uri = atUri(event.did, event.collection, event.rkey);
    const roles = AUTHOR_ROLES[event.collection];
    if (event.collection === COLLECTIONS.config) {
      if (!parseCommunityUri(uri)) continue;
      // An invalid config never creates a community object; a delete deactivates one.
      const checked = event.operation === "delete" ? null : validateCommunityConfig(event.record);
      if (checked && !checked.ok) reject(uri, checked.reasons);
      else out.configs.add(uri, event);
    } else if (event.operation === "delete") {
      // The record is gone, and with it what it named: ask who knows the author.
      if (roles) unrouted.byAuthor.push({ message, did: event.did, event, roles });
    } else if (event.collection === COLLECTIONS.membership || event.collection === COLLECTIONS.action) {
      const checked =
        event.collection === COLLECTIONS.membership
          ? validateMembership(event.record)
          : validateModerationAction(event.record);
      if (!checked.ok) reject(uri, checked.reasons);
      else if (!parseCommunityUri(checked.value.community))
        reject(uri, [`community is not a community config URI: ${checked.value.community}`]);
      else {
        unrouted.named.push({ message, community: checked.value.community, event });
        // An edit may name another community now: the one it named before must drop it.
        if (event.operation === "update" && roles)
          unrouted.byAuthor.push({ message, did: event.did, event, roles });
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
      if (hashtags.length > 0 || edit) unrouted.tagged.push({ message, hashtags, event, edit });
      else out.stats.unmatched++;
    }
  }
}

/**
 * The Directory's lookup, asking only for the hashtags the isolate's claims
 * cache cannot answer. When the claims changed since the cache was filled,
 * the answer's version empties it, and the hashtags it answered are asked again.
 */
async function lookup(
  ctx: ObjectContext,
  hashtags: string[],
  rest: { authors: string[]; communities: string[] },
): Promise<Omit<RouteFacts, "claimsVersion">> {
  const directory = ctx.directory();
  const asked = ctx.claims.missing(hashtags);
  const facts = await directory.lookup({ hashtags: asked, ...rest });
  const fresh = ctx.claims.learn(facts.claimsVersion, asked, facts.owners);
  const askedNow = new Set(asked);
  const stale = fresh ? [] : hashtags.filter((h) => !askedNow.has(h));
  if (stale.length > 0) {
    const again = await directory.lookup({ hashtags: stale, authors: [], communities: [] });
    ctx.claims.learn(again.claimsVersion, stale, again.owners);
  }
  return { roles: facts.roles, known: facts.known, owners: ctx.claims.owners(hashtags) };
}

/** What a batch asks the Directory to park, and the pending events in the same order. */
class ParkRequest {
  readonly unroutable: Unroutable = { posts: [], byDid: [], forCommunity: [], unmatched: 0 };
  readonly posts: Pending[] = [];
  readonly byDid: Pending[] = [];
  readonly forCommunities: Pending[] = [];

  constructor(private readonly out: MessageRoutes[]) {}

  post(p: Pending, hashtags: string[]): void {
    this.unroutable.posts.push({ hashtags, event: p.event });
    this.posts.push(p);
    this.counted(p);
  }

  /** `routed`: the event went to some community already, and waits only for those that come later. */
  byAuthor(p: Pending, did: string, roles: DidRole[], routed: boolean): void {
    this.unroutable.byDid.push({ did, event: p.event, roles, ...(routed ? { routed } : {}) });
    this.byDid.push(p);
    if (!routed) this.counted(p);
  }

  forCommunity(p: Pending, community: string): void {
    this.unroutable.forCommunity.push({ community, event: p.event });
    this.forCommunities.push(p);
    this.counted(p);
  }

  private counted(p: Pending): void {
    (this.out[p.message] as MessageRoutes).stats.parked++;
  }

  /** The request, or null when there is nothing to park or count. */
  request(): Unroutable | null {
    const u = this.unroutable;
    u.unmatched = this.out.reduce((n, m) => n + m.stats.unmatched, 0);
    return u.posts.length + u.byDid.length + u.forCommunity.length + u.unmatched > 0 ? u : null;
  }
}

/** Routes one message's events to communities; what cannot be routed yet is parked in the Directory. */
export async function routeEvents(ctx: ObjectContext, events: JetstreamEvent[]): Promise<RoutedMessage> {
  return (await routeMessages(ctx, [events]))[0] as RoutedMessage;
}

/**
 * Routes the events of several queue messages at once, each message's
 * apart. One Directory call answers every lookup of the batch (hashtag
 * holders the claims cache cannot give, who knows each author, which
 * communities exist); a second parks what could not be routed, and keeps
 * deletes for communities to come, only when there is any.
 */
export async function routeMessages(
  ctx: ObjectContext,
  messages: JetstreamEvent[][],
): Promise<RoutedMessage[]> {
  const out = messages.map(() => new MessageRoutes());
  const unrouted: Unrouted = { named: [], tagged: [], byAuthor: [] };
  messages.forEach((events, i) => {
    classify(events, i, out[i] as MessageRoutes, unrouted);
  });
  const { named, tagged, byAuthor } = unrouted;
  const directory = ctx.directory();
  const hashtags = [...new Set(tagged.flatMap((t) => t.hashtags))];
  const facts =
    named.length + tagged.length + byAuthor.length > 0
      ? await lookup(ctx, hashtags, {
          authors: [
            ...new Set([
              ...byAuthor.map((a) => a.did),
              ...tagged.filter((t) => t.edit).map((t) => t.event.did),
            ]),
          ],
          communities: [...new Set(named.map((n) => n.community))],
        })
      : { owners: {}, roles: {}, known: [] };
  const communitiesOf = (did: string, wanted: DidRole[]) =>
    wanted.flatMap((r) => facts.roles[did]?.[r] ?? []);
  const send = (p: Pending, community: string) => out[p.message]?.rest.add(community, p.event);

  const park = new ParkRequest(out);
  for (const t of tagged) {
    const to = [
      ...t.hashtags.flatMap((h) => facts.owners[h] ?? []),
      ...(t.edit ? communitiesOf(t.event.did, ["poster"]) : []),
    ];
    for (const community of to) send(t, community);
    if (to.length > 0) continue;
    if (t.hashtags.length > 0) park.post(t, t.hashtags);
    else park.byAuthor(t, t.event.did, ["poster"], false);
  }
  for (const a of byAuthor) {
    const to = communitiesOf(a.did, a.roles);
    for (const community of to) send(a, community);
    // A delete also waits, by author, for a community that comes to know the author later:
    // one that takes a parked post or membership this delete removes. (An account event,
    // or an edit that moved a record, of a DID no community knows cannot matter.)
    if (a.event.kind === "record" && a.event.operation === "delete")
      park.byAuthor(a, a.did, a.roles, to.length > 0);
  }
  const known = new Set(facts.known);
  for (const n of named) {
    if (known.has(n.community)) send(n, n.community);
    else park.forCommunity(n, n.community);
  }
  const request = park.request();
  if (request) {
    // What became routable since the lookup comes back, by its place in each list.
    const back = await directory.parkUnroutable(request);
    for (const { at, communities } of back.posts)
      for (const c of communities) send(park.posts[at] as Pending, c);
    for (const { at, communities } of back.byDid)
      for (const c of communities) send(park.byDid[at] as Pending, c);
    for (const at of back.forCommunity) {
      const n = park.forCommunities[at] as Pending;
      send(n, park.unroutable.forCommunity[at]?.community as string);
    }
  }
  return out.map((m) => m.done());
}

/** Applies events to one community; this isolate's kept first pages of it go, so the change shows at once. */
export async function applyTo(
  ctx: ObjectContext,
  community: string,
  events: IndexEvent[],
): Promise<ApplyOutcome[]> {
  const outcomes = await ctx.communityFeed(community).applyEvents(community, events);
  ctx.hotFeeds.invalidate(community);
  return outcomes;
}

/** Applies routed events, one call per community, all communities at once. */
export async function applyRouted(ctx: ObjectContext, routed: Routed): Promise<ApplyOutcome[]> {
  const results = await Promise.all(
    [...routed].map(([community, events]) => applyTo(ctx, community, events)),
  );
  return results.flat();
}
