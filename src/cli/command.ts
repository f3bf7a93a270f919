// What a command of `atrarium` is: its usage and options (which drive parsing
// and --help), whether it needs the stored session, and `run`, which gets a
// Context and returns the result printed as JSON under --json. Also the
// option parsers and output helpers that command groups share.
import { type AtrariumClient, AtrariumError } from "../client/index.ts";

/** The exit codes (README, "The atrarium command line"). */
export const EXIT = {
  ok: 0,
  usage: 1,
  auth: 2,
  notFound: 3,
  network: 4,
  refused: 5,
  checkFailed: 6,
} as const;

/** One option of a command: its type, help line and argument name. */
export type OptionSpec = {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  help: string;
  arg?: string;
};

/** What a command runs with: its arguments, the client and the terminal. */
export interface Context {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  env: NodeJS.ProcessEnv;
  sessionFile: string;
  serviceUrl: string;
  plcUrl?: string;
  serviceDid?: string;
  /** The client, with the stored session when there is one and the command wants it. */
  client(): Promise<AtrariumClient>;
  out(line?: string): void;
  warn(message: string): void;
  readStdin(): Promise<string>;
  /** Reads a secret without echoing it. */
  prompt(question: string): Promise<string>;
  /** Asks a question (on stderr) and reads the answer. */
  ask(question: string): Promise<string>;
  isTTY: boolean;
}

/** One command of `atrarium`. */
export interface Command {
  /** One word, or "group verb". */
  name: string;
  args: string;
  summary: string;
  /** Longer explanation under the usage line. */
  details?: string;
  options?: Record<string, OptionSpec>;
  /** required: fail without a login; optional: use it if present; none: never read it. */
  session: "required" | "optional" | "none";
  minArgs: number;
  maxArgs: number;
  run(ctx: Context): Promise<unknown>;
  /** The exit code for a result (default 0): the doctor exits non-zero when a check failed. */
  exitCode?(result: unknown): number;
}

/** A usage error: exit code 1, the message says what to type instead. */
export const usageError = (message: string) => new AtrariumError("invalid", message);

/** "1 post", "2 posts". */
export const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** A string option's value, if given. */
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A repeatable option's values, each also split at commas. */
export const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === "string" ? [v] : [])
    .flatMap((s: string) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);

function intOption(ctx: Context, name: string, min: number, max: number): number | undefined {
  const raw = str(ctx.values[name]);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw usageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** --limit and --cursor, for the commands that page. */
export const pagingOptions: Record<string, OptionSpec> = {
  limit: { type: "string", arg: "N", help: "how many to show (1-100, default 50)" },
  cursor: { type: "string", arg: "CURSOR", help: "continue from the cursor a previous page printed" },
};

/** The --limit and --cursor values, for a client listing call. */
export const paging = (ctx: Context) => {
  const limit = intOption(ctx, "limit", 1, 100);
  const cursor = str(ctx.values.cursor);
  return { ...(limit !== undefined ? { limit } : {}), ...(cursor ? { cursor } : {}) };
};

/** --admin-password-stdin, for the commands that call admin methods. */
export const adminPasswordOption: Record<string, OptionSpec> = {
  "admin-password-stdin": { type: "boolean", help: "read the admin password from standard input" },
};

/** The Worker's ADMIN_PASSWORD, from --admin-password-stdin or $ATRARIUM_ADMIN_PASSWORD, if given. */
export async function adminPassword(ctx: Context): Promise<string | undefined> {
  if (ctx.values["admin-password-stdin"]) return (await ctx.readStdin()).replace(/\r?\n$/, "") || undefined;
  return ctx.env.ATRARIUM_ADMIN_PASSWORD || undefined;
}

/** The admin password, or a usage error saying how to give it. */
export async function requireAdminPassword(ctx: Context): Promise<string> {
  const password = await adminPassword(ctx);
  if (!password)
    throw usageError("Give the admin password with $ATRARIUM_ADMIN_PASSWORD or --admin-password-stdin");
  return password;
}

/** The first positional, a community in any form people give it, as its AT-URI. */
export async function communityArg(ctx: Context): Promise<{ client: AtrariumClient; uri: string }> {
  const client = await ctx.client();
  return { client, uri: await client.resolveCommunity(ctx.positionals[0] ?? "") };
}

function printWarnings(ctx: Context, result: unknown): void {
  const warnings = (result as { warnings?: unknown }).warnings;
  if (Array.isArray(warnings)) for (const w of warnings) ctx.warn(String(w));
}

/** Prints a result's warnings, then `human` unless --json; returns the result for --json. */
export function show(ctx: Context, result: unknown, human: () => void): unknown {
  printWarnings(ctx, result);
  if (!ctx.json) human();
  return result;
}

/**
 * Prints one page of a listing (unless --json): `empty` when there are no
 * items, else each item, then how to get the next page.
 */
export function showPage<T>(
  ctx: Context,
  page: { cursor?: string },
  items: T[],
  empty: string,
  print: (item: T) => void,
): unknown {
  return show(ctx, page, () => {
    if (items.length === 0) ctx.out(empty);
    for (const item of items) print(item);
    if (page.cursor) ctx.out(`More: --cursor ${page.cursor}`);
  });
}

/** A config's moderators and blocklist, one line each. */
export function printLists(ctx: Context, config: { moderators?: string[]; blocklist?: string[] }): void {
  ctx.out(`  moderators: ${(config.moderators ?? []).join(", ") || "-"}`);
  ctx.out(`  blocklist:  ${(config.blocklist ?? []).join(", ") || "-"}`);
}
