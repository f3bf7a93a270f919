// Who is signed in. The OAuth client (the largest part of the app) is loaded
// only when it is needed: to sign in, to finish signing in, or because this
// browser holds a session. Anonymous readers never download it.
import type { WebConfig } from "./config.ts";
import { Problem, toProblem } from "./errors.ts";

/** The signed-in account, with a fetch that goes to its own PDS (DPoP-bound, refreshed as needed). */
export interface Session {
  did: string;
  handle?: string;
  /** The account's PDS, e.g. https://pds.example.com (for messages). */
  pdsHost: string;
  /** False when the PDS granted general access instead of the narrow scopes. */
  granular: boolean;
  /** An XRPC call to the user's PDS; throws a Problem on network or session failures. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  signOut(): Promise<void>;
}

const SIGNED_IN = "atrarium:signed-in";

interface Remembered {
  did: string;
  handle?: string;
}

export function rememberedAccount(): Remembered | null {
  try {
    const value = JSON.parse(localStorage.getItem(SIGNED_IN) ?? "null") as Remembered | null;
    return value?.did ? value : null;
  } catch {
    return null;
  }
}

export function rememberAccount(account: Remembered | null): void {
  if (account) localStorage.setItem(SIGNED_IN, JSON.stringify(account));
  else localStorage.removeItem(SIGNED_IN);
}

const loadOAuth = () => import("./oauth.ts");

/** The session this browser holds, or null; a session that cannot be restored is forgotten. */
export async function restoreSession(
  config: WebConfig,
): Promise<{ session: Session | null; problem?: Problem }> {
  const account = rememberedAccount();
  if (!account) return { session: null };
  const { restore } = await loadOAuth();
  try {
    return { session: await restore(config, account) };
  } catch (err) {
    const problem = toProblem(err, "restoring your sign-in");
    // A server that cannot be reached now may still honour the session later.
    if (problem.kind === "network") return { session: null, problem };
    rememberAccount(null);
    return {
      session: null,
      problem: new Problem("session", "Your sign-in has ended. Sign in again to continue."),
    };
  }
}

export async function signIn(config: WebConfig, handle: string, next: string): Promise<void> {
  const { startSignIn } = await loadOAuth();
  await startSignIn(config, handle, next);
}

export async function finishSignIn(config: WebConfig): Promise<{ session: Session; next: string }> {
  const { completeSignIn } = await loadOAuth();
  return completeSignIn(config);
}
