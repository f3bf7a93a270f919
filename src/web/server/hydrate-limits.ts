// Bounds on /web/hydrate, which anyone may call without signing in: each call
// starts at most LOOKUPS_PER_CALL upstream lookups (each a DID resolution and
// one read from a PDS or an AppView), and each client gets a few calls a
// minute. The per-client count is the Workers Rate Limiting binding
// HYDRATE_LIMITER (shared by the isolates of a Cloudflare location; see
// wrangler.toml); without it, a bucket in the isolate.
import type { Env } from "../../env.ts";
import { allowRequest } from "../../sync/rateLimit.ts";
import { LookupBudget } from "./lookup-budget.ts";

export const LOOKUPS_PER_CALL = 20;

/** Whether this client may make another call now. */
export async function allowHydrate(env: Pick<Env, "HYDRATE_LIMITER">, client: string): Promise<boolean> {
  if (env.HYDRATE_LIMITER) return (await env.HYDRATE_LIMITER.limit({ key: `hydrate:${client}` })).success;
  return allowRequest(`web:${client}`);
}

/** The upstream lookups one call may start. */
export const callBudget = () => new LookupBudget(LOOKUPS_PER_CALL);
