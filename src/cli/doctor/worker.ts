// The Worker itself: does it answer, is its configuration valid, and what
// does describeFeedGenerator say (its service DID and its feeds).
import { counted } from "../command.ts";
import { type Check, fail, ok } from "./checklist.ts";
import { type Answer, errorOf, request, Unreachable } from "./http.ts";

export interface WorkerFacts {
  serviceDid: string;
  feeds: string[];
}

const DEPLOY = "start it (npm start locally, npx wrangler deploy in production) or point --service at it";

/** The configuration problems a Worker refusing with 503 names, one per line. */
function configProblems(answer: Answer): string[] | null {
  if (answer.status !== 503) return null;
  const body = answer.json as { error?: string; message?: string } | undefined;
  if (body?.error === "InvalidConfiguration" && typeof body.message === "string")
    return body.message.split("\n").filter(Boolean);
  return null;
}

export async function checkWorker(
  service: string,
  expectedDid: string | undefined,
): Promise<{ checks: Check[]; facts?: WorkerFacts }> {
  let health: Answer;
  try {
    health = await request(`${service}/xrpc/_health`);
  } catch (err) {
    if (!(err instanceof Unreachable)) throw err;
    return { checks: [fail("worker", `no answer from ${service} (${err.message})`, DEPLOY)] };
  }
  const problems = configProblems(health);
  if (problems) {
    return {
      checks: [
        ok("worker", `the Worker answers at ${service}`),
        fail(
          "config",
          "its configuration is invalid, so it answers every request with 503 (the AppView shows the feed as unavailable)",
          "fix each variable as said, then deploy again (npx wrangler deploy)",
          { details: problems },
        ),
      ],
    };
  }
  if (health.status !== 200) {
    return { checks: [fail("worker", `${service}/xrpc/_health answered HTTP ${health.status}`, DEPLOY)] };
  }
  const checks = [
    ok("worker", `the Worker answers at ${service} (${health.ms} ms)`),
    ok("config", "its configuration is valid"),
  ];
  let described: Answer;
  try {
    described = await request(`${service}/xrpc/app.bsky.feed.describeFeedGenerator`);
  } catch (err) {
    if (!(err instanceof Unreachable)) throw err;
    return {
      checks: [...checks, fail("describe", `describeFeedGenerator: no answer (${err.message})`, DEPLOY)],
    };
  }
  const body = described.json as { did?: unknown; feeds?: { uri?: unknown }[] } | undefined;
  if (described.status !== 200 || typeof body?.did !== "string" || !Array.isArray(body.feeds)) {
    return {
      checks: [
        ...checks,
        fail(
          "describe",
          `describeFeedGenerator failed: ${errorOf(described)}`,
          "the AppView lists no feed of this service until it answers; see the Worker's log (npx wrangler tail)",
        ),
      ],
    };
  }
  const feeds = body.feeds.map((f) => f.uri).filter((u): u is string => typeof u === "string");
  const facts = { serviceDid: body.did, feeds };
  const listed = counted(feeds.length, "feed");
  if (expectedDid && body.did !== expectedDid) {
    return {
      checks: [
        ...checks,
        fail(
          "describe",
          `describeFeedGenerator says the service is ${body.did}, not ${expectedDid}`,
          `set SERVICE_DID = "${expectedDid}" on the Worker, or check with --service-did ${body.did}`,
        ),
      ],
      facts,
    };
  }
  return {
    checks: [...checks, ok("describe", `describeFeedGenerator answers: ${body.did}, ${listed}`)],
    facts,
  };
}
