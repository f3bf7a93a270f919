// Builds the browser app into dist/web, which Workers static assets serve
// ([assets] in wrangler.toml): /assets/app.js and the chunks it loads when
// needed (the OAuth client is one), /assets/app.css, /assets/icon.svg.
// wrangler runs it before `wrangler dev` and `wrangler deploy` ([build]); the
// tests and the benchmark run it too, so nothing built is committed.
// Run directly, it prints the sizes: the first page load is app.js and what it
// imports statically; chunks behind a dynamic import load only when needed.
// Several builds may run at once (each `wrangler dev` starts one): a file is
// replaced only when its content changed, atomically, so a running server
// never serves half a file.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const ROOT = join(import.meta.dirname, "..");
export const WEB_DIST = join(ROOT, "dist", "web");
const ASSETS = join(WEB_DIST, "assets");

export interface WebBuild {
  /** Gzipped bytes of the JavaScript every page loads. */
  firstLoadGzip: number;
  /** Gzipped bytes of each chunk loaded on demand, by file. */
  lazyGzip: Record<string, number>;
  cssGzip: number;
}

const gzipSize = (contents: Uint8Array) => gzipSync(contents, { level: 9 }).length;

export async function buildWeb(): Promise<WebBuild> {
  const js = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { app: "src/web/browser/main.ts" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: "linked",
    outdir: ASSETS,
    chunkNames: "chunks/[name]-[hash]",
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  const css = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { app: "src/web/browser/app.css" },
    bundle: true,
    minify: true,
    outdir: ASSETS,
    write: false,
    logLevel: "warning",
  });
  const files = new Map<string, Uint8Array>();
  for (const file of [...js.outputFiles, ...css.outputFiles]) files.set(file.path, file.contents);
  files.set(join(ASSETS, "icon.svg"), readFileSync(join(ROOT, "src", "web", "browser", "icon.svg")));
  for (const [path, contents] of files) writeIfChanged(path, contents);
  removeOthers(ASSETS, new Set(files.keys()));
  return measure(js.metafile, files);
}

function writeIfChanged(path: string, contents: Uint8Array): void {
  if (existsSync(path) && Buffer.compare(readFileSync(path), contents) === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** Files of earlier builds (old chunk names) go; a build under way elsewhere writes only *.tmp files. */
function removeOthers(dir: string, keep: Set<string>): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeOthers(path, keep);
    else if (!keep.has(path) && !entry.name.endsWith(".tmp")) rmSync(path, { force: true });
  }
}

/** Follows static imports from app.js: those load with every page; the rest loads on demand. */
function measure(metafile: esbuild.Metafile, files: Map<string, Uint8Array>): WebBuild {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((file) => file.endsWith("/app.js")) as string;
  const firstLoad = new Set<string>();
  const visit = (file: string) => {
    if (firstLoad.has(file)) return;
    firstLoad.add(file);
    for (const imported of outputs[file]?.imports ?? []) {
      if (imported.kind === "import-statement") visit(imported.path);
    }
  };
  visit(entry);
  const lazyGzip: Record<string, number> = {};
  let firstLoadGzip = 0;
  for (const file of Object.keys(outputs).filter((f) => f.endsWith(".js"))) {
    const size = gzipSize(files.get(join(ROOT, file)) ?? new Uint8Array());
    if (firstLoad.has(file)) firstLoadGzip += size;
    else lazyGzip[relative(WEB_DIST, join(ROOT, file))] = size;
  }
  return {
    firstLoadGzip,
    lazyGzip,
    cssGzip: gzipSize(files.get(join(ASSETS, "app.css")) ?? new Uint8Array()),
  };
}

if (import.meta.main) {
  const build = await buildWeb();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const lazy = Object.entries(build.lazyGzip)
    .map(([file, size]) => `${file} ${kb(size)}`)
    .join(", ");
  console.log(
    `web app built in dist/web: first load ${kb(build.firstLoadGzip)} JS gzipped; on demand: ${lazy || "none"}; CSS ${kb(build.cssGzip)}`,
  );
}
