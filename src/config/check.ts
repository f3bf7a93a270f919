// checkConfig(): the Worker's environment against its schema (variables.ts)
// and the rules between variables (rules.ts), every problem at once.
import type { ZodIssue } from "zod";
import { type Config, configOf } from "./config.ts";
import { isLocalDeployment, RULES } from "./rules.ts";
import { type ParsedVariables, VARIABLES } from "./variables.ts";

/** One thing wrong with the configuration: which variable, what is wrong, what to do. */
export interface ConfigProblem {
  variable: string;
  problem: string;
  fix: string;
}

export type ConfigCheck = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

const fixOf = (issue: ZodIssue): string | undefined =>
  issue.code === "custom" && typeof issue.params?.fix === "string" ? issue.params.fix : undefined;

/** Checks the Worker's bindings; never throws. */
export function checkConfig(env: Record<string, unknown>): ConfigCheck {
  const problems: ConfigProblem[] = [];
  const parsed: Record<string, unknown> = {};
  for (const [variable, { schema, fix }] of Object.entries(VARIABLES)) {
    const result = schema.safeParse(env[variable]);
    if (result.success) parsed[variable] = result.data;
    else
      for (const issue of result.error.issues)
        problems.push({ variable, problem: issue.message, fix: fixOf(issue) ?? fix });
  }
  const variables = parsed as Partial<ParsedVariables>;
  const local = isLocalDeployment(env);
  for (const rule of RULES) problems.push(...rule(variables, env, local));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: configOf(variables as ParsedVariables) };
}

/** A problem as one line: `VARIABLE: what is wrong. Fix: what to do.` */
export function problemLine(p: ConfigProblem): string {
  return `${p.variable}: ${p.problem}. Fix: ${p.fix}.`;
}
