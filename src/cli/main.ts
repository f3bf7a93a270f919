// `atrarium`: the command line for community managers and members. Parses the
// arguments (node:util parseArgs), runs one command, prints its result (text,
// or JSON with --json) and turns every failure into one line on stderr and an
// exit code.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { AtpAgent } from "@atproto/api";
import { AtrariumClient, AtrariumError, type AtrariumErrorKind } from "../client/index.ts";
import { type Command, type Context, EXIT, type OptionSpec, usageError } from "./command.ts";
import { commands } from "./commands.ts";
import { agentFromSession, loadSession, sessionPath } from "./session.ts";

export { EXIT } from "./command.ts";

const EXIT_FOR: Record<AtrariumErrorKind, number> = {
  invalid: EXIT.usage,
  auth: EXIT.auth,
  not_found: EXIT.notFound,
  network: EXIT.network,
  forbidden: EXIT.refused,
  conflict: EXIT.refused,
  server: EXIT.refused,
};

const DEFAULT_SERVICE = "http://127.0.0.1:8787";

const globalOptions: Record<string, OptionSpec> = {
  service: {
    type: "string",
    arg: "URL",
    help: `the Atrarium service (Worker); default $ATRARIUM_SERVICE or ${DEFAULT_SERVICE}`,
  },
  "service-did": {
    type: "string",
    arg: "DID",
    help: "its service DID (default $ATRARIUM_SERVICE_DID, else asked from the service)",
  },
  plc: {
    type: "string",
    arg: "URL",
    help: "PLC directory for DID resolution (default $ATRARIUM_PLC_URL or https://plc.directory)",
  },
  json: { type: "boolean", help: "machine-readable JSON on stdout" },
  help: { type: "boolean", short: "h", help: "show help" },
};

/** The terminal, as run() sees it (tests pass their own). */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<string>;
  /** Reads a secret from the terminal without echoing it. */
  prompt: (question: string) => Promise<string>;
  /** Asks a question on the terminal and reads the answer (absent: no one to ask, the answer is ""). */
  ask?: (question: string) => Promise<string>;
  isTTY: boolean;
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.arg ? ` ${spec.arg}` : ""}`;
    return `  ${flag.padEnd(30)} ${spec.help}${spec.multiple ? " (repeatable)" : ""}`;
  });
}

export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => `${c.name} ${c.args}`.length));
  return [
    "Usage: atrarium [options] <command> [arguments]",
    "",
    "Membership-filtered community feeds on the AT Protocol. Your records are written",
    "into your own repo with your own session; the Atrarium service only reads them.",
    "",
    "Commands:",
    ...commands.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}  ${c.summary}`),
    "",
    "Options (for every command):",
    ...optionLines(globalOptions),
    "",
    "A <community> is its at:// URI, its feed's at:// URI or bsky.app link, or its hashtag.",
    "Run atrarium <command> --help for a command's options.",
    "",
    "Exit codes: 0 ok, 1 usage or invalid input, 2 not signed in / auth refused,",
    "3 not found, 4 network (a server could not be reached), 5 refused by a server,",
    "6 a check of atrarium doctor failed.",
  ].join("\n");
}

export function commandHelp(command: Command): string {
  return [
    `Usage: atrarium ${command.name}${command.args ? ` ${command.args}` : ""} [options]`,
    "",
    `${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.details ? ["", command.details] : []),
    ...(command.options ? ["", "Options:", ...optionLines(command.options)] : []),
    "",
    "Global options:",
    ...optionLines(globalOptions),
  ].join("\n");
}

type ParseSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;
const toParseSpec = (options: Record<string, OptionSpec>): ParseSpec =>
  Object.fromEntries(
    Object.entries(options).map(([k, v]) => [
      k,
      { type: v.type, ...(v.multiple ? { multiple: true } : {}), ...(v.short ? { short: v.short } : {}) },
    ]),
  );

/** Every option any command knows, to find the command words wherever options sit. */
const allOptions: ParseSpec = toParseSpec(
  Object.assign({}, globalOptions, ...commands.map((c) => c.options ?? {})) as Record<string, OptionSpec>,
);

function findCommand(words: string[]): { command?: Command; rest: string[]; partial?: string } {
  for (const c of commands) {
    const parts = c.name.split(" ");
    if (parts.every((p, i) => words[i] === p)) return { command: c, rest: words.slice(parts.length) };
  }
  const group = words[0];
  if (group && commands.some((c) => c.name.startsWith(`${group} `)))
    return { rest: words.slice(1), partial: group };
  return { rest: words };
}

function parseError(err: unknown): AtrariumError {
  const message = err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err);
  return usageError(message.replace(/\. To specify a positional argument.*$/, ""));
}

/**
 * Prints a failure as one line on stderr (a JSON object with --json) and
 * returns its exit code. `program` prefixes the line ("atrarium").
 */
export function reportFailure(err: unknown, io: Io, options: { json: boolean; program: string }): number {
  const e =
    err instanceof AtrariumError
      ? err
      : new AtrariumError("server", `Unexpected error: ${err instanceof Error ? err.message : String(err)}`);
  const line = e.message.replace(/\s*\n\s*/g, " ");
  if (options.json) {
    const error = { kind: e.kind, message: line, ...(e.xrpcError ? { xrpcError: e.xrpcError } : {}) };
    io.stderr(`${JSON.stringify({ error })}\n`);
  } else io.stderr(`${options.program}: ${line}\n`);
  if (io.env.ATRARIUM_DEBUG && err instanceof Error) io.stderr(`${err.stack}\n`);
  return EXIT_FOR[e.kind];
}

/** Runs one command line; returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  const fail = (err: unknown): number => reportFailure(err, io, { json, program: "atrarium" });

  try {
    let loose: ReturnType<typeof parseArgs>;
    try {
      loose = parseArgs({ args: argv, options: allOptions, allowPositionals: true, strict: false });
    } catch (err) {
      throw parseError(err);
    }
    const words = loose.positionals;
    if (words[0] === "help") {
      const { command } = findCommand(words.slice(1));
      io.stdout(`${command ? commandHelp(command) : mainHelp()}\n`);
      return EXIT.ok;
    }
    if (words.length === 0) {
      if (loose.values.help) {
        io.stdout(`${mainHelp()}\n`);
        return EXIT.ok;
      }
      throw usageError("No command given; run atrarium --help for the list");
    }
    const { command, partial } = findCommand(words);
    if (!command) {
      if (partial) {
        const subs = commands
          .filter((c) => c.name.startsWith(`${partial} `))
          .map((c) => c.name.split(" ")[1]);
        if (loose.values.help) {
          io.stdout(`${mainHelp()}\n`);
          return EXIT.ok;
        }
        throw usageError(
          `"${partial}" needs one of: ${subs.join(", ")}; run atrarium ${partial} <${subs.join("|")}> --help`,
        );
      }
      throw usageError(`Unknown command "${words[0]}"; run atrarium --help for the list`);
    }
    if (loose.values.help) {
      io.stdout(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }

    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: argv,
        options: toParseSpec({ ...globalOptions, ...(command.options ?? {}) }),
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      const e = parseError(err);
      throw usageError(`${e.message}; run atrarium ${command.name} --help`);
    }
    const positionals = parsed.positionals.slice(command.name.split(" ").length);
    if (positionals.length < command.minArgs || positionals.length > command.maxArgs) {
      throw usageError(
        `Usage: atrarium ${command.name} ${command.args}`.trimEnd() +
          ` (run atrarium ${command.name} --help)`,
      );
    }

    const values = parsed.values as Context["values"];
    const env = io.env;
    const sessionFile = sessionPath(env);
    const warn = (m: string) => io.stderr(`atrarium: warning: ${m.replace(/\s*\n\s*/g, " ")}\n`);
    let stored: ReturnType<typeof loadSession>;
    if (command.session === "required") stored = loadSession(sessionFile, warn);
    else if (command.session === "optional") {
      try {
        stored = loadSession(sessionFile, warn);
      } catch (err) {
        warn(`Continuing without your session: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const serviceUrl = (values.service as string | undefined) ?? env.ATRARIUM_SERVICE ?? DEFAULT_SERVICE;
    try {
      new URL(serviceUrl);
    } catch {
      throw usageError(`--service must be a URL, got "${serviceUrl}"`);
    }
    const plcUrl = (values.plc as string | undefined) ?? env.ATRARIUM_PLC_URL ?? stored?.plcUrl;
    const serviceDid = (values["service-did"] as string | undefined) ?? env.ATRARIUM_SERVICE_DID;

    if (command.session === "required" && !stored) {
      throw new AtrariumError("auth", "You are not logged in; run atrarium login <handle> first");
    }
    let client: AtrariumClient | undefined;
    const ctx: Context = {
      positionals,
      values,
      json,
      env,
      sessionFile,
      serviceUrl,
      ...(plcUrl ? { plcUrl } : {}),
      ...(serviceDid ? { serviceDid } : {}),
      async client() {
        if (!client) {
          let agent: AtpAgent | undefined;
          if (stored) {
            try {
              agent = await agentFromSession(sessionFile, stored);
            } catch (err) {
              if (command.session === "required") throw err;
              warn(`Continuing without your session: ${err instanceof Error ? err.message : String(err)}`);
            }
          }
          client = new AtrariumClient({
            service: serviceUrl,
            ...(agent ? { agent } : {}),
            ...(plcUrl ? { plcUrl } : {}),
            ...(serviceDid ? { serviceDid } : {}),
          });
        }
        return client;
      },
      out: (line = "") => io.stdout(`${line}\n`),
      warn,
      readStdin: io.readStdin,
      prompt: io.prompt,
      ask: io.ask ?? (async () => ""),
      isTTY: io.isTTY,
    };
    const result = await command.run(ctx);
    if (json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return command.exitCode?.(result) ?? EXIT.ok;
  } catch (err) {
    return fail(err);
  }
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let answer = "";
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (err?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.removeListener("data", onData);
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(usageError("Cancelled"));
        if (ch === "\u007f" || ch === "\b") answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** Reads a line from the terminal, echoed (a confirmation); "" when stdin ends first. */
function askLine(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.once("close", () => resolve(""));
    rl.question(question, (answer) => {
      resolve(answer);
      rl.close();
    });
  });
}

/** The terminal: stdout, stderr, the environment, stdin, a hidden prompt and a question. */
export function processIo(): Io {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    readStdin: readAllStdin,
    prompt: promptHidden,
    ask: askLine,
    isTTY: Boolean(process.stdin.isTTY),
  };
}

export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), processIo());
}
