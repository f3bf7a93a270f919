// Signing in with an app password, as `atrarium login` does and the lexicon
// publisher (scripts/lexicons/) reuses: find the account's PDS through DID
// resolution (or take it as given), read the password without storing it, and
// log in with an AtpAgent.
import { AtpAgent } from "@atproto/api";
import { AtrariumError, createIdResolver, parseActor, toAtrariumError } from "../client/index.ts";

/** Where the password may come from, in this order. */
export interface PasswordSource {
  /** Read it from standard input (--password-stdin). */
  fromStdin: boolean;
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  prompt(question: string): Promise<string>;
}

/** The app password from standard input, $ATRARIUM_PASSWORD or a prompt. */
export async function readPassword(source: PasswordSource): Promise<string> {
  if (source.fromStdin) {
    const text = (await source.readStdin()).replace(/\r?\n$/, "");
    if (!text) throw new AtrariumError("invalid", "No password on standard input");
    return text;
  }
  if (source.env.ATRARIUM_PASSWORD) return source.env.ATRARIUM_PASSWORD;
  if (source.isTTY) return source.prompt("App password: ");
  throw new AtrariumError("invalid", "Give the app password with --password-stdin or $ATRARIUM_PASSWORD");
}

/** True when a password has the shape of an app password (xxxx-xxxx-xxxx-xxxx). */
export const looksLikeAppPassword = (password: string) =>
  /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/.test(password);

/** The PDS of a handle or DID, through DID resolution with the given PLC directory. */
export async function findPds(identifier: string, plcUrl?: string): Promise<string> {
  const resolver = createIdResolver(plcUrl);
  const ref = parseActor(identifier);
  let did: string;
  if ("did" in ref) {
    did = ref.did;
  } else {
    const found = await resolver.handle.resolve(ref.handle).catch(() => undefined);
    if (!found) {
      throw new AtrariumError(
        "not_found",
        `Could not resolve the handle ${ref.handle}; check it, or give your PDS with --pds URL`,
      );
    }
    did = found;
  }
  try {
    return (await resolver.did.resolveAtprotoData(did)).pds;
  } catch (err) {
    throw new AtrariumError(
      "not_found",
      `Could not find the PDS of ${did} (${err instanceof Error ? err.message : err}); give it with --pds URL`,
      { cause: err },
    );
  }
}

/** The origin of a --pds option, or a usage error. */
export function pdsOption(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    throw new AtrariumError("invalid", `--pds must be a URL, got "${value}"`);
  }
}

/** An agent signed in on `pds`; a refused password is an "auth" error that says what to check. */
export async function signIn(identifier: string, password: string, pds: string): Promise<AtpAgent> {
  const agent = new AtpAgent({ service: pds });
  try {
    await agent.login({ identifier, password });
  } catch (err) {
    const e = toAtrariumError(err, "signing in", `your PDS at ${pds}`);
    if (e.kind === "auth" || e.kind === "invalid") {
      throw new AtrariumError(
        "auth",
        `Sign-in refused by ${pds}: ${(err as Error).message}; check the handle and app password`,
        { cause: err },
      );
    }
    throw e;
  }
  if (!agent.session) throw new AtrariumError("auth", "The PDS returned no session");
  return agent;
}
