// The configuration check as the Worker runs it: once per isolate, before
// anything is built from the values. While the configuration is invalid,
// every request is answered 503 with one line per problem, and the problems
// are logged once, as structured JSON.
import { type ConfigCheck, type ConfigProblem, checkConfig, problemLine } from "./check.ts";
import type { Config } from "./config.ts";

export class ConfigGate {
  readonly check: ConfigCheck;
  private logged = false;

  constructor(
    env: Record<string, unknown>,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {
    this.check = checkConfig(env);
  }

  get ok(): boolean {
    return this.check.ok;
  }

  /** The parsed configuration, once it passed: what everything is built from. */
  get config(): Config | undefined {
    return this.check.ok ? this.check.config : undefined;
  }

  get problems(): ConfigProblem[] {
    return this.check.ok ? [] : this.check.problems;
  }

  /** Logs the problems, the first time only (one isolate, one log line). */
  report(): void {
    if (this.check.ok || this.logged) return;
    this.logged = true;
    this.log(JSON.stringify({ event: "config_invalid", problems: this.problems }));
  }

  /**
   * The answer to any request while the configuration is invalid: 503, one
   * line per problem. XRPC callers (the AppView, apps) get it as an XRPC
   * error, whose message holds the same lines.
   */
  refuse(request: Request): Response {
    this.report();
    const lines = this.problems.map(problemLine);
    const headers = { "cache-control": "no-store" };
    if (new URL(request.url).pathname.startsWith("/xrpc/")) {
      return Response.json(
        { error: "InvalidConfiguration", message: lines.join("\n"), problems: this.problems },
        { status: 503, headers },
      );
    }
    return new Response(`${lines.join("\n")}\n`, {
      status: 503,
      headers: { ...headers, "content-type": "text/plain; charset=utf-8" },
    });
  }
}
