// With the admin password: the firehose as getFirehoseStatus reports it
// (connected, lag, dead letters, events dropped as too large, parked events
// pushed out or expired), and the
// operator numbers of getMetrics. A field an older Worker does not report is
// "unknown", never a pass.
import type { FirehoseStatus, Metrics } from "../../client/types.ts";
import { counted } from "../command.ts";
import { type Check, fail, ok, unknown } from "./checklist.ts";
import { type Answer, errorOf, request, Unreachable } from "./http.ts";

/** Above this the firehose is behind enough for people to notice missing posts. */
export const MAX_LAG_SECONDS = 60;

/** getFirehoseStatus; an older Worker may lack the dead-letter and buffer fields (read when present, never assumed). */
type Status = FirehoseStatus;

const START = (service: string) =>
  `the cron trigger restarts it within a minute; if it stays down, check that JETSTREAM_URL is reachable from the Worker, or start it: curl -u admin:$ATRARIUM_ADMIN_PASSWORD -X POST ${service}/xrpc/com.atrarium.admin.startFirehose`;

function firehoseChecks(s: Status, service: string): Check[] {
  const checks: Check[] = [];
  checks.push(
    s.connected
      ? ok("firehose-connected", `the firehose is connected (${s.url ?? "?"})`)
      : fail(
          "firehose-connected",
          `the firehose is not connected${s.lastError ? ` (last error: ${s.lastError})` : ""}: no new record reaches the index`,
          START(service),
        ),
  );
  if (typeof s.lagSeconds !== "number") {
    checks.push(unknown("firehose-lag", "the firehose's lag is unknown: it has not seen an event yet"));
  } else if (s.lagSeconds < MAX_LAG_SECONDS) {
    checks.push(ok("firehose-lag", `the firehose is ${s.lagSeconds} s behind (under ${MAX_LAG_SECONDS} s)`));
  } else {
    checks.push(
      fail(
        "firehose-lag",
        `the firehose is ${s.lagSeconds} s behind (over ${MAX_LAG_SECONDS} s): new posts show up late`,
        s.connected
          ? "Jetstream is behind, or the receiver cannot keep up: compare eventsSeenPerSecond with the relay's rate (atrarium firehose status)"
          : START(service),
      ),
    );
  }
  if (typeof s.deadLetters !== "number") {
    checks.push(unknown("dead-letters", "dead letters: unknown (this Worker does not count them)"));
  } else if (s.deadLetters === 0) {
    checks.push(ok("dead-letters", "no dead letters"));
  } else {
    checks.push(
      fail(
        "dead-letters",
        `${s.deadLetters} dead letters: queue messages that failed every attempt and are not in the index`,
        `see why with com.atrarium.admin.listDeadLetters, fix the cause, then replay them with com.atrarium.admin.redriveDeadLetters (${service})`,
      ),
    );
  }
  if (typeof s.eventsTooLarge !== "number") {
    checks.push(
      unknown("too-large", "events dropped as too large: unknown (this Worker does not report it)"),
    );
  } else if (s.eventsTooLarge === 0) {
    checks.push(ok("too-large", "no event was dropped as too large"));
  } else {
    checks.push(
      fail(
        "too-large",
        `${s.eventsTooLarge} events were dropped as too large for a queue message: those records are not in the index`,
        "rebuild the communities concerned from the repos with com.atrarium.admin.resyncCommunity",
      ),
    );
  }
  checks.push(parkingCheck(s.routing));
  return checks;
}

/** Events the Directory parked and lost before a community could take them (pushed out by a bound). */
function parkingCheck(r: Status["routing"]): Check {
  if (typeof r?.evictedPosts !== "number")
    return unknown("parking", "parked events pushed out: unknown (this Worker does not count them)");
  const posts = r.evictedPosts;
  const byDid = r.evictedByDid ?? 0;
  const forCommunity = r.evictedForCommunity ?? 0;
  const evicted = posts + byDid + forCommunity;
  if (evicted === 0) return ok("parking", "no parked event was pushed out before it could be applied");
  return fail(
    "parking",
    `${counted(evicted, "parked event")} pushed out before it could be applied (${posts} posts, ${byDid} deletes and edits, ${forCommunity} memberships and actions): someone floods made-up hashtags or communities, or a burst outgrew the bounds`,
    "the Worker's log names the authors (parked_evicted); rebuild a community that misses posts with com.atrarium.admin.resyncCommunity",
  );
}

/** What waits in the Directory now, and what expired there unapplied. */
function parkingNumbers(r: Status["routing"]): string[] {
  if (!r) return [];
  const lines = [
    `parked now: ${r.waitingPosts} posts, ${r.waitingByDid} deletes and edits, ${r.waitingForCommunity} memberships and actions`,
  ];
  if (typeof r.expiredPosts === "number")
    lines.push(
      `parked and expired unapplied: ${r.expiredPosts} posts (no config holds their hashtag), ${r.expiredByDid ?? 0} deletes and edits (no community knows their author)`,
    );
  return lines;
}

const FEED_METHOD = "app.bsky.feed.getFeedSkeleton";

function metricsNumbers(m: Metrics): string[] {
  // The feed first: it is what the AppView waits for.
  const requests = [...m.requests].sort(
    (a, b) => Number(b.method === FEED_METHOD) - Number(a.method === FEED_METHOD),
  );
  const lines = requests.map(
    (r) =>
      `${r.method} (last ${m.minutes} min): ${counted(r.requests, "request")}, p50 ${r.p50Ms} ms, p90 ${r.p90Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; ${r.clientErrors} 4xx, ${r.serverErrors} 5xx`,
  );
  for (const c of m.communities)
    lines.push(
      `${c.name} (${c.hashtag}): ${c.postsAdmitted} posts admitted, ${c.postsRefused} refused, ${c.postsHidden} hidden; ${c.actionsRejected} actions rejected`,
    );
  return lines;
}

export async function checkFirehose(
  service: string,
  password: string | undefined,
): Promise<{ checks: Check[]; numbers: string[] }> {
  if (!password) {
    return {
      checks: [
        unknown(
          "firehose",
          "the firehose, its lag, dead letters and dropped events were not checked (no admin password)",
          "set $ATRARIUM_ADMIN_PASSWORD, or pass --admin-password-stdin, to the Worker's ADMIN_PASSWORD",
        ),
      ],
      numbers: [],
    };
  }
  const headers = { authorization: `Basic ${Buffer.from(`admin:${password}`).toString("base64")}` };
  let status: Answer;
  try {
    status = await request(`${service}/xrpc/com.atrarium.admin.getFirehoseStatus`, { headers });
  } catch (err) {
    if (!(err instanceof Unreachable)) throw err;
    return {
      checks: [fail("firehose", `getFirehoseStatus gave no answer (${err.message})`, "retry")],
      numbers: [],
    };
  }
  if (status.status === 401)
    return {
      checks: [fail("admin", "the admin password was refused", "give the Worker's ADMIN_PASSWORD")],
      numbers: [],
    };
  if (status.status !== 200)
    return {
      checks: [fail("firehose", `getFirehoseStatus failed: ${errorOf(status)}`, "see the Worker's log")],
      numbers: [],
    };
  const s = status.json as Status;
  const numbers: string[] = [];
  if (typeof s.eventsSeenPerSecond === "number") numbers.push(`firehose: ${s.eventsSeenPerSecond} events/s`);
  numbers.push(
    typeof s.oldestBufferedMs === "number"
      ? `oldest event waiting for the queue: ${s.oldestBufferedMs} ms`
      : "oldest event waiting for the queue: none reported",
  );
  numbers.push(...parkingNumbers(s.routing));
  try {
    const metrics = await request(`${service}/xrpc/com.atrarium.admin.getMetrics`, { headers });
    if (metrics.status === 200) numbers.push(...metricsNumbers(metrics.json as Metrics));
    else numbers.push(`request latency and community counts: not available (${errorOf(metrics)})`);
  } catch (err) {
    if (!(err instanceof Unreachable)) throw err;
    numbers.push(`request latency and community counts: no answer (${err.message})`);
  }
  return { checks: firehoseChecks(s, service), numbers };
}
