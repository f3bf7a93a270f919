// The owner's config record. Its latest version defines the community now:
// a change of moderators re-judges every action of the authors it concerns,
// a change of blocklist re-admits (or not) the posts of the DIDs it names,
// and a change of hashtag re-tags every post. Then the community claims its
// hashtag at the Directory; the claim is settled on every config event, so a
// retried event finishes what a failed one started (a hand-over, parked
// events, telling the communities a released hashtag may go to).
import type { IndexEvent, RecordEvent } from "../../firehose/events.ts";
import { type CommunityConfig, validateCommunityConfig } from "../../records/validate.ts";
import type { ConfigTimeline } from "../config-timeline.ts";
import type { CommunityState } from "../state.ts";
import type { ConfigVersionRow } from "../store/config-store.ts";
import { dateMicros, effectiveTime, placeSighting, timeline } from "../time.ts";
import { refreshTarget } from "./moderation.ts";
import { type ApplyOutcome, applied, deleted, ignored, rejected } from "./outcome.ts";
import { invalid } from "./post.ts";

type Parked = { events: IndexEvent[]; upTo: number };

/** The objects a config reaches beyond its own community (Durable Object stubs, or test doubles). */
export interface Neighbours {
  claimHashtag(claim: {
    community: string;
    owner: string;
    hashtag: string;
    observed: number;
  }): Promise<
    (
      | { ok: true; displaced: string[]; parked?: { forCommunity: Parked; posts: Parked } }
      | { ok: false; holder: string; reason: string }
    ) & { freed: string[] }
  >;
  /** Ends the community's claims; returns the communities that may hold its hashtag now. */
  deactivateCommunity(uri: string): Promise<string[]>;
  /** Communities to tell, once this apply is done, that a hashtag they name is free: they claim it again. */
  hashtagFreed(communities: string[]): void;
  handedOver(community: string): Promise<void>;
  /** Asks a displaced community for its posts carrying `hashtag`, and marks it refused. */
  surrender(community: string, hashtag: string, reason: string): Promise<IndexEvent[]>;
  releaseParked(community: string, upTo: number): Promise<void>;
  releaseParkedPosts(hashtag: string, upTo: number): Promise<void>;
}

/** Applies events inside one transaction (the Durable Object's own sync path). */
export type ApplyMore = (events: IndexEvent[]) => void;

export async function applyConfig(
  c: CommunityState,
  event: RecordEvent,
  n: Neighbours,
  applyMore: ApplyMore,
): Promise<ApplyOutcome> {
  if (event.did !== c.address.owner || event.rkey !== c.address.rkey)
    return rejected("only the owner's config record defines the community");
  let record: CommunityConfig | null = null;
  if (event.operation !== "delete") {
    const checked = validateCommunityConfig(event.record);
    if (!checked.ok) return invalid(c, checked.reasons);
    record = checked.value;
  }
  const sighting = placeSighting(c.store.config.versions(), {
    cid: record ? (event.cid ?? `nocid@${event.time}`) : null,
    observed: event.time,
  });
  c.store.transaction(() => {
    if (sighting.kind === "new") {
      const date = record ? dateMicros(record.updatedAt ?? record.createdAt) : null;
      c.store.config.insert({
        version: sighting.version,
        observed: event.time,
        effective: effectiveTime(date, event.time),
        hashtag: record?.hashtag ?? null,
        record: record ? JSON.stringify(record) : null,
        seen_at: Date.now(),
      });
    } else c.store.config.seenAgain(sighting.version, event.time, Date.now());
    if (sighting.kind !== "repeat") reevaluate(c, c.reloadConfig());
  });
  const refusal = await settleClaim(c, n, applyMore);
  if (refusal) return rejected(refusal);
  if (sighting.kind === "repeat") return ignored("config unchanged");
  return record ? applied() : deleted;
}

/** Re-derives what depends on the config after it changed from `previous`. */
function reevaluate(c: CommunityState, previous: ConfigTimeline): void {
  const next = c.config;
  if (next.hashtag !== previous.hashtag) c.store.posts.retag(next.hashtag);
  const before = previous.moderators();
  const after = next.moderators();
  const changedAuthors = [...before, ...after].filter((did) => before.has(did) !== after.has(did));
  if (!previous.latest || !previous.current !== !next.current)
    changedAuthors.push(...c.store.actions.authors());
  const users = new Set([...next.everBlocklisted()]);
  for (const a of c.store.actions.judgeable(changedAuthors)) {
    const status = next.judge(a.author);
    if (status === a.status) continue;
    c.store.actions.setStatus(a.uri, status);
    if (a.target_kind === "user") users.add(a.target);
    else refreshTarget(c, a.target_kind, a.target);
  }
  for (const did of users) c.standing.refresh(did);
  // Who waits for approval is judged against the config now: its policy and its moderators.
  const approvalChanged =
    previous.joinPolicy !== next.joinPolicy || (next.joinPolicy === "approval" && changedAuthors.length > 0);
  if (approvalChanged)
    for (const did of c.store.members.dids()) if (!users.has(did)) c.standing.refreshMember(did);
  c.moderationWritten = true;
}

/**
 * Claims the current hashtag (a deleted config ends the claim). When the
 * claim holds: takes the posts of any community it displaced, then what was
 * parked for this community and for its hashtag. The hashtags it no longer
 * names are free: the communities refused them are told to claim again.
 * Returns the reason when another community holds the hashtag.
 */
export async function settleClaim(
  c: CommunityState,
  n: Neighbours,
  applyMore: ApplyMore,
): Promise<string | null> {
  const current = c.config.current;
  if (!c.config.latest) return null;
  if (!current) {
    n.hashtagFreed(await n.deactivateCommunity(c.address.uri));
    return null;
  }
  const hashtag = current.hashtag;
  const observed = claimedSince(c.store.config.versions(), hashtag);
  const claim = await n.claimHashtag({ community: c.address.uri, owner: c.address.owner, hashtag, observed });
  n.hashtagFreed(claim.freed);
  if (!claim.ok) {
    c.setRefusal(claim.reason);
    return claim.reason;
  }
  c.setRefusal(null);
  for (const loser of claim.displaced) {
    const reason = `hashtag ${hashtag} was taken over by ${c.address.uri}, whose config was observed naming it earlier`;
    const posts = await n.surrender(loser, hashtag, reason);
    c.store.transaction(() => applyMore(posts));
    await n.handedOver(loser);
  }
  const waiting = claim.parked;
  if (waiting?.forCommunity.events.length) {
    c.store.transaction(() => applyMore(waiting.forCommunity.events));
    await n.releaseParked(c.address.uri, waiting.forCommunity.upTo);
  }
  if (waiting?.posts.events.length) {
    c.store.transaction(() => applyMore(waiting.posts.events));
    await n.releaseParkedPosts(hashtag, waiting.posts.upTo);
  }
  return null;
}

/**
 * When the config began naming `hashtag` without a break: its claim's
 * observed time. A claim that ended (another hashtag, or a delete, came in
 * between) starts again from the later sighting, so leaving a hashtag and
 * naming it again cannot take it back from whoever claimed it meanwhile.
 */
function claimedSince(versions: readonly ConfigVersionRow[], hashtag: string): number {
  const ordered = timeline(versions);
  let since = ordered[ordered.length - 1]?.observed ?? 0;
  for (let i = ordered.length - 1; i >= 0 && ordered[i]?.hashtag === hashtag; i--)
    since = ordered[i]?.observed ?? since;
  return since;
}
