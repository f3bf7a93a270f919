// `npm run build`: bundles the Worker the way `wrangler deploy` would (dry run,
// nothing is uploaded) and reports the bundle size.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const outDir = mkdtempSync(join(tmpdir(), "atrarium-build-"));
try {
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outDir], { stdio: "inherit" });
  const files = readdirSync(outDir).filter((f) => f.endsWith(".js"));
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const path = join(outDir, file);
    raw += statSync(path).size;
    gzip += gzipSync(readFileSync(path)).length;
  }
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`Worker bundle: ${kib(raw)} (${kib(gzip)} gzipped) in ${files.length} file(s)`);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
