// A token bucket per caller, per isolate: enough to stop one client from
// hammering the authors' PDSes through requestIndex.

const CAPACITY = 30;
const REFILL_PER_SECOND = 1;
const buckets = new Map<string, { tokens: number; at: number }>();

export function allowRequest(key: string, now = Date.now()): boolean {
  const bucket = buckets.get(key) ?? { tokens: CAPACITY, at: now };
  bucket.tokens = Math.min(CAPACITY, bucket.tokens + ((now - bucket.at) / 1000) * REFILL_PER_SECOND);
  bucket.at = now;
  const allowed = bucket.tokens >= 1;
  if (allowed) bucket.tokens -= 1;
  if (buckets.size > 50_000) buckets.clear();
  buckets.set(key, bucket);
  return allowed;
}
