// `atrarium login`, `logout`, `whoami`: the session file (never the password).
import { existsSync } from "node:fs";
import type { AtpAgent } from "@atproto/api";
import { parseActor } from "../../client/index.ts";
import { type Command, show, str } from "../command.ts";
import { deleteSession, saveSession } from "../session.ts";
import { findPds, looksLikeAppPassword, pdsOption, readPassword, signIn } from "../sign-in.ts";

const login: Command = {
  name: "login",
  args: "<handle-or-did>",
  summary: "sign in with an app password; the session is kept in a file only you can read",
  details:
    "The password is read from --password-stdin, $ATRARIUM_PASSWORD, or a prompt; it is sent only to your PDS and never stored.\nYour PDS is found by resolving your DID, unless --pds is given.",
  options: {
    pds: {
      type: "string",
      arg: "URL",
      help: "your PDS (skips DID resolution), e.g. http://localhost:2583",
    },
    "password-stdin": { type: "boolean", help: "read the app password from standard input" },
  },
  session: "none",
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const identifier = (ctx.positionals[0] ?? "").replace(/^@/, "");
    parseActor(identifier);
    const given = str(ctx.values.pds);
    const pds = given ? pdsOption(given) : await findPds(identifier, ctx.plcUrl);
    const password = await readPassword({ ...ctx, fromStdin: Boolean(ctx.values["password-stdin"]) });
    if (!looksLikeAppPassword(password)) {
      ctx.warn(
        "That does not look like an app password; create one in your account settings and use it instead",
      );
    }
    const agent = await signIn(identifier, password, pds);
    const session = agent.session as NonNullable<AtpAgent["session"]>;
    const at = agent.pdsUrl?.origin ?? pds;
    saveSession(ctx.sessionFile, {
      version: 1,
      pds: at,
      ...(ctx.plcUrl ? { plcUrl: ctx.plcUrl } : {}),
      did: session.did,
      handle: session.handle,
      session,
      savedAt: new Date().toISOString(),
    });
    const result = { did: session.did, handle: session.handle, pds: at, sessionFile: ctx.sessionFile };
    return show(ctx, result, () =>
      ctx.out(
        `Logged in as ${session.handle} (${session.did}) on ${at}; session saved in ${ctx.sessionFile}`,
      ),
    );
  },
};

const logout: Command = {
  name: "logout",
  args: "",
  summary: "end the session on the PDS and delete the session file",
  session: "optional",
  minArgs: 0,
  maxArgs: 0,
  async run(ctx) {
    const hadSession = existsSync(ctx.sessionFile);
    const client = await ctx.client();
    const warnings: string[] = [];
    if (client.agent) {
      try {
        await (client.agent as AtpAgent).logout();
      } catch (err) {
        warnings.push(
          `The PDS did not confirm the logout (${(err as Error).message}); the local session is deleted anyway`,
        );
      }
    }
    deleteSession(ctx.sessionFile);
    return show(ctx, { loggedOut: hadSession, warnings }, () =>
      ctx.out(hadSession ? "Logged out." : "You were not logged in."),
    );
  },
};

const whoami: Command = {
  name: "whoami",
  args: "",
  summary: "show the signed-in account",
  session: "required",
  minArgs: 0,
  maxArgs: 0,
  async run(ctx) {
    const client = await ctx.client();
    const agent = client.agent as AtpAgent;
    const result = {
      did: agent.session?.did,
      handle: agent.session?.handle,
      pds: agent.pdsUrl?.origin ?? agent.serviceUrl.origin,
    };
    return show(ctx, result, () => ctx.out(`${result.handle} (${result.did}) on ${result.pds}`));
  },
};

export const accountCommands: Command[] = [login, logout, whoami];
