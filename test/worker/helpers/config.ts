// The Worker's configuration as the tests' Worker parses it, with some
// variables changed: what a function built from the parsed config receives.
import { env } from "cloudflare:workers";
import { checkConfig, problemLine } from "../../../src/config/check.ts";
import type { Config } from "../../../src/config/config.ts";

export function configWith(variables: Record<string, string>): Config {
  const check = checkConfig({ ...env, ...variables });
  if (!check.ok) throw new Error(check.problems.map(problemLine).join("\n"));
  return check.config;
}
