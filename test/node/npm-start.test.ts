// `npm start` stopped as a process manager or CI stops it: one signal to
// npm's own PID, not to the terminal's whole process group. Every process
// the stack runs (npm, node, wrangler, workerd, esbuild …) must be gone
// within a bound, whether the stack is up or still starting.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;
/** How long the whole stack may take to stop: the Worker gets 10 s before it is killed. */
const STOP_BOUND_MS = 30_000;

/** A process, told apart from a later one with the same PID by its start time. */
interface Proc {
  pid: number;
  ppid: number;
  /** Its process group: npm's, or the Worker's own (wrangler runs detached). */
  pgid: number;
  startTime: string;
  command: string;
}

/** One process from /proc, or undefined once it is gone (a zombie is gone: it only waits to be reaped). */
function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": the command name may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z") return undefined;
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19] ?? "", command };
  } catch {
    return undefined;
  }
}

/** The process and everything below it, as they are now. */
function tree(rootPid: number): Proc[] {
  const all = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => readProc(Number(entry)) ?? []);
  const found = all.filter((p) => p.pid === rootPid);
  for (let i = 0; i < found.length; i++) {
    const parent = found[i] as Proc;
    found.push(...all.filter((p) => p.ppid === parent.pid));
  }
  return found;
}

const alive = (p: Proc) => readProc(p.pid)?.startTime === p.startTime;

/** Polls until `check` holds or the time is up; returns whether it held. */
async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

interface NpmStart {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function npmStart(): NpmStart {
  // Its own process group, so that no signal meant for vitest reaches it, and cleanup can reach it all.
  const npm = spawn("npm", ["start"], {
    cwd: ROOT,
    env: { ...process.env, ADMIN_PASSWORD: "npm-start-test-password" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  npm.stdout?.on("data", (d) => {
    output += String(d);
  });
  npm.stderr?.on("data", (d) => {
    output += String(d);
  });
  const exited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));
  const run = { npm, output: () => output, exited };
  current = { run, seen: [] };
  return run;
}

/** What the running test started: its npm, and every process seen below it. */
let current: { run: NpmStart; seen: Proc[] } | undefined;
afterEach(() => {
  // Whatever a failed test left behind, all of it started by this test: its
  // processes, and the groups they run in (a process spawned since it was seen too).
  if (!current) return;
  const { run, seen } = current;
  current = undefined;
  const procs = [...seen, ...tree(run.npm.pid as number)];
  const ownGroup = readProc(process.pid)?.pgid;
  for (const pgid of new Set(procs.map((p) => p.pgid)))
    if (pgid !== ownGroup && pgid > 1)
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {}
  for (const p of procs) if (alive(p)) process.kill(p.pid, "SIGKILL");
});

/** Signals npm alone, then waits for every process seen in the stack to be gone. */
async function stopAndCheck(run: NpmStart, signal: NodeJS.Signals): Promise<void> {
  const seen = tree(run.npm.pid as number);
  current = { run, seen };
  const commands = seen.map((p) => p.command).join("\n");
  expect(commands).toMatch(/workerd/);
  expect(seen.length).toBeGreaterThanOrEqual(5);
  process.kill(run.npm.pid as number, signal);
  await until(() => !seen.some(alive), STOP_BOUND_MS);
  const left = seen.filter(alive).map((p) => `${p.pid} ${p.command.slice(0, 160)}`);
  expect(left, `still running ${STOP_BOUND_MS / 1000} s after ${signal}:\n${run.output()}`).toEqual([]);
  await run.exited;
}

describe("npm start", () => {
  it("stops every process on SIGINT to npm once the stack is up", { timeout: 360_000 }, async () => {
    const run = npmStart();
    const up = await until(
      () => run.output().includes("Atrarium is running locally") || run.npm.exitCode !== null,
      300_000,
    );
    expect(up && run.npm.exitCode === null, run.output()).toBe(true);
    await stopAndCheck(run, "SIGINT");
  });

  it("stops every process on SIGTERM to npm while the stack is still starting", {
    timeout: 180_000,
  }, async () => {
    const run = npmStart();
    // The Worker's processes run; the quickstart has not finished.
    const starting = await until(
      () =>
        tree(run.npm.pid as number).some((p) => p.command.includes("workerd")) &&
        !run.output().includes("Atrarium is running locally"),
      150_000,
    );
    expect(starting, run.output()).toBe(true);
    await stopAndCheck(run, "SIGTERM");
  });
});
