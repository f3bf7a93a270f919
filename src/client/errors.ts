// Errors of the typed client. Every failure a caller can act on becomes an
// AtrariumError with a kind (what went wrong, in terms of what to do next) and
// a one-line message that names the thing involved. The command line maps the
// kind to its exit code.

/** What went wrong, in terms of what to do next. */
export type AtrariumErrorKind =
  /** The input is wrong: a bad URI, a record that would not validate, a text too long. */
  | "invalid"
  /** No session, an expired session, or credentials that were refused. */
  | "auth"
  /** The record, community, post or account does not exist. */
  | "not_found"
  /** The signed-in account may not do this (not the owner, not a moderator). */
  | "forbidden"
  /** The record changed under us (a concurrent update); retrying is safe. */
  | "conflict"
  /** A server could not be reached or timed out. */
  | "network"
  /** A server answered with an error of its own (5xx, rate limit, malformed answer). */
  | "server";

/** Every failure of the client: a kind and a one-line message naming the thing involved. */
export class AtrariumError extends Error {
  override readonly name = "AtrariumError";
  readonly kind: AtrariumErrorKind;
  /** Readable reasons, e.g. one per invalid field. */
  readonly reasons: string[];
  /** The XRPC error name from the server, when there was one. */
  readonly xrpcError?: string;

  constructor(
    kind: AtrariumErrorKind,
    message: string,
    options: { reasons?: string[]; xrpcError?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.reasons = options.reasons ?? [];
    if (options.xrpcError !== undefined) this.xrpcError = options.xrpcError;
  }
}

interface XrpcLike {
  status: number;
  error?: string;
  message: string;
  cause?: unknown;
}

function isXrpcLike(err: unknown): err is XrpcLike {
  return (
    err instanceof Error &&
    typeof (err as Partial<XrpcLike>).status === "number" &&
    "success" in err &&
    (err as { success?: unknown }).success === false
  );
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
]);

/** True when an error (or one of its causes) is a failure to reach the server at all. */
export function isNetworkFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    if (e instanceof Error && (e.name === "AbortError" || e.name === "TimeoutError")) return true;
    if (e instanceof TypeError && /fetch failed|network/i.test(e.message)) return true;
  }
  return false;
}

const NOT_FOUND_ERRORS = new Set([
  "RecordNotFound",
  "CommunityNotFound",
  "UnknownFeed",
  "RepoNotFound",
  "NotFound",
  "AccountNotFound",
]);
const AUTH_ERRORS = new Set([
  "AuthRequired",
  "AuthMissing",
  "ExpiredToken",
  "InvalidToken",
  "AuthenticationRequired",
  "AccountTakedown",
  "BadJwtSignature",
  "JwtExpired",
  "BadJwtAudience",
  "BadJwtLexiconMethod",
]);

/**
 * Turns whatever a call threw into an AtrariumError. `what` names the action
 * ("reading the community config"), `where` the server ("the PDS at https://…").
 */
export function toAtrariumError(err: unknown, what: string, where: string): AtrariumError {
  if (err instanceof AtrariumError) return err;
  if (isNetworkFailure(err) || (isXrpcLike(err) && err.status === 1 && isNetworkFailure(err.cause))) {
    return new AtrariumError(
      "network",
      `Could not reach ${where} while ${what}; check that it is running and the URL is right`,
      {
        cause: err,
      },
    );
  }
  if (isXrpcLike(err)) {
    const name = err.error;
    const detail = err.message && err.message !== name ? `: ${err.message}` : "";
    const said = `${where} answered ${name ?? err.status}${detail}`;
    const opts = { cause: err, ...(name ? { xrpcError: name } : {}) };
    if ((name && NOT_FOUND_ERRORS.has(name)) || /could not locate record/i.test(err.message)) {
      return new AtrariumError("not_found", `Not found while ${what} (${said})`, opts);
    }
    if ((name && AUTH_ERRORS.has(name)) || err.status === 401) {
      return new AtrariumError("auth", `Not authorized while ${what} (${said})`, opts);
    }
    if (name === "InvalidSwap") {
      return new AtrariumError("conflict", `The record changed while ${what}; run the command again`, opts);
    }
    if (err.status === 403) return new AtrariumError("forbidden", `Refused while ${what} (${said})`, opts);
    if (err.status === 404) {
      return new AtrariumError(
        "not_found",
        `${where} does not offer this method while ${what} (${said}); is the URL right?`,
        opts,
      );
    }
    if (err.status === 400) return new AtrariumError("invalid", `Rejected while ${what} (${said})`, opts);
    if (err.status === 2) {
      return new AtrariumError(
        "server",
        `${where} sent an answer that does not match the lexicon while ${what}`,
        opts,
      );
    }
    if (err.status === 1) {
      return new AtrariumError("network", `Could not reach ${where} while ${what} (${err.message})`, opts);
    }
    return new AtrariumError("server", `Failed while ${what} (${said})`, opts);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AtrariumError("server", `Failed while ${what}: ${message}`, { cause: err });
}
