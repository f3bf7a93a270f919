// Recomputes everything derived from the stored records: effective times
// from the records' own dates, the standing of actions, hidden flags and
// pins, tags, members and post admission, and what the Directory must know.
// Run once after a schema migration changes how derived values are computed.
import { refreshTarget } from "./apply/moderation.ts";
import type { CommunityState } from "./state.ts";
import { dateMicros, effectiveTime } from "./time.ts";

export function rederive(c: CommunityState): void {
  const { store } = c;
  for (const row of store.config.versions()) {
    const record = row.record ? (JSON.parse(row.record) as { updatedAt?: string; createdAt?: string }) : null;
    const date = record ? dateMicros(record.updatedAt ?? record.createdAt) : null;
    store.config.setEffective(row.version, effectiveTime(date, row.observed));
  }
  c.reloadConfig();
  for (const v of store.memberships.all())
    store.memberships.setEffective(
      v.uri,
      v.version,
      v.active ? effectiveTime(dateMicros(v.joined_at), v.observed) : v.observed,
    );
  for (const a of store.actions.dated()) {
    store.actions.setEffective(a.uri, effectiveTime(dateMicros(a.created_at), a.observed));
    store.actions.setStatus(a.uri, c.config.judge(a.author));
  }
  for (const p of store.posts.dated())
    store.posts.setEffective(p.uri, effectiveTime(dateMicros(p.created_at), p.observed));
  store.posts.retag(c.config.hashtag);
  // Every post any action names, counting or not: an action that stopped counting must un-hide (and unpin) too.
  for (const uri of store.actions.targetsNamed("post")) refreshTarget(c, "post", uri);
  c.standing.forgetAll();
  const dids = new Set([...store.memberships.dids(), ...store.members.dids(), ...store.posts.authors()]);
  for (const did of dids) c.standing.refresh(did);
  for (const did of store.posts.authors()) store.meta.tellDirectory(did, "poster", true);
  for (const did of store.actions.authors()) store.meta.tellDirectory(did, "actor", true);
  for (const did of store.memberships.dids())
    store.meta.tellDirectory(did, "member", store.memberships.recordsOf(did).length > 0);
}
