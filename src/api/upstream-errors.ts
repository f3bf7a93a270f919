import { InvalidRequestError, UpstreamFailureError, type XRPCError } from "@atproto/xrpc-server";
import {
  DidResolutionError,
  PdsLookupError,
  PdsRefusedError,
  PdsUnreachableError,
  UnknownDidError,
} from "../sync/pds.ts";

/**
 * The error a method answers when reading a record back from its author's
 * repo failed, naming the cause; null for any other error. A DID that does not
 * exist, or names no PDS, is the caller's mistake (400 UnknownDid); the rest
 * are upstream failures (502), which a retry may get past. `context` says what
 * was being done, e.g. "Cannot read the owner's repo".
 */
export function upstreamError(err: unknown, context: string): XRPCError | null {
  const say = (name: string) => new UpstreamFailureError(`${context}: ${(err as Error).message}`, name);
  if (err instanceof UnknownDidError)
    return new InvalidRequestError(`${context}: ${err.message}`, "UnknownDid");
  if (err instanceof PdsUnreachableError) return say("PdsUnreachable");
  if (err instanceof PdsRefusedError) return say("PdsRefused");
  if (err instanceof DidResolutionError) return say("DidResolutionFailed");
  if (err instanceof PdsLookupError) return say("PdsUnreachable");
  return null;
}
