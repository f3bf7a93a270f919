// The commands of `atrarium`: each one declares its usage and options (which
// drive parsing and --help) and runs on top of the typed client.
import { existsSync } from "node:fs";
import { AtpAgent } from "@atproto/api";
import { IdResolver } from "@atproto/identity";
import { type AtrariumClient, AtrariumError, toAtrariumError } from "../client/index.ts";
import { communityUriForFeed, HASHTAG_RE, parseActor, parsePostRef, parseRecordUri } from "../client/text.ts";
import { deleteSession, saveSession } from "./session.ts";

export type OptionSpec = {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  help: string;
  arg?: string;
};

export interface Context {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  env: NodeJS.ProcessEnv;
  sessionFile: string;
  serviceUrl: string;
  plcUrl?: string;
  serviceDid?: string;
  /** The client, with the stored session when there is one and the command wants it. */
  client(): Promise<AtrariumClient>;
  out(line?: string): void;
  warn(message: string): void;
  readStdin(): Promise<string>;
  prompt(question: string): Promise<string>;
  isTTY: boolean;
}

export interface Command {
  name: string;
  args: string;
  summary: string;
  /** Longer explanation under the usage line. */
  details?: string;
  options?: Record<string, OptionSpec>;
  /** required: fail without a login; optional: use it if present; none: never read it. */
  session: "required" | "optional" | "none";
  minArgs: number;
  maxArgs: number;
  run(ctx: Context): Promise<unknown>;
}

export const usageError = (message: string) => new AtrariumError("invalid", message);

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === "string" ? [v] : [])
    .flatMap((s: string) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);

function intOption(ctx: Context, name: string, min: number, max: number): number | undefined {
  const raw = str(ctx.values[name]);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw usageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

const STAGES = ["theme", "community", "graduated"];

function stageOption(ctx: Context): string | undefined {
  const stage = str(ctx.values.stage);
  if (stage !== undefined && !STAGES.includes(stage)) {
    throw usageError(`--stage must be one of ${STAGES.join(", ")}, got "${stage}"`);
  }
  return stage;
}

const paging = (ctx: Context) => {
  const limit = intOption(ctx, "limit", 1, 100);
  const cursor = str(ctx.values.cursor);
  return { ...(limit !== undefined ? { limit } : {}), ...(cursor ? { cursor } : {}) };
};

const pagingOptions: Record<string, OptionSpec> = {
  limit: { type: "string", arg: "N", help: "how many to show (1-100, default 50)" },
  cursor: { type: "string", arg: "CURSOR", help: "continue from the cursor a previous page printed" },
};
const reasonOption: Record<string, OptionSpec> = {
  reason: { type: "string", arg: "TEXT", help: "public reason stored with the action" },
};

/**
 * A community given as its at:// URI, its feed's at:// URI or bsky.app link,
 * or its hashtag (looked up in the index).
 */
export async function resolveCommunity(client: AtrariumClient, input: string): Promise<string> {
  const text = input.trim();
  if (HASHTAG_RE.test(text) || HASHTAG_RE.test(`#${text}`)) {
    const tag = text.startsWith("#") ? text : `#${text}`;
    let cursor: string | undefined;
    do {
      const page = await client.listCommunities({ limit: 100, ...(cursor ? { cursor } : {}) });
      const found = page.communities.find((c) => c.hashtag === tag);
      if (found) return found.uri;
      cursor = page.communities.length > 0 ? page.cursor : undefined;
    } while (cursor);
    throw new AtrariumError("not_found", `No indexed community has the hashtag ${tag}`);
  }
  if (text.startsWith("https://") || text.startsWith("http://")) {
    const match = /^\/profile\/([^/]+)\/feed\/([^/]+)\/?$/.exec(new URL(text).pathname);
    if (!match) throw usageError(`Not a community: "${input}" (give its at:// URI, feed link or hashtag)`);
    const did = await client.resolveActor(decodeURIComponent(match[1] ?? ""));
    return `at://${did}/com.atrarium.community.config/${decodeURIComponent(match[2] ?? "")}`;
  }
  if (!text.startsWith("at://")) {
    throw usageError(`Not a community: "${input}" (give its at:// URI, feed link or hashtag)`);
  }
  const address = parseRecordUri(text);
  const did = address.repo.startsWith("did:") ? address.repo : await client.resolveActor(address.repo);
  const uri = `at://${did}/${address.collection}/${address.rkey}`;
  if (address.collection === "app.bsky.feed.generator") return communityUriForFeed(uri);
  if (address.collection !== "com.atrarium.community.config") {
    throw usageError(`"${input}" is a ${address.collection} record, not a community`);
  }
  return uri;
}

async function resolveDids(client: AtrariumClient, inputs: string[]): Promise<string[]> {
  return Promise.all(inputs.map((i) => client.resolveActor(i)));
}

/** A config's moderators and blocklist, one line each. */
function printLists(ctx: Context, config: { moderators?: string[]; blocklist?: string[] }): void {
  ctx.out(`  moderators: ${(config.moderators ?? []).join(", ") || "-"}`);
  ctx.out(`  blocklist:  ${(config.blocklist ?? []).join(", ") || "-"}`);
}

function printWarnings(ctx: Context, result: unknown): void {
  const warnings = (result as { warnings?: unknown }).warnings;
  if (Array.isArray(warnings)) for (const w of warnings) ctx.warn(String(w));
}

function show(ctx: Context, result: unknown, human: () => void): unknown {
  printWarnings(ctx, result);
  if (!ctx.json) human();
  return result;
}

async function readPassword(ctx: Context): Promise<string> {
  if (ctx.values["password-stdin"]) {
    const text = (await ctx.readStdin()).replace(/\r?\n$/, "");
    if (!text) throw usageError("No password on standard input");
    return text;
  }
  if (ctx.env.ATRARIUM_PASSWORD) return ctx.env.ATRARIUM_PASSWORD;
  if (ctx.isTTY) return ctx.prompt("App password: ");
  throw usageError("Give the app password with --password-stdin or $ATRARIUM_PASSWORD");
}

const isLoopback = (url: string) => /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:|\/|$)/.test(url);

async function findPds(ctx: Context, identifier: string): Promise<string> {
  const plcUrl = ctx.plcUrl ?? "https://plc.directory";
  const resolver = new IdResolver({ plcUrl, ...(isLoopback(plcUrl) ? { fetch: globalThis.fetch } : {}) });
  const ref = parseActor(identifier);
  let did: string;
  if ("did" in ref) {
    did = ref.did;
  } else {
    const found = await resolver.handle.resolve(ref.handle).catch(() => undefined);
    if (!found)
      throw new AtrariumError(
        "not_found",
        `Could not resolve the handle ${ref.handle}; check it, or give your PDS with --pds URL`,
      );
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

export const commands: Command[] = [
  {
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
      const pdsOption = str(ctx.values.pds);
      let pds: string;
      if (pdsOption) {
        try {
          pds = new URL(pdsOption).origin;
        } catch {
          throw usageError(`--pds must be a URL, got "${pdsOption}"`);
        }
      } else {
        pds = await findPds(ctx, identifier);
      }
      const password = await readPassword(ctx);
      if (!/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/.test(password)) {
        ctx.warn(
          "That does not look like an app password; create one in your account settings and use it instead",
        );
      }
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
      const session = agent.session;
      if (!session) throw new AtrariumError("auth", "The PDS returned no session");
      saveSession(ctx.sessionFile, {
        version: 1,
        pds: agent.pdsUrl?.origin ?? pds,
        ...(ctx.plcUrl ? { plcUrl: ctx.plcUrl } : {}),
        did: session.did,
        handle: session.handle,
        session,
        savedAt: new Date().toISOString(),
      });
      const result = {
        did: session.did,
        handle: session.handle,
        pds: agent.pdsUrl?.origin ?? pds,
        sessionFile: ctx.sessionFile,
      };
      return show(ctx, result, () =>
        ctx.out(
          `Logged in as ${session.handle} (${session.did}) on ${result.pds}; session saved in ${ctx.sessionFile}`,
        ),
      );
    },
  },
  {
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
  },
  {
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
  },
  {
    name: "community create",
    args: "<name>",
    summary: "create a community: its config, its feed record and your membership",
    options: {
      description: { type: "string", arg: "TEXT", help: "public description" },
      stage: { type: "string", arg: "STAGE", help: "theme (default), community or graduated" },
    },
    session: "required",
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const client = await ctx.client();
      const description = str(ctx.values.description);
      const stage = stageOption(ctx);
      const created = await client.createCommunity({
        name: ctx.positionals[0] ?? "",
        ...(description ? { description } : {}),
        ...(stage ? { stage } : {}),
      });
      return show(ctx, created, () => {
        ctx.out(`Created community "${created.record.name}"`);
        ctx.out(`  community: ${created.uri}`);
        ctx.out(`  hashtag:   ${created.hashtag}`);
        ctx.out(`  feed:      ${created.feedUri}`);
        ctx.out(`Members post with ${created.hashtag}. Others join with: atrarium join ${created.uri}`);
      });
    },
  },
  {
    name: "community show",
    args: "<community>",
    summary: "show a community as the index sees it (falls back to its config record)",
    session: "optional",
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const client = await ctx.client();
      const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
      try {
        const view = await client.getCommunity(uri);
        return show(ctx, view, () => {
          ctx.out(`${view.name}  (${view.stage})`);
          if (view.description) ctx.out(`  ${view.description}`);
          ctx.out(`  community:  ${view.uri}`);
          ctx.out(`  hashtag:    ${view.hashtag}`);
          ctx.out(`  feed:       ${view.feed}`);
          ctx.out(`  owner:      ${view.owner}`);
          ctx.out(`  moderators: ${view.moderators.join(", ") || "-"}`);
          ctx.out(`  members:    ${view.memberCount}   posts: ${view.postCount}`);
          ctx.out(`  indexed at: ${view.indexedAt}`);
        });
      } catch (err) {
        if (!(err instanceof AtrariumError) || (err.kind !== "network" && err.kind !== "not_found"))
          throw err;
        // Not indexed (yet), or the service is down: the owner's repo still has the record.
        const config = await client.getCommunityConfig(uri);
        const result = {
          uri: config.uri,
          cid: config.cid,
          config: config.value,
          indexed: false,
          warnings: [`Not from the index: ${err.message}`],
        };
        return show(ctx, result, () => {
          const c = config.value;
          ctx.out(`${c.name}  (${c.stage}; read from the owner's repo, not indexed)`);
          if (c.description) ctx.out(`  ${c.description}`);
          ctx.out(`  community:  ${config.uri}`);
          ctx.out(`  hashtag:    ${c.hashtag}`);
          printLists(ctx, c);
        });
      }
    },
  },
  {
    name: "community list",
    args: "",
    summary: "list the communities in the index",
    options: pagingOptions,
    session: "none",
    minArgs: 0,
    maxArgs: 0,
    async run(ctx) {
      const page = await (await ctx.client()).listCommunities(paging(ctx));
      return show(ctx, page, () => {
        if (page.communities.length === 0) ctx.out("No communities.");
        for (const c of page.communities)
          ctx.out(`${c.hashtag}  ${c.name}  (${c.memberCount} members)  ${c.uri}`);
        if (page.cursor) ctx.out(`More: --cursor ${page.cursor}`);
      });
    },
  },
  {
    name: "community members",
    args: "<community>",
    summary: "list a community's members",
    options: pagingOptions,
    session: "optional",
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const client = await ctx.client();
      const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
      const page = await client.getMembers(uri, paging(ctx));
      return show(ctx, page, () => {
        if (page.members.length === 0) ctx.out("No members.");
        for (const m of page.members) ctx.out(`${m.did}  ${m.role}  joined ${m.joinedAt}`);
        if (page.cursor) ctx.out(`More: --cursor ${page.cursor}`);
      });
    },
  },
  {
    name: "community update",
    args: "<community>",
    summary: "change name, description or stage; add or remove moderators and blocked accounts",
    details:
      'Accounts are DIDs or handles; the list options repeat or take comma-separated values. --description "" removes it.',
    options: {
      name: { type: "string", arg: "NAME", help: "new name" },
      description: { type: "string", arg: "TEXT", help: "new description" },
      stage: { type: "string", arg: "STAGE", help: "theme, community or graduated" },
      "add-moderator": {
        type: "string",
        multiple: true,
        arg: "ACCOUNT",
        help: "make an account a moderator",
      },
      "remove-moderator": { type: "string", multiple: true, arg: "ACCOUNT", help: "remove a moderator" },
      "add-blocked": {
        type: "string",
        multiple: true,
        arg: "ACCOUNT",
        help: "add an account to the blocklist",
      },
      "remove-blocked": {
        type: "string",
        multiple: true,
        arg: "ACCOUNT",
        help: "remove an account from the blocklist",
      },
    },
    session: "required",
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const client = await ctx.client();
      const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
      const v = ctx.values;
      const patch = {
        ...(str(v.name) !== undefined ? { name: str(v.name) } : {}),
        ...(str(v.description) !== undefined ? { description: str(v.description) || null } : {}),
        ...(stageOption(ctx) !== undefined ? { stage: stageOption(ctx) } : {}),
        addModerators: await resolveDids(client, list(v["add-moderator"])),
        removeModerators: await resolveDids(client, list(v["remove-moderator"])),
        addToBlocklist: await resolveDids(client, list(v["add-blocked"])),
        removeFromBlocklist: await resolveDids(client, list(v["remove-blocked"])),
      };
      const changes = Object.entries(patch).filter(
        ([, value]) => !(Array.isArray(value) && value.length === 0),
      );
      if (changes.length === 0) throw usageError("Nothing to change; see atrarium community update --help");
      const updated = await client.updateCommunity(uri, patch);
      return show(ctx, updated, () => {
        const r = updated.record;
        ctx.out(`Updated "${r.name}" (${r.stage})`);
        printLists(ctx, r);
      });
    },
  },
  {
    name: "community actions",
    args: "<community>",
    summary: "the moderation log (owner and moderators only)",
    options: pagingOptions,
    session: "required",
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const client = await ctx.client();
      const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
      const page = await client.getActions(uri, paging(ctx));
      return show(ctx, page, () => {
        if (page.actions.length === 0) ctx.out("No moderation actions.");
        for (const a of page.actions) {
          const t = a.target as { uri?: string; did?: string };
          ctx.out(
            `${a.createdAt}  ${a.action}  ${t.uri ?? t.did}  by ${a.author}  [${a.status}]${a.reason ? `  "${a.reason}"` : ""}`,
          );
        }
        if (page.cursor) ctx.out(`More: --cursor ${page.cursor}`);
      });
    },
  },
  {
    name: "memberships",
    args: "",
    summary: "list the membership records in your repo",
    session: "required",
    minArgs: 0,
    maxArgs: 0,
    async run(ctx) {
      const records = await (await ctx.client()).listMemberships();
      return show(ctx, { memberships: records }, () => {
        if (records.length === 0) ctx.out("You have no memberships.");
        for (const m of records) {
          ctx.out(
            `${m.value.community}  ${m.value.role}${m.value.active === false ? "  (left)" : ""}  since ${m.value.joinedAt}`,
          );
        }
      });
    },
  },
  {
    name: "join",
    args: "<community>",
    summary: "join a community (a membership record in your repo)",
    session: "required",
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const client = await ctx.client();
      const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
      const joined = await client.join(uri);
      return show(ctx, joined, () =>
        ctx.out(
          joined.alreadyMember
            ? `You are already a member (${joined.uri})`
            : `Joined; membership ${joined.uri}`,
        ),
      );
    },
  },
  {
    name: "leave",
    args: "<community>",
    summary: "leave a community (deletes your membership record)",
    session: "required",
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const client = await ctx.client();
      const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
      const left = await client.leave(uri);
      return show(ctx, left, () => ctx.out(`Left; deleted ${left.deleted.join(", ")}`));
    },
  },
  {
    name: "post",
    args: "<community> <text...>",
    summary: "post to a community (the hashtag is appended with a #tag facet)",
    session: "required",
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    async run(ctx) {
      const client = await ctx.client();
      const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
      const posted = await client.post(uri, ctx.positionals.slice(1).join(" "));
      return show(ctx, posted, () => ctx.out(`Posted ${posted.uri}\n  ${posted.text}`));
    },
  },
  ...(["hide", "unhide"] as const).map(
    (verb): Command => ({
      name: verb,
      args: "<community> <post>",
      summary: `${verb} a post in a community's feed (post at:// URI or bsky.app link)`,
      options: reasonOption,
      session: "required",
      minArgs: 2,
      maxArgs: 2,
      async run(ctx) {
        const client = await ctx.client();
        const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
        const ref = parsePostRef(ctx.positionals[1] ?? "");
        const did = await client.resolveActor(ref.actor);
        const reason = str(ctx.values.reason);
        const result = await client.createModerationAction({
          community: uri,
          action: verb === "hide" ? "hide_post" : "unhide_post",
          target: { uri: `at://${did}/app.bsky.feed.post/${ref.rkey}` },
          ...(reason ? { reason } : {}),
        });
        return show(ctx, result, () =>
          ctx.out(`${verb === "hide" ? "Hid" : "Unhid"} the post; action ${result.uri}`),
        );
      },
    }),
  ),
  ...(["block", "unblock"] as const).map(
    (verb): Command => ({
      name: verb,
      args: "<community> <account>",
      summary: `${verb} an account (DID or handle) in a community`,
      options: reasonOption,
      session: "required",
      minArgs: 2,
      maxArgs: 2,
      async run(ctx) {
        const client = await ctx.client();
        const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
        const did = await client.resolveActor(ctx.positionals[1] ?? "");
        const reason = str(ctx.values.reason);
        const result = await client.createModerationAction({
          community: uri,
          action: verb === "block" ? "block_user" : "unblock_user",
          target: { did },
          ...(reason ? { reason } : {}),
        });
        return show(ctx, result, () =>
          ctx.out(`${verb === "block" ? "Blocked" : "Unblocked"} ${did}; action ${result.uri}`),
        );
      },
    }),
  ),
  {
    name: "feed",
    args: "<community>",
    summary: "show a community's feed, each post read from its author's PDS",
    options: pagingOptions,
    session: "optional",
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const client = await ctx.client();
      const uri = await resolveCommunity(client, ctx.positionals[0] ?? "");
      const page = await client.getFeed(uri, paging(ctx));
      return show(ctx, page, () => {
        if (page.items.length === 0) ctx.out("The feed is empty.");
        for (const item of page.items) {
          const who = item.author.handle ? `@${item.author.handle}` : item.author.did;
          ctx.out(`${who}${item.createdAt ? `  ${item.createdAt}` : ""}`);
          ctx.out(`  ${item.text ?? `(unreadable: ${item.error})`}`.replace(/\n/g, "\n  "));
          ctx.out(`  ${item.uri}`);
        }
        if (page.cursor) ctx.out(`More: --cursor ${page.cursor}`);
      });
    },
  },
  {
    name: "firehose status",
    args: "",
    summary: "the Worker's firehose consumer status (admin)",
    details:
      "The admin password is the Worker's ADMIN_PASSWORD, from --admin-password-stdin or $ATRARIUM_ADMIN_PASSWORD.",
    options: {
      "admin-password-stdin": { type: "boolean", help: "read the admin password from standard input" },
    },
    session: "none",
    minArgs: 0,
    maxArgs: 0,
    async run(ctx) {
      const password = ctx.values["admin-password-stdin"]
        ? (await ctx.readStdin()).replace(/\r?\n$/, "")
        : ctx.env.ATRARIUM_ADMIN_PASSWORD;
      if (!password)
        throw usageError("Give the admin password with $ATRARIUM_ADMIN_PASSWORD or --admin-password-stdin");
      const status = await (await ctx.client()).getFirehoseStatus(password);
      return show(ctx, status, () => {
        ctx.out(`connected: ${status.connected}${status.url ? ` (${status.url})` : ""}`);
        if (status.lagSeconds !== undefined) ctx.out(`lag:       ${status.lagSeconds} s`);
        ctx.out(
          `events:    ${status.eventsSeen} seen, ${status.eventsKept} kept, ${status.eventsSent} sent in ${status.queueMessagesSent} queue messages`,
        );
        ctx.out(
          `reconnects: ${status.reconnects}${status.lastError ? `; last error: ${status.lastError}` : ""}`,
        );
      });
    },
  },
];
