import { UpstreamFailureError } from "@atproto/xrpc-server";
import { DidResolutionError, PdsLookupError, PdsRefusedError, PdsUnreachableError } from "../sync/pds.ts";

/**
 * The 502 a method answers when reading a record back from its author's repo
 * failed upstream, naming the cause; null for any other error. `context` says
 * what was being done, e.g. "Cannot read the owner's repo".
 */
export function upstreamError(err: unknown, context: string): UpstreamFailureError | null {
  const say = (name: string) => new UpstreamFailureError(`${context}: ${(err as Error).message}`, name);
  if (err instanceof PdsUnreachableError) return say("PdsUnreachable");
  if (err instanceof PdsRefusedError) return say("PdsRefused");
  if (err instanceof DidResolutionError) return say("DidResolutionFailed");
  if (err instanceof PdsLookupError) return say("PdsUnreachable");
  return null;
}
