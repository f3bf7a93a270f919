// `atrarium doctor` and `atrarium metrics`: for the people who run a
// deployment. The doctor checks it from the outside; metrics reads the
// operator numbers (admin).
import { DEFAULT_PLC_URL } from "../../client/index.ts";
import {
  adminPassword,
  adminPasswordOption,
  type Command,
  counted,
  EXIT,
  type OptionSpec,
  paging,
  pagingOptions,
  requireAdminPassword,
  showPage,
  str,
  usageError,
} from "../command.ts";
import { type Report, renderReport } from "../doctor/checklist.ts";
import { runDoctor } from "../doctor/doctor.ts";

const doctor: Command = {
  name: "doctor",
  args: "",
  summary: "check a deployment as the Bluesky AppView and a user's PDS see it",
  details: [
    "Checks, from the outside: the Worker answers and its configuration is valid; describeFeedGenerator;",
    "SERVICE_DID's document (did.json) points #bsky_fg (and #atrarium) at the Worker; each feed's generator",
    "record names this service and getFeedSkeleton answers within the AppView's 10 s; and with the admin",
    "password ($ATRARIUM_ADMIN_PASSWORD or --admin-password-stdin): the firehose is connected, under a",
    "minute behind, with no dead letters and no event dropped as too large.",
    "Exit code 6 when a check fails; --json prints the same checklist for scripts.",
  ].join("\n"),
  options: adminPasswordOption,
  session: "none",
  minArgs: 0,
  maxArgs: 0,
  async run(ctx) {
    const password = await adminPassword(ctx);
    const report = await runDoctor({
      service: ctx.serviceUrl,
      ...(ctx.serviceDid ? { serviceDid: ctx.serviceDid } : {}),
      plcUrl: ctx.plcUrl ?? DEFAULT_PLC_URL,
      ...(password ? { adminPassword: password } : {}),
    });
    if (!ctx.json) for (const line of renderReport(report)) ctx.out(line);
    return report;
  },
  exitCode: (report) => ((report as Report).ok ? EXIT.ok : EXIT.checkFailed),
};

const metricsOptions: Record<string, OptionSpec> = {
  minutes: { type: "string", arg: "N", help: "the window of the request numbers (1-60, default 5)" },
  ...pagingOptions,
  ...adminPasswordOption,
};

const metrics: Command = {
  name: "metrics",
  args: "",
  summary: "request latency per method and counts per community (admin)",
  details:
    "Latency is measured in the Worker and summed over its isolates; counts cover the posts of the 7-day window.\nThe admin password is the Worker's ADMIN_PASSWORD, from --admin-password-stdin or $ATRARIUM_ADMIN_PASSWORD.",
  options: metricsOptions,
  session: "none",
  minArgs: 0,
  maxArgs: 0,
  async run(ctx) {
    const raw = str(ctx.values.minutes);
    const minutes = raw === undefined ? undefined : Number(raw);
    if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > 60))
      throw usageError("--minutes must be a whole number from 1 to 60");
    const client = await ctx.client();
    const m = await client.getMetrics(await requireAdminPassword(ctx), {
      ...paging(ctx),
      ...(minutes ? { minutes } : {}),
    });
    if (!ctx.json) {
      ctx.out(`Requests over the last ${m.minutes} min (ms):`);
      if (m.requests.length === 0) ctx.out("  none");
      for (const r of m.requests)
        ctx.out(
          `  ${r.method}: ${counted(r.requests, "request")}, p50 ${r.p50Ms}, p90 ${r.p90Ms}, p99 ${r.p99Ms}, max ${r.maxMs}; ${r.clientErrors} 4xx, ${r.serverErrors} 5xx`,
        );
      ctx.out("Communities (posts of the last 7 days):");
    }
    return showPage(ctx, m, m.communities, "  none", (c) =>
      ctx.out(
        `  ${c.name} (${c.hashtag}): ${counted(c.members, "member")}; ${c.postsAdmitted} posts admitted, ${c.postsRefused} refused, ${c.postsHidden} hidden; ${c.actionsRejected} actions rejected, ${c.invalidRecords} invalid records`,
      ),
    );
  },
};

export const operatorCommands: Command[] = [doctor, metrics];
