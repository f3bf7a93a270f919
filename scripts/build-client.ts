// `npm run build:client`: compiles the importable client (atrarium/client)
// and the command line that runs on it into dist/, as JavaScript and .d.ts
// files (tsconfig.client.json). Then it checks what it built:
//   - only the client, the CLI and the pure shared modules were compiled, so
//     nothing of the Worker (src/lexicon, src/firehose, src/api, …) leaks in;
//   - every package the output imports is a dependency in package.json.
// The .d.ts files get ".js" import specifiers, as consumers resolve them.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "dist");

/** What the package may contain: the client, the CLI, and pure modules shared with the Worker. */
const ALLOWED = [
  /^client\//,
  /^cli\//,
  /^records\/(address|hashtags|rules|feed-generator|approval-switch)\.(js|d\.ts)$/,
  /^text\/(utf8|graphemes|tid)\.(js|d\.ts)$/,
  /^net\/hosts\.(js|d\.ts)$/,
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Relative ".ts" specifiers in declaration files become ".js", like the emitted JavaScript. */
function rewriteDeclarationImports(path: string): void {
  const text = readFileSync(path, "utf8");
  const fixed = text.replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g, "$1$2.js$3");
  if (fixed !== text) writeFileSync(path, fixed);
}

/** Package names imported by the compiled JavaScript ("@scope/name" or "name"). */
function importedPackages(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"'.][^"']*)["']/g)].map((m) => {
    const parts = (m[1] as string).split("/");
    return (m[1] as string).startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
  });
}

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.client.json"],
  {
    cwd: root,
    stdio: "inherit",
  },
);

const built = files(dist).map((f) => relative(dist, f));
const strays = built.filter((f) => !ALLOWED.some((re) => re.test(f)));
if (strays.length > 0) {
  console.error(
    `The client must not depend on the Worker's code, but the build pulled in:\n  ${strays.join("\n  ")}`,
  );
  process.exit(1);
}

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
};
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const undeclared = new Set<string>();
for (const file of built) {
  const path = join(dist, file);
  if (file.endsWith(".d.ts")) rewriteDeclarationImports(path);
  if (!file.endsWith(".js")) continue;
  for (const name of importedPackages(path)) {
    if (!builtins.has(name) && !pkg.dependencies?.[name]) undeclared.add(`${name} (in ${file})`);
  }
}
if (undeclared.size > 0) {
  console.error(`The client imports packages that are not dependencies:\n  ${[...undeclared].join("\n  ")}`);
  process.exit(1);
}

const bytes = built.reduce((sum, f) => sum + statSync(join(dist, f)).size, 0);
console.log(
  `Built atrarium/client and the CLI into dist/: ${built.length} files, ${(bytes / 1024).toFixed(0)} KiB.`,
);
