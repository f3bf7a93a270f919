// The OAuth client (@atproto/oauth-client-browser), in its own chunk. The same
// code runs everywhere: a deployed app and a local one differ only in the
// settings the server sends (client metadata, PLC, handle resolver, http).
import {
  BrowserOAuthClient,
  OAuthResponseError,
  type OAuthSession,
  TokenInvalidError,
  TokenRefreshError,
  TokenRevokedError,
} from "@atproto/oauth-client-browser";
import type { WebConfig } from "./config.ts";
import { Problem } from "./errors.ts";
import { rememberAccount, rememberedAccount, type Session } from "./session.ts";

let client: BrowserOAuthClient | undefined;

function oauthClient(config: WebConfig): BrowserOAuthClient {
  client ??= new BrowserOAuthClient({
    clientMetadata: config.clientMetadata,
    handleResolver: config.handleResolver,
    plcDirectoryUrl: config.plcDirectoryUrl,
    allowHttp: config.allowHttp,
    responseMode: "fragment",
  });
  return client;
}

/**
 * Goes to the user's server to sign in, asking for the narrowest scopes it
 * accepts: our permission sets, else the same rights spelled out, else general access.
 */
export async function startSignIn(config: WebConfig, handle: string, next: string): Promise<void> {
  const oauth = oauthClient(config);
  for (const [i, scope] of config.scopes.entries()) {
    try {
      await oauth.signIn(handle, { scope, state: next });
      return;
    } catch (err) {
      const refused = err instanceof OAuthResponseError && err.error === "invalid_scope";
      if (!refused || i === config.scopes.length - 1) throw signInProblem(err, handle);
    }
  }
}

function signInProblem(err: unknown, handle: string): Problem {
  const message = err instanceof Error ? err.message : String(err);
  if (/resolve|handle|did/i.test(message)) {
    return new Problem(
      "invalid",
      `Could not find the account “${handle}”. Check the handle (e.g. alice.bsky.social).`,
    );
  }
  if (err instanceof TypeError) {
    return new Problem("network", `The server of “${handle}” could not be reached. Try again in a moment.`);
  }
  return new Problem("server", `Signing in did not work: ${message}`);
}

/** On /oauth/callback: trades the code for a session and says where to go next. */
export async function completeSignIn(config: WebConfig): Promise<{ session: Session; next: string }> {
  let result: Awaited<ReturnType<BrowserOAuthClient["init"]>>;
  try {
    result = await oauthClient(config).init();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Problem("session", `Signing in did not finish: ${message}`);
  }
  if (!result)
    throw new Problem("session", "This page is where your server sends you back after signing in.");
  const session = await wrap(result.session);
  rememberAccount({ did: session.did, ...(session.handle ? { handle: session.handle } : {}) });
  const next = "state" in result && typeof result.state === "string" ? result.state : "/";
  return { session, next };
}

export async function restore(
  config: WebConfig,
  account: { did: string; handle?: string },
): Promise<Session> {
  const session = await oauthClient(config).restore(account.did);
  return wrap(session, account.handle);
}

async function wrap(oauth: OAuthSession, knownHandle?: string): Promise<Session> {
  const info = await oauth.getTokenInfo(false);
  const pdsHost = new URL(info.aud).host;
  const fetch = async (path: string, init?: RequestInit) => {
    try {
      return await oauth.fetchHandler(path, init);
    } catch (err) {
      if (
        err instanceof TokenRefreshError ||
        err instanceof TokenInvalidError ||
        err instanceof TokenRevokedError
      ) {
        rememberAccount(null);
        throw new Problem("session", "Your sign-in has ended. Sign in again to continue.");
      }
      if (err instanceof TypeError) {
        throw new Problem("network", `Your server (${pdsHost}) could not be reached. Try again in a moment.`);
      }
      throw err;
    }
  };
  const handle = knownHandle ?? (await ownHandle(fetch, oauth.did));
  return {
    did: oauth.did,
    ...(handle ? { handle } : {}),
    pdsHost,
    granular: info.scope.split(" ").some((scope) => scope.startsWith("repo:")),
    fetch,
    async signOut() {
      rememberAccount(null);
      await oauth.signOut().catch(() => {});
    },
  };
}

async function ownHandle(fetch: Session["fetch"], did: string): Promise<string | undefined> {
  const res = await fetch(`/xrpc/com.atproto.repo.describeRepo?repo=${encodeURIComponent(did)}`).catch(
    () => null,
  );
  const body = (await res?.json().catch(() => null)) as { handle?: string } | null;
  return body?.handle ?? rememberedAccount()?.handle;
}
