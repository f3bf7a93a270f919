#!/usr/bin/env node
// The `atrarium` command line. In this repository it runs the TypeScript
// sources through tsx's module hooks (the generated client imports "./x.js"
// specifiers that name .ts files, which Node's own type stripping cannot
// follow). An installed package has no sources: it runs the compiled
// dist/cli/ that `npm pack` builds (npm run build:client).
import { existsSync } from "node:fs";

const sources = new URL("../src/cli/main.ts", import.meta.url);
let cli;
if (existsSync(sources)) {
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
  cli = await import(sources.href);
} else {
  cli = await import("../dist/cli/main.js");
}
await cli.main();
