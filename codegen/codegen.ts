// Regenerates the typed code from lexicons/ with @atproto/lex-cli:
//   gen-server -> src/lexicon/         (XRPC server routes, record validators)
//   gen-api    -> src/client/lexicon/  (typed client for apps and the CLI)
// With --check it generates into a temporary folder instead and fails, naming
// the files, when the committed output differs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const lexCli = join(root, "node_modules/@atproto/lex-cli/dist/index.js");

const targets = [
  { command: "gen-server", dir: "src/lexicon" },
  { command: "gen-api", dir: "src/client/lexicon" },
] as const;

function listFiles(dir: string): string[] {
  let found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    found = statSync(path).isDirectory() ? found.concat(listFiles(path)) : found.concat(path);
  }
  return found.sort();
}

function generate(command: string, outDir: string): void {
  const lexicons = listFiles(join(root, "lexicons")).filter((f) => f.endsWith(".json"));
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [lexCli, command, "--yes", outDir, ...lexicons], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

function differences(committedDir: string, freshDir: string): string[] {
  const read = (dir: string) => {
    const files = new Map<string, string>();
    try {
      for (const f of listFiles(dir)) files.set(relative(dir, f), readFileSync(f, "utf8"));
    } catch {
      // a missing folder simply has no files
    }
    return files;
  };
  const committed = read(committedDir);
  const fresh = read(freshDir);
  const names = new Set([...committed.keys(), ...fresh.keys()]);
  return [...names]
    .filter((name) => committed.get(name) !== fresh.get(name))
    .map((name) => {
      const state = !committed.has(name) ? "missing" : !fresh.has(name) ? "extra" : "differs";
      return `${join(relative(root, committedDir), name)} (${state})`;
    });
}

if (process.argv.includes("--check")) {
  const tmp = mkdtempSync(join(tmpdir(), "atrarium-codegen-"));
  try {
    const stale = targets.flatMap(({ command, dir }) => {
      const fresh = join(tmp, dir);
      generate(command, fresh);
      return differences(join(root, dir), fresh);
    });
    if (stale.length > 0) {
      console.error(`Generated code is stale; run \`npm run codegen\` and commit:\n  ${stale.join("\n  ")}`);
      process.exit(1);
    }
    console.log("Generated code is up to date.");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  for (const { command, dir } of targets) generate(command, join(root, dir));
  console.log(`Generated ${targets.map((t) => t.dir).join(" and ")} from lexicons/.`);
}
