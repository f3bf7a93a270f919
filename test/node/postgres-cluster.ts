// A throwaway PostgreSQL cluster on 127.0.0.1 for the tests that run the
// reference AppView (@atproto/bsky keeps its index in PostgreSQL): initdb into
// a temporary directory, one server process, everything deleted on stop.
// DB_POSTGRES_URL, when set, names a server to use instead. As root (CI runs
// as root), initdb and the server run as an unprivileged user, since
// PostgreSQL refuses to run as root.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export interface PostgresCluster {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** The directory holding initdb and postgres: $PG_BIN, else PATH, else Debian's newest /usr/lib/postgresql/N/bin. */
function binDir(): string {
  const candidates = [process.env.PG_BIN ?? ""];
  for (const dir of (process.env.PATH ?? "").split(":")) candidates.push(dir);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(join(debian, version, "bin"));
  }
  const found = candidates.find(
    (dir) => dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres")),
  );
  if (!found) {
    throw new Error(
      "PostgreSQL is not installed (no initdb and postgres on PATH or in /usr/lib/postgresql/*/bin): " +
        "install it (Debian: apt-get install postgresql) or set DB_POSTGRES_URL to a server to use",
    );
  }
  return found;
}

/** uid and gid of an unprivileged account, for running PostgreSQL when we are root. */
function unprivilegedUser(): { uid: number; gid: number } {
  const accounts = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((line) => line.split(":"))
    .filter((fields) => fields.length >= 4);
  for (const name of ["postgres", "nobody"]) {
    const account = accounts.find((fields) => fields[0] === name);
    if (account) return { uid: Number(account[2]), gid: Number(account[3]) };
  }
  throw new Error("Running as root, and neither a postgres nor a nobody account exists to run PostgreSQL as");
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once the server logs that it accepts connections; rejects if it exits first. */
function ready(server: ChildProcess, log: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log.push(String(chunk));
      if (log.join("").includes("database system is ready to accept connections")) resolve();
    };
    server.stderr?.on("data", onData);
    server.stdout?.on("data", onData);
    server.once("exit", (code) =>
      reject(new Error(`PostgreSQL exited (${code}) before it was ready:\n${log.join("")}`)),
    );
  });
}

/** Starts a fresh cluster (or returns DB_POSTGRES_URL's server, which stop() leaves running). */
export async function startPostgres(): Promise<PostgresCluster> {
  const given = process.env.DB_POSTGRES_URL;
  if (given) return { url: given, stop: async () => {} };

  const bin = binDir();
  const user = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), "atrarium-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  await run(
    join(bin, "initdb"),
    ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
    { ...as, cwd: dir },
  );
  const port = await freePort();
  // Durability is not wanted for a cluster that is deleted afterwards.
  const settings = ["fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200"];
  const server = spawn(
    join(bin, "postgres"),
    ["-D", data, "-h", "127.0.0.1", "-p", String(port), "-k", dir, ...settings.flatMap((s) => ["-c", s])],
    { ...as, cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  const log: string[] = [];
  try {
    await ready(server, log);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (server.exitCode === null) server.kill("SIGINT"); // fast shutdown: ends the sessions, no wait
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
