// The Worker's configuration rules (src/config/): each rule with a value that
// breaks it and one that keeps it, and the gate that answers 503 while the
// configuration is invalid. Pure functions: no Worker is started here
// (config-worker.test.ts loads the real one with each variable broken).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { type ConfigProblem, checkConfig, problemLine } from "../../src/config/check.ts";
import { ConfigGate } from "../../src/config/gate.ts";

const BINDINGS = {
  COMMUNITY_FEED: {},
  DIRECTORY: {},
  FIREHOSE_RECEIVER: {},
  DEAD_LETTERS: {},
  REQUEST_METRICS: {},
  FIREHOSE_QUEUE: {},
};

/** A public deployment as the README describes it. */
const PRODUCTION = {
  ...BINDINGS,
  SERVICE_DID: "did:web:feeds.example.com",
  PUBLIC_URL: "https://feeds.example.com",
  JETSTREAM_URL:
    "wss://jetstream2.us-east.bsky.network/subscribe,wss://jetstream1.us-east.bsky.network/subscribe",
  PLC_URL: "https://plc.directory",
  ALLOW_PRIVATE_PDS: "false",
  ADMIN_PASSWORD: "correct-horse-battery-staple",
  HANDLE_RESOLVER_URL: "https://public.api.bsky.app",
  APPVIEW_URL: "",
};

/** What scripts/local-stack.ts passes to wrangler dev. */
const LOCAL_STACK = {
  ...BINDINGS,
  SERVICE_DID: "did:web:localhost%3A8787",
  PUBLIC_URL: "http://localhost:8787",
  JETSTREAM_URL: "ws://127.0.0.1:6008/subscribe",
  PLC_URL: "http://127.0.0.1:2582",
  ALLOW_PRIVATE_PDS: "true",
  ADMIN_PASSWORD: "local-admin-password",
  HANDLE_RESOLVER_URL: "http://127.0.0.1:2583",
};

const problems = (env: Record<string, unknown>): ConfigProblem[] => {
  const result = checkConfig(env);
  return result.ok ? [] : result.problems;
};
const problemsOf = (env: Record<string, unknown>, variable: string) =>
  problems(env).filter((p) => p.variable === variable);

/** Exactly one problem, on `variable`, whose text matches `pattern`. */
function expectOneProblem(env: Record<string, unknown>, variable: string, pattern: RegExp): ConfigProblem {
  const found = problems(env);
  expect(found.map((p) => p.variable)).toEqual([variable]);
  const [problem] = found as [ConfigProblem];
  expect(problem.problem).toMatch(pattern);
  expect(problem.fix.length).toBeGreaterThan(10);
  return problem;
}

describe("valid configurations", () => {
  it("accepts a public deployment, parsing what the code uses", () => {
    const result = checkConfig(PRODUCTION);
    if (!result.ok) throw new Error(result.problems.map(problemLine).join("\n"));
    const { config } = result;
    expect(config.publicUrl.origin).toBe("https://feeds.example.com");
    expect(config.serviceDid).toEqual({
      did: "did:web:feeds.example.com",
      method: "web",
      hostname: "feeds.example.com",
      port: "",
    });
    expect(config.jetstreamUrls.map(String)).toEqual([
      "wss://jetstream2.us-east.bsky.network/subscribe",
      "wss://jetstream1.us-east.bsky.network/subscribe",
    ]);
    expect(config.plcUrl.href).toBe("https://plc.directory/");
    expect(config.allowPrivatePds).toBe(false);
    expect(config.adminPassword).toBe("correct-horse-battery-staple");
    expect(config.appviewUrl).toBeUndefined();
    expect(config.handleResolverUrl.href).toBe("https://public.api.bsky.app/");
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("fills in what an unset variable means", () => {
    const result = checkConfig({
      ...PRODUCTION,
      HANDLE_RESOLVER_URL: undefined,
      ALLOW_PRIVATE_PDS: undefined,
    });
    if (!result.ok) throw new Error(result.problems.map(problemLine).join("\n"));
    expect(result.config.handleResolverUrl.href).toBe("https://public.api.bsky.app/");
    expect(result.config.allowPrivatePds).toBe(false);
  });

  it("accepts the local stack and the worker tests' feeds.test (local development)", () => {
    expect(problems(LOCAL_STACK)).toEqual([]);
    const workerTests = {
      ...LOCAL_STACK,
      SERVICE_DID: "did:web:feeds.test",
      PUBLIC_URL: "https://feeds.test",
    };
    expect(problems(workerTests)).toEqual([]);
    const bench = { ...LOCAL_STACK, SERVICE_DID: "did:web:127.0.0.1", PUBLIC_URL: "http://127.0.0.1" };
    expect(problems(bench)).toEqual([]);
  });

  it("accepts a did:plc service identity, whose host it cannot compare", () => {
    expect(problems({ ...PRODUCTION, SERVICE_DID: "did:plc:ewvi7nxzyoun6zhxrhs64oiz" })).toEqual([]);
  });
});

describe("SERVICE_DID", () => {
  it("must be set", () => {
    expectOneProblem({ ...PRODUCTION, SERVICE_DID: undefined }, "SERVICE_DID", /not set/);
    expectOneProblem({ ...PRODUCTION, SERVICE_DID: "" }, "SERVICE_DID", /not set/);
  });

  it("must be a did:web or did:plc, without a path", () => {
    expectOneProblem({ ...PRODUCTION, SERVICE_DID: "feeds.example.com" }, "SERVICE_DID", /not a DID/);
    expectOneProblem(
      { ...PRODUCTION, SERVICE_DID: "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme" },
      "SERVICE_DID",
      /did:key/,
    );
    expectOneProblem({ ...PRODUCTION, SERVICE_DID: "did:web:feeds.example.com:atr" }, "SERVICE_DID", /path/);
    expectOneProblem({ ...PRODUCTION, SERVICE_DID: "did:plc:short" }, "SERVICE_DID", /not a did:plc/);
  });

  it("names PUBLIC_URL's host (did:web)", () => {
    const problem = expectOneProblem(
      { ...PRODUCTION, SERVICE_DID: "did:web:atrarium.example.com" },
      "SERVICE_DID",
      /atrarium\.example\.com.*feeds\.example\.com/,
    );
    expect(problem.fix).toContain('"did:web:feeds.example.com"');
    // The port counts as part of the host.
    expectOneProblem(
      { ...LOCAL_STACK, SERVICE_DID: "did:web:localhost%3A9999" },
      "SERVICE_DID",
      /localhost:9999/,
    );
    expect(problems({ ...PRODUCTION, SERVICE_DID: "did:web:FEEDS.example.com" })).toEqual([]);
  });

  // PDSes refuse service-auth tokens for a did:web of an IP address (scripts/local-stack.ts).
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "PUBLIC_URL on 127.0.0.1, the DID on localhost",
      { ...LOCAL_STACK, PUBLIC_URL: "http://127.0.0.1:8787" },
      ['PUBLIC_URL = "http://localhost:8787"'],
    ],
    [
      "PUBLIC_URL on 127.0.0.1, the DID on another port of localhost",
      { ...LOCAL_STACK, PUBLIC_URL: "http://127.0.0.1:8787", SERVICE_DID: "did:web:localhost%3A9999" },
      ['PUBLIC_URL = "http://localhost:9999"', 'SERVICE_DID = "did:web:localhost%3A8787"'],
    ],
    [
      "PUBLIC_URL on [::1]",
      { ...LOCAL_STACK, PUBLIC_URL: "http://[::1]:8787" },
      ['PUBLIC_URL = "http://localhost:8787"'],
    ],
    [
      "both on loopback addresses",
      { ...LOCAL_STACK, PUBLIC_URL: "http://127.0.0.1:8787", SERVICE_DID: "did:web:127.0.0.2%3A8787" },
      ['SERVICE_DID = "did:web:localhost%3A8787"', 'PUBLIC_URL = "http://localhost:8787"'],
    ],
    [
      "PUBLIC_URL on a public address",
      { ...PRODUCTION, PUBLIC_URL: "https://203.0.113.7" },
      ['PUBLIC_URL = "https://feeds.example.com"'],
    ],
  ])("never suggests a did:web of an IP address: %s", (_label, env, suggested) => {
    const [problem] = problemsOf(env, "SERVICE_DID");
    expect(problem?.problem).toMatch(/PUBLIC_URL is/);
    for (const text of suggested) expect(problem?.fix).toContain(text);
    for (const p of problems(env)) expect(p.fix).not.toMatch(/did:web:(\d+\.\d+\.\d+\.\d+|\[|%5B)/i);
  });

  it("asks for a host name, not an IP address, when a public did:web has a port", () => {
    const env = {
      ...PRODUCTION,
      SERVICE_DID: "did:web:203.0.113.7%3A8443",
      PUBLIC_URL: "https://203.0.113.7:8443",
    };
    const [problem] = problemsOf(env, "SERVICE_DID");
    expect(problem?.problem).toMatch(/port/);
    expect(problem?.fix).toMatch(/host name/);
    for (const p of problems(env)) expect(p.fix).not.toMatch(/did:web:\d+\.\d+\.\d+\.\d+/);
  });

  it("has no port outside local development", () => {
    const env = {
      ...PRODUCTION,
      SERVICE_DID: "did:web:feeds.example.com%3A8443",
      PUBLIC_URL: "https://feeds.example.com:8443",
    };
    const found = problems(env);
    expect(found.map((p) => p.variable).sort()).toEqual(["PUBLIC_URL", "SERVICE_DID"]);
    expect(problemsOf(env, "SERVICE_DID")[0]?.problem).toMatch(/port.*443/);
    expect(problems({ ...LOCAL_STACK, SERVICE_DID: "did:web:localhost%3A8787" })).toEqual([]);
  });
});

describe("PUBLIC_URL", () => {
  it("must be a URL of an origin", () => {
    expectOneProblem({ ...PRODUCTION, PUBLIC_URL: "feeds.example.com" }, "PUBLIC_URL", /not a URL/);
    expectOneProblem({ ...PRODUCTION, PUBLIC_URL: "ftp://feeds.example.com" }, "PUBLIC_URL", /ftp/);
    const withPath = expectOneProblem(
      { ...PRODUCTION, PUBLIC_URL: "https://feeds.example.com/atrarium" },
      "PUBLIC_URL",
      /path \/atrarium/,
    );
    expect(withPath.fix).toBe('set PUBLIC_URL = "https://feeds.example.com"');
    expect(problems({ ...PRODUCTION, PUBLIC_URL: "https://feeds.example.com/" })).toEqual([]);
  });

  it("is https outside local development", () => {
    expectOneProblem(
      { ...PRODUCTION, PUBLIC_URL: "http://feeds.example.com" },
      "PUBLIC_URL",
      /http on a public host/,
    );
    expect(problems({ ...LOCAL_STACK, PUBLIC_URL: "http://localhost:8787" })).toEqual([]);
  });

  it("has no port outside local development", () => {
    const env = {
      ...PRODUCTION,
      SERVICE_DID: "did:web:feeds.example.com",
      PUBLIC_URL: "https://feeds.example.com:8443",
    };
    // The did:web then names another host (no port) as well.
    expect(problemsOf(env, "PUBLIC_URL")[0]?.problem).toMatch(/port 8443/);
    expect(problems({ ...PRODUCTION, PUBLIC_URL: "https://feeds.example.com:443" })).toEqual([]);
  });
});

describe("JETSTREAM_URL", () => {
  it("is a list of Jetstream /subscribe URLs", () => {
    expectOneProblem({ ...PRODUCTION, JETSTREAM_URL: undefined }, "JETSTREAM_URL", /not set/);
    expectOneProblem({ ...PRODUCTION, JETSTREAM_URL: " , " }, "JETSTREAM_URL", /names no URL/);
    expectOneProblem(
      { ...PRODUCTION, JETSTREAM_URL: "https://jetstream2.us-east.bsky.network/subscribe" },
      "JETSTREAM_URL",
      /https:\/\/, not wss:\/\/ or ws:\/\//,
    );
    const noPath = expectOneProblem(
      { ...PRODUCTION, JETSTREAM_URL: "wss://jetstream2.us-east.bsky.network" },
      "JETSTREAM_URL",
      /\/subscribe/,
    );
    expect(noPath.fix).toContain("wss://jetstream2.us-east.bsky.network/subscribe");
    expectOneProblem(
      { ...PRODUCTION, JETSTREAM_URL: "wss://jetstream2.us-east.bsky.network/subscribe?cursor=1" },
      "JETSTREAM_URL",
      /query/,
    );
    // One bad entry of two is named by itself.
    expectOneProblem(
      { ...PRODUCTION, JETSTREAM_URL: "wss://jetstream2.us-east.bsky.network/subscribe,wss://nope" },
      "JETSTREAM_URL",
      /"wss:\/\/nope"/,
    );
  });

  it("is public and encrypted on a public deployment", () => {
    expectOneProblem(
      { ...PRODUCTION, JETSTREAM_URL: "ws://127.0.0.1:6008/subscribe" },
      "JETSTREAM_URL",
      /cannot reach/,
    );
    expectOneProblem(
      { ...PRODUCTION, JETSTREAM_URL: "ws://jetstream.example.com/subscribe" },
      "JETSTREAM_URL",
      /unencrypted/,
    );
    expect(problems({ ...LOCAL_STACK, JETSTREAM_URL: "ws://127.0.0.1:6008/subscribe" })).toEqual([]);
  });
});

describe("PLC_URL, APPVIEW_URL, HANDLE_RESOLVER_URL", () => {
  it("are http(s) URLs", () => {
    expectOneProblem({ ...PRODUCTION, PLC_URL: "plc.directory" }, "PLC_URL", /not a URL/);
    expectOneProblem({ ...PRODUCTION, APPVIEW_URL: "ws://api.example.com" }, "APPVIEW_URL", /ws:/);
    expectOneProblem({ ...PRODUCTION, HANDLE_RESOLVER_URL: "nope" }, "HANDLE_RESOLVER_URL", /not a URL/);
    expect(problems({ ...PRODUCTION, APPVIEW_URL: "https://public.api.bsky.app" })).toEqual([]);
    expect(problems({ ...PRODUCTION, HANDLE_RESOLVER_URL: undefined })).toEqual([]);
  });

  it("are public https on a public deployment", () => {
    expectOneProblem({ ...PRODUCTION, PLC_URL: "http://plc.directory" }, "PLC_URL", /unencrypted/);
    expectOneProblem({ ...PRODUCTION, PLC_URL: "http://localhost:2582" }, "PLC_URL", /cannot reach/);
    expectOneProblem(
      { ...PRODUCTION, HANDLE_RESOLVER_URL: "http://127.0.0.1:2583" },
      "HANDLE_RESOLVER_URL",
      /cannot reach/,
    );
    expect(problems(LOCAL_STACK)).toEqual([]);
  });
});

describe("ALLOW_PRIVATE_PDS", () => {
  it('is "true", "false" or unset', () => {
    expectOneProblem(
      { ...PRODUCTION, ALLOW_PRIVATE_PDS: "yes" },
      "ALLOW_PRIVATE_PDS",
      /neither "true" nor "false"/,
    );
    expect(problems({ ...PRODUCTION, ALLOW_PRIVATE_PDS: undefined })).toEqual([]);
  });

  it("is never true on a public host", () => {
    expectOneProblem({ ...PRODUCTION, ALLOW_PRIVATE_PDS: "true" }, "ALLOW_PRIVATE_PDS", /public host/);
    expect(problems({ ...LOCAL_STACK, ALLOW_PRIVATE_PDS: "true" })).toEqual([]);
  });
});

describe("ADMIN_PASSWORD", () => {
  it("is set, at least 16 characters, without surrounding white space, and never echoed", () => {
    expectOneProblem({ ...PRODUCTION, ADMIN_PASSWORD: undefined }, "ADMIN_PASSWORD", /not set/);
    const short = expectOneProblem(
      { ...PRODUCTION, ADMIN_PASSWORD: "hunter2hunter2" },
      "ADMIN_PASSWORD",
      /14 characters/,
    );
    expect(problemLine(short)).not.toContain("hunter2");
    const pasted = expectOneProblem(
      { ...PRODUCTION, ADMIN_PASSWORD: "correct-horse-battery-staple\n" },
      "ADMIN_PASSWORD",
      /white space/,
    );
    expect(problemLine(pasted)).not.toContain("correct-horse");
    expect(problems({ ...PRODUCTION, ADMIN_PASSWORD: "sixteen-chars-ok" })).toEqual([]);
  });
});

describe("bindings", () => {
  it("names a binding missing from wrangler.toml", () => {
    const problem = expectOneProblem(
      { ...PRODUCTION, REQUEST_METRICS: undefined },
      "REQUEST_METRICS",
      /not bound/,
    );
    expect(problem.fix).toContain('class_name = "RequestMetrics"');
  });
});

describe("several problems", () => {
  it("reports all at once: a bad variable hides neither another's problem nor a rule between the others", () => {
    const found = problems({
      ...PRODUCTION,
      ADMIN_PASSWORD: undefined,
      JETSTREAM_URL: "not a url",
      SERVICE_DID: "did:web:other.example.com",
      ALLOW_PRIVATE_PDS: "true",
    });
    expect(found.map((p) => p.variable).sort()).toEqual([
      "ADMIN_PASSWORD",
      "ALLOW_PRIVATE_PDS",
      "JETSTREAM_URL",
      "SERVICE_DID",
    ]);
  });

  it("still knows a deployment is public when PUBLIC_URL has problems of its own", () => {
    const found = problems({
      ...PRODUCTION,
      PUBLIC_URL: "http://feeds.example.com/x",
      JETSTREAM_URL: "ws://127.0.0.1:6008/subscribe,wss://jetstream.example.com",
      ALLOW_PRIVATE_PDS: "true",
    });
    expect(found.map((p) => `${p.variable} ${p.problem.split(" ").slice(1, 4).join(" ")}`).sort()).toEqual([
      'ALLOW_PRIVATE_PDS "true" on a',
      "JETSTREAM_URL does not end",
      "JETSTREAM_URL is on this",
      "PUBLIC_URL has the path",
      "PUBLIC_URL is http on",
    ]);
  });

  it("prints each as one line: variable, problem, fix", () => {
    const [problem] = problems({ ...PRODUCTION, PUBLIC_URL: "http://feeds.example.com" });
    expect(problemLine(problem as ConfigProblem)).toBe(
      'PUBLIC_URL: "http://feeds.example.com" is http on a public host; the AppView calls feed generators only over https. Fix: serve the Worker over https (a custom domain or route does) and set PUBLIC_URL = "https://feeds.example.com".',
    );
  });
});

describe("the gate", () => {
  const BAD = { ...PRODUCTION, PUBLIC_URL: "http://feeds.example.com", ADMIN_PASSWORD: "short" };

  it("answers 503 with one line per problem, as an XRPC error on /xrpc/ and as text elsewhere", async () => {
    const gate = new ConfigGate(BAD, () => {});
    expect(gate.ok).toBe(false);
    const xrpc = gate.refuse(new Request("https://feeds.example.com/xrpc/app.bsky.feed.getFeedSkeleton"));
    expect(xrpc.status).toBe(503);
    const body = (await xrpc.json()) as { error: string; message: string; problems: ConfigProblem[] };
    expect(body.error).toBe("InvalidConfiguration");
    expect(body.message.split("\n")).toHaveLength(2);
    expect(body.message).toMatch(/^PUBLIC_URL: .*\nADMIN_PASSWORD: .*Fix: /);
    const page = gate.refuse(new Request("https://feeds.example.com/.well-known/did.json"));
    expect(page.status).toBe(503);
    expect(page.headers.get("content-type")).toMatch(/^text\/plain/);
    expect((await page.text()).trimEnd().split("\n")).toEqual(body.message.split("\n"));
  });

  it("logs the problems once per isolate, as structured JSON", () => {
    const log = vi.fn();
    const gate = new ConfigGate(BAD, log);
    gate.refuse(new Request("https://feeds.example.com/xrpc/_health"));
    gate.refuse(new Request("https://feeds.example.com/"));
    gate.report();
    expect(log).toHaveBeenCalledTimes(1);
    const logged = JSON.parse(log.mock.calls[0]?.[0] as string);
    expect(logged.event).toBe("config_invalid");
    expect(logged.problems.map((p: ConfigProblem) => p.variable)).toEqual(["PUBLIC_URL", "ADMIN_PASSWORD"]);
  });

  it("stays out of the way of a valid configuration", () => {
    const log = vi.fn();
    const gate = new ConfigGate(PRODUCTION, log);
    gate.report();
    expect(gate.ok).toBe(true);
    expect(log).not.toHaveBeenCalled();
  });
});

describe("reading settings", () => {
  const root = new URL("../../", import.meta.url).pathname;
  const sources = (dir: string) =>
    readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => join(dir, file));

  it("goes through the parsed configuration: no code outside src/config/ reads a variable from env", () => {
    const variables = Object.keys(PRODUCTION).filter((name) => !(name in BINDINGS));
    const raw = new RegExp(`\\benv\\s*(?:\\.|\\[\\s*["'\`])\\s*(?:${variables.join("|")})\\b`);
    const reads = sources("src")
      .filter((file) => !file.startsWith("src/config/"))
      .flatMap((file) =>
        readFileSync(join(root, file), "utf8")
          .split("\n")
          .flatMap((line, i) => (raw.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(reads).toEqual([]);
  });
});
