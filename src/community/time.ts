// The index's one time model (design.md, "Time"). Every record event has an
// effective time: min(the record's own date, when it was first observed).
// Observed is the relay's clock on the firehose (Jetstream time_us) and the
// moment of reading for requestIndex and resync. So nothing can be dated into
// the future, and for an honest record (dated a few seconds before it is
// seen) the effective time is its own date on every path: the live index and
// a rebuild from the repos agree.
//
// All times are microseconds since the epoch, Jetstream's unit.

export type Micros = number;

/** A record's date field (an atproto datetime) in µs, or null when absent or unparseable. */
export function dateMicros(value: unknown): Micros | null {
  if (typeof value !== "string") return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  // Date.parse keeps milliseconds; a datetime may carry microseconds.
  const fraction = /\.(\d{4,6})\d*(?:Z|[+-])/.exec(value)?.[1];
  const extra = fraction ? Number(fraction.padEnd(6, "0").slice(3, 6)) : 0;
  return ms * 1000 + extra;
}

/** The atproto datetime of a time in µs, to the millisecond: what dateMicros reads back. */
export const microsToDatetime = (t: Micros): string => new Date(Math.floor(t / 1000)).toISOString();

/** min(date, observed); a record without a usable date takes effect when observed. */
export function effectiveTime(date: Micros | null, observed: Micros): Micros {
  return date === null ? observed : Math.min(date, observed);
}

/** One version of a record: its content key, when it was first seen, and when it takes effect. */
export interface Version {
  /** The record's CID, or "delete@<observed>" for a delete. */
  version: string;
  observed: Micros;
  effective: Micros;
}

export const deleteVersion = (observed: Micros) => `delete@${observed}`;

/**
 * The versions of one record in the order they were written, each with the
 * time from which it holds. Versions are ordered by when they were first
 * seen; a later version never holds from before an earlier one (a backdated
 * edit takes effect no sooner than the version it replaces).
 */
export function timeline<V extends Version>(versions: readonly V[]): (V & { from: Micros })[] {
  const ordered = [...versions].sort(
    (a, b) => a.observed - b.observed || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0),
  );
  let floor = Number.NEGATIVE_INFINITY;
  return ordered.map((v) => {
    floor = Math.max(floor, v.effective);
    return { ...v, from: floor };
  });
}

/** The entry of a timeline in force at `at` (the last one holding from at or before it). */
export function holdingAt<T extends { from: Micros }>(entries: readonly T[], at: Micros): T | undefined {
  let found: T | undefined;
  for (const entry of entries) {
    if (entry.from <= at) found = entry;
    else break;
  }
  return found;
}

export type Sighting =
  /** A version not seen before. */
  | { kind: "new"; version: string }
  /** A known version, seen earlier than before: its observed (and effective) time moves back. */
  | { kind: "earlier"; version: string }
  /** A known version seen again, no earlier: nothing changes. */
  | { kind: "repeat"; version: string };

const isDelete = (version: string) => version.startsWith("delete@");

/**
 * Where one sighting of a record falls among the versions already known. A
 * content version is known by its CID. A delete has no content: sightings of
 * the same delete (the firehose's event, then requestIndex finding the record
 * gone) are one version, the delete that follows the same content version.
 */
export function placeSighting(
  versions: readonly Version[],
  sighting: { cid: string | null; observed: Micros },
): Sighting {
  const compare = (known: Version): Sighting =>
    sighting.observed < known.observed
      ? { kind: "earlier", version: known.version }
      : { kind: "repeat", version: known.version };
  if (sighting.cid !== null) {
    const known = versions.find((v) => v.version === sighting.cid);
    return known ? compare(known) : { kind: "new", version: sighting.cid };
  }
  const ordered = timeline(versions);
  let after = -1;
  ordered.forEach((v, i) => {
    if (!isDelete(v.version) && v.observed < sighting.observed) after = i;
  });
  const next = ordered[after + 1];
  return next && isDelete(next.version)
    ? compare(next)
    : { kind: "new", version: deleteVersion(sighting.observed) };
}
