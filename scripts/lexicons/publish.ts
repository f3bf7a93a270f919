// `npm run lexicons:publish`: publishes our com.atrarium.* lexicons as
// com.atproto.lexicon.schema records (record key = NSID) in the repo of the
// account that controls the NSID authorities, so tools such as `lex install`
// and @atproto/lex-resolver (and PDSes resolving permission sets) find them.
//
// A dry run by default: it prints each lexicon as missing, same, different or
// extra, and the DNS TXT records that point the authorities at the account.
// --apply writes the missing and different ones, --prune also deletes extra
// ones. A change that would break records already written (lexicon evolution
// rules) or a permission set granting outside its namespace is refused,
// naming the field, and nothing is written.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { AtpAgent } from "@atproto/api";
import { type Io, processIo, reportFailure } from "../../src/cli/main.ts";
import { agentFromSession, loadSession, type StoredSession, sessionPath } from "../../src/cli/session.ts";
import { findPds, pdsOption, readPassword, signIn } from "../../src/cli/sign-in.ts";
import { AtrariumError, createIdResolver, parseActor } from "../../src/client/index.ts";
import { loadOwnLexicons, txtRecords } from "./documents.ts";
import { type Plan, planPublish, type Status } from "./plan.ts";
import { applyPlan, readPublished, type Written } from "./repo.ts";

const PROGRAM = "lexicons:publish";
const DEFAULT_LEXICONS = new URL("../../lexicons", import.meta.url).pathname;

const OPTIONS = {
  apply: { type: "boolean" },
  prune: { type: "boolean" },
  authority: { type: "string" },
  pds: { type: "string" },
  plc: { type: "string" },
  lexicons: { type: "string" },
  "password-stdin": { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const HELP = `Usage: npm run lexicons:publish -- [--apply] [--prune] [--authority HANDLE_OR_DID] [options]

Publishes lexicons/com/atrarium/**.json as com.atproto.lexicon.schema records in
the repo of the lexicon authority account. Without --apply it only shows what
would change and the DNS TXT records to create.

  --apply                 write the missing and changed lexicons
  --prune                 with --apply, also delete published com.atrarium.* lexicons
                          that lexicons/ no longer has (never deleted otherwise)
  --authority ACCOUNT     the account holding the lexicons (default
                          $ATRARIUM_LEXICON_AUTHORITY, else the account of atrarium login)
  --pds URL               its PDS (default: found by DID resolution)
  --plc URL               PLC directory (default $ATRARIUM_PLC_URL or https://plc.directory)
  --password-stdin        read its app password from standard input (else
                          $ATRARIUM_PASSWORD, a prompt, or the atrarium login session)
  --lexicons DIR          where the lexicons are (default: lexicons/)
  --json                  machine-readable output

A change that breaks records already written (a new required field, a removed
field, a narrower constraint) is refused and named: publish it under a new NSID.`;

interface Args {
  apply: boolean;
  prune: boolean;
  json: boolean;
  passwordStdin: boolean;
  authority?: string;
  pds?: string;
  plc?: string;
  lexicons: string;
}

function parse(argv: string[]): Args | "help" {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true }));
  } catch (err) {
    throw new AtrariumError("invalid", `${(err as Error).message.split("\n")[0]}; see --help`);
  }
  if (values.help) return "help";
  if (values.prune && !values.apply) {
    throw new AtrariumError("invalid", "--prune deletes records, so it only runs with --apply");
  }
  return {
    apply: Boolean(values.apply),
    prune: Boolean(values.prune),
    json: Boolean(values.json),
    passwordStdin: Boolean(values["password-stdin"]),
    lexicons: values.lexicons ?? DEFAULT_LEXICONS,
    ...(values.authority ? { authority: values.authority } : {}),
    ...(values.pds ? { pds: pdsOption(values.pds) } : {}),
    ...(values.plc ? { plc: values.plc } : {}),
  };
}

interface Authority {
  did: string;
  pds: string;
  /** The atrarium login session, when it is this account's. */
  session?: StoredSession;
}

function storedSession(io: Io): StoredSession | undefined {
  const warn = (m: string) => io.stderr(`${PROGRAM}: warning: ${m}\n`);
  try {
    return loadSession(sessionPath(io.env), warn);
  } catch (err) {
    warn(`Not using your atrarium session: ${(err as Error).message}`);
    return undefined;
  }
}

/** The authority account (DID and PDS), named by --authority, the environment or the CLI session. */
async function findAuthority(args: Args, io: Io): Promise<Authority> {
  const stored = storedSession(io);
  const plcUrl = args.plc ?? io.env.ATRARIUM_PLC_URL ?? stored?.plcUrl;
  const named = args.authority ?? io.env.ATRARIUM_LEXICON_AUTHORITY ?? stored?.did;
  if (!named) {
    throw new AtrariumError(
      "invalid",
      "Name the account that holds the lexicons: --authority HANDLE_OR_DID (or sign in with atrarium login)",
    );
  }
  const ref = parseActor(named);
  let did: string;
  if ("did" in ref) did = ref.did;
  else if (args.pds) {
    const agent = new AtpAgent({ service: args.pds });
    did = (await agent.com.atproto.identity.resolveHandle(ref).catch(() => undefined))?.data.did ?? "";
    if (!did) throw new AtrariumError("not_found", `${args.pds} does not know the handle ${ref.handle}`);
  } else
    did = await createIdResolver(plcUrl)
      .handle.resolve(ref.handle)
      .then((found) => found ?? "");
  if (!did) throw new AtrariumError("not_found", `Could not resolve the handle ${named}`);
  const pds = args.pds ?? (await findPds(did, plcUrl));
  return { did, pds, ...(stored?.did === did ? { session: stored } : {}) };
}

/** The authority's session: the atrarium login one if it is theirs, else a sign-in with an app password. */
async function authorityAgent(args: Args, io: Io, authority: Authority): Promise<AtpAgent> {
  if (authority.session && !args.passwordStdin && !io.env.ATRARIUM_PASSWORD) {
    return agentFromSession(sessionPath(io.env), authority.session);
  }
  const password = await readPassword({ ...io, fromStdin: args.passwordStdin });
  return signIn(authority.did, password, authority.pds);
}

const STATUS_NOTE: Record<Status, string> = {
  missing: "not published yet",
  same: "published, identical",
  different: "published, differs from lexicons/",
  extra: "published, not in lexicons/",
};

function printPlan(out: (line?: string) => void, plan: Plan, authority: Authority, prune: boolean): void {
  out(`com.atrarium lexicons in the repo of ${authority.did} (${authority.pds}):`);
  const width = Math.max(...plan.entries.map((e) => e.nsid.length));
  for (const e of plan.entries) {
    const fate = e.status !== "extra" ? "" : prune ? "; deleted by --prune" : "; kept (--prune deletes it)";
    out(`  ${e.status.padEnd(9)}  ${e.nsid.padEnd(width)}  ${STATUS_NOTE[e.status]}${fate}`);
  }
  out();
  out("DNS TXT records to create (one per NSID authority):");
  const records = dnsRecords(plan, authority.did);
  const nameWidth = Math.max(...records.map((r) => r.name.length));
  for (const r of records) out(`  ${r.name.padEnd(nameWidth)}  TXT  "${r.value}"`);
}

/** One TXT record per authority of the lexicons we publish. */
const dnsRecords = (plan: Plan, did: string) =>
  txtRecords(
    plan.entries.filter((e) => e.status !== "extra").map((e) => e.nsid),
    did,
  );

function summary(plan: Plan, prune: boolean, written?: Written): string {
  if (written) {
    const { created, updated, deleted } = written;
    return `Published: ${created.length} created, ${updated.length} updated, ${deleted.length} deleted.`;
  }
  const count = (status: Status) => plan.entries.filter((e) => e.status === status).length;
  if (count("missing") + count("different") + (prune ? count("extra") : 0) === 0) {
    return "Dry run: everything is published already; nothing to write.";
  }
  return `Dry run: nothing written; ${count("missing")} to create, ${count("different")} to update. Run with --apply to publish.`;
}

/** Runs the publisher; returns the exit code (0 ok, 1 refused or bad input, else as the CLI). */
export async function publish(argv: string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  const out = (line = "") => io.stdout(`${line}\n`);
  try {
    const args = parse(argv);
    if (args === "help") {
      out(HELP);
      return 0;
    }
    const local = loadOwnLexicons(args.lexicons);
    const authority = await findAuthority(args, io);
    const published = await readPublished(authority.pds, authority.did);
    const plan = planPublish(local, published.documents);
    const report = { did: authority.did, pds: authority.pds, plan, dns: dnsRecords(plan, authority.did) };
    if (plan.problems.length > 0) {
      if (json) out(JSON.stringify({ ...report, written: null }, null, 2));
      else printPlan(out, plan, authority, args.prune);
      io.stderr(
        `${PROGRAM}: refusing to publish; nothing was written:\n${plan.problems.map((p) => `  ${p}\n`).join("")}` +
          "A change that breaks records already written needs a new NSID.\n",
      );
      return 1;
    }
    if (!json) printPlan(out, plan, authority, args.prune);
    const written = args.apply
      ? await applyPlan(await authorityAgent(args, io, authority), authority.did, plan, local, {
          head: published.head,
          prune: args.prune,
        })
      : undefined;
    if (json) out(JSON.stringify({ ...report, written: written ?? null }, null, 2));
    else out(`\n${summary(plan, args.prune, written)}`);
    return 0;
  } catch (err) {
    return reportFailure(err, io, { json, program: PROGRAM });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await publish(process.argv.slice(2), processIo());
}
