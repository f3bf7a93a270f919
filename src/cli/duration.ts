// Durations as people type them on the command line (`block --for 7d`):
// a whole number and a unit, minutes to weeks.

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** Milliseconds for "30m", "12h", "1d", "7d", "1w", "2w"…; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})\s*([mhdw])$/i.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (UNIT_MS[(match[2] ?? "").toLowerCase()] ?? 0);
  return ms > 0 ? ms : undefined;
}
