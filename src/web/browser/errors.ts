// One error type for everything the app can tell a person went wrong, each
// kind with a message that says what to do.

export type ProblemKind =
  /** A server (the user's PDS, or Atrarium) could not be reached. */
  | "network"
  /** The sign-in is over: sign in again. */
  | "session"
  /** The server refused: not allowed. */
  | "forbidden"
  /** What was typed cannot be used. */
  | "invalid"
  /** A server answered with an error. */
  | "server";

export class Problem extends Error {
  readonly kind: ProblemKind;
  constructor(kind: ProblemKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** Any failure as a Problem; `doing` says what was being done ("posting"). */
export function toProblem(err: unknown, doing: string): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof TypeError) {
    return new Problem(
      "network",
      `A server could not be reached while ${doing}. Check your connection and try again.`,
    );
  }
  return new Problem(
    "server",
    `Something went wrong while ${doing}: ${err instanceof Error ? err.message : String(err)}`,
  );
}

/** A Problem for an XRPC error answer. */
export async function problemFromResponse(res: Response, who: string, doing: string): Promise<Problem> {
  const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  const detail = body.message ?? body.error ?? `HTTP ${res.status}`;
  if (res.status === 401) {
    return new Problem("session", `${who} no longer accepts your sign-in (${detail}). Sign in again.`);
  }
  if (res.status === 403) return new Problem("forbidden", `${who} did not allow ${doing}: ${detail}`);
  if (res.status === 400) return new Problem("invalid", `${who} refused ${doing}: ${detail}`);
  return new Problem("server", `${who} failed while ${doing} (${detail}). Try again in a moment.`);
}
