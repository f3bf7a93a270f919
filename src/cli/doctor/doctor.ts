// `atrarium doctor`: checks a deployment from the outside, as the Bluesky
// AppView and a user's PDS see it, in the order they depend on each other:
// the Worker answers with a valid configuration → describeFeedGenerator →
// SERVICE_DID's document points at the Worker → each feed's generator record
// names the service and getFeedSkeleton answers in time → (with the admin
// password) the firehose. A failure early on skips what depends on it.
import { createIdResolver } from "../../client/identity.ts";
import type { Report } from "./checklist.ts";
import { checkDidDocument } from "./did-document.ts";
import { checkFeeds } from "./feeds.ts";
import { checkFirehose } from "./firehose.ts";
import { checkWorker } from "./worker.ts";

export interface DoctorOptions {
  /** The Worker's base URL (PUBLIC_URL, as the AppView reaches it). */
  service: string;
  /** The service DID the deployment should have (default: what describeFeedGenerator says). */
  serviceDid?: string;
  plcUrl: string;
  adminPassword?: string;
}

export async function runDoctor(options: DoctorOptions): Promise<Report> {
  const service = new URL(options.service).origin;
  const report: Report = { service, ok: false, checks: [], numbers: [] };
  const worker = await checkWorker(service, options.serviceDid);
  report.checks.push(...worker.checks);
  if (worker.facts) {
    const { serviceDid, feeds } = worker.facts;
    report.serviceDid = serviceDid;
    const [identity, feedChecks] = await Promise.all([
      checkDidDocument(serviceDid, service, options.plcUrl),
      checkFeeds(feeds, serviceDid, service, createIdResolver(options.plcUrl)),
    ]);
    // Last, so that the numbers include the requests just made.
    const firehose = await checkFirehose(service, options.adminPassword);
    report.checks.push(...identity, ...feedChecks, ...firehose.checks);
    report.numbers.push(...firehose.numbers);
  }
  report.ok = report.checks.every((c) => c.status !== "fail");
  return report;
}
