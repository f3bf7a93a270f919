// The command line's session file: the PDS session (access and refresh JWTs,
// never the password) in a file only its owner can read, refreshed when the
// access token has expired.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { AtpAgent, type AtpSessionData } from "@atproto/api";
import { AtrariumError, toAtrariumError } from "../client/errors.ts";

export interface StoredSession {
  version: 1;
  /** The PDS the session belongs to. */
  pds: string;
  /** PLC directory given at login (--plc), for resolving other accounts later. */
  plcUrl?: string;
  did: string;
  handle: string;
  session: AtpSessionData;
  savedAt: string;
}

/** $ATRARIUM_HOME/session.json, else $XDG_CONFIG_HOME/atrarium or ~/.config/atrarium. */
export function sessionPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ATRARIUM_HOME) return join(env.ATRARIUM_HOME, "session.json");
  const config = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(config, "atrarium", "session.json");
}

export function saveSession(path: string, stored: StoredSession): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  // Created 0600 from the start (no window where others could read it), then moved into place.
  writeFileSync(tmp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function deleteSession(path: string): boolean {
  try {
    statSync(path);
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}

/** The stored session, or undefined when there is none. Re-tightens a file others could read. */
export function loadSession(path: string, warn: (m: string) => void): StoredSession | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) {
      chmodSync(path, 0o600);
      warn(`${path} was readable by others (mode ${mode.toString(8)}); it is now 600`);
    }
  } catch {
    // Not fatal: reading worked.
  }
  let stored: StoredSession;
  try {
    stored = JSON.parse(text) as StoredSession;
  } catch {
    throw new AtrariumError("auth", `The session file ${path} is damaged; run atrarium login again`);
  }
  if (stored.version !== 1 || !stored.session?.refreshJwt || !stored.pds) {
    throw new AtrariumError("auth", `The session file ${path} is not usable; run atrarium login again`);
  }
  return stored;
}

function jwtExpiry(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    return typeof payload.exp === "number" ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An agent on the stored session. The access token is refreshed up front when
 * it has expired (and by the agent whenever the PDS says so); every new token
 * pair is written back to the file. A refused refresh removes the session.
 */
export async function agentFromSession(path: string, stored: StoredSession): Promise<AtpAgent> {
  let expired = false;
  const agent = new AtpAgent({
    service: stored.pds,
    persistSession: (event, session) => {
      if ((event === "update" || event === "create") && session) {
        saveSession(path, { ...stored, handle: session.handle, session, savedAt: new Date().toISOString() });
      } else if (event === "expired") {
        expired = true;
        deleteSession(path);
      }
    },
  });
  agent.sessionManager.session = stored.session;
  const exp = jwtExpiry(stored.session.accessJwt);
  if (exp === undefined || exp < Date.now() + 30_000) {
    try {
      await agent.sessionManager.refreshSession();
    } catch (err) {
      if (expired) {
        throw new AtrariumError("auth", "Your session has expired; run atrarium login again", { cause: err });
      }
      throw toAtrariumError(err, "refreshing your session", `your PDS at ${stored.pds}`);
    }
  }
  return agent;
}
