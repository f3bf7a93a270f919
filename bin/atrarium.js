#!/usr/bin/env node
// The `atrarium` command line. The sources are TypeScript (and the generated
// client imports "./x.js" specifiers that name .ts files), so they are loaded
// through tsx's module hooks rather than Node's own type stripping.
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
const { main } = await import("../src/cli/main.ts");
await main();
