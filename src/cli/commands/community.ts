// `atrarium community …`: create, show, list, members, update, actions.
import { type AtrariumClient, AtrariumError, type CommunityPatch } from "../../client/index.ts";
import {
  type Command,
  type Context,
  communityArg,
  counted,
  list,
  paging,
  pagingOptions,
  printLists,
  show,
  showPage,
  str,
  usageError,
} from "../command.ts";

const STAGES = ["theme", "community", "graduated"] as const;
const JOIN_POLICIES = ["open", "approval"] as const;
const VISIBILITIES = ["public", "members"] as const;

/** A string option that must be one of `allowed`, if given. */
function choice<T extends string>(ctx: Context, option: string, allowed: readonly T[]): T | undefined {
  const value = str(ctx.values[option]);
  if (value !== undefined && !allowed.includes(value as T)) {
    throw usageError(`--${option} must be one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T | undefined;
}

const stageOption = (ctx: Context) => choice(ctx, "stage", STAGES);

const create: Command = {
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
};

const showCommunity: Command = {
  name: "community show",
  args: "<community>",
  summary: "show a community as the index sees it (falls back to its config record)",
  session: "optional",
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
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
        ctx.out(`  joining:    ${view.joinPolicy ?? "open"}   feed: ${view.feedVisibility ?? "public"}`);
        printRules(ctx, view.rules);
        for (const pin of view.pinnedPosts ?? []) ctx.out(`  pinned:     ${pin.uri}  (${pin.pinnedAt})`);
        ctx.out(`  indexed at: ${view.indexedAt}`);
      });
    } catch (err) {
      if (!(err instanceof AtrariumError) || (err.kind !== "network" && err.kind !== "not_found")) throw err;
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
        ctx.out(`  joining:    ${c.joinPolicy ?? "open"}   feed: ${c.feedVisibility ?? "public"}`);
        printRules(ctx, c.rules);
        printLists(ctx, c);
      });
    }
  },
};

/** The rules, numbered, one line each. */
function printRules(ctx: Context, rules: string[] | undefined): void {
  for (const [i, rule] of (rules ?? []).entries()) ctx.out(`  rule ${i + 1}:     ${rule}`);
}

const listCommunities: Command = {
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
};

const members: Command = {
  name: "community members",
  args: "<community>",
  summary: "list a community's members",
  options: pagingOptions,
  session: "optional",
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const page = await client.getMembers(uri, paging(ctx));
    return showPage(ctx, page, page.members, "No members.", (m) =>
      ctx.out(`${m.did}  ${m.role}  joined ${m.joinedAt}`),
    );
  },
};

const accountList = (help: string) => ({ type: "string" as const, multiple: true, arg: "ACCOUNT", help });

/** The rules from --rule (each one whole, commas and all) or --no-rules; undefined when neither is given. */
function rulesOption(ctx: Context): string[] | null | undefined {
  const given = ctx.values.rule;
  const rules = (Array.isArray(given) ? given : typeof given === "string" ? [given] : []).map((r) =>
    r.trim(),
  );
  if (ctx.values["no-rules"]) {
    if (rules.length > 0) throw usageError("Give --rule or --no-rules, not both");
    return null;
  }
  if (rules.length === 0) return undefined;
  if (rules.some((r) => r === "")) throw usageError("A --rule cannot be empty; --no-rules removes them all");
  return rules;
}

/**
 * Before a switch to approval: says how many current members it approves
 * first, and asks (unless --yes). Returns the members to approve.
 */
async function confirmApprovalSwitch(ctx: Context, client: AtrariumClient, uri: string): Promise<string[]> {
  const members = await client.membersToApprove(uri);
  const notice = `Switching to approval first approves the ${counted(members.length, "current member")} (everyone but the owner and the moderators), so no one drops out; newcomers then wait for a moderator.`;
  if (ctx.values.yes) return members;
  if (!ctx.isTTY) throw usageError(`${notice} Add --yes to confirm`);
  ctx.warn(notice);
  const answer = await ctx.ask("Switch to approval? [y/N] ");
  if (!/^y(es)?$/i.test(answer.trim())) throw usageError("Cancelled; nothing was changed");
  return members;
}

const update: Command = {
  name: "community update",
  args: "<community>",
  summary:
    "change name, description, stage, who may join, who sees the feed and the rules; add or remove moderators and blocked accounts",
  details: [
    'Accounts are DIDs or handles; the account options repeat or take comma-separated values. --description "" removes it.',
    "--rule sets the rules, in order (repeat it for each rule); --no-rules removes them.",
    "--join-policy approval first approves the current members, says how many and asks (--yes answers for scripts).",
    "--visibility members gives the whole feed only to signed-in members (the Bluesky app, atrarium feed); everyone else gets the pinned posts. The posts stay public on the network.",
  ].join("\n"),
  options: {
    name: { type: "string", arg: "NAME", help: "new name" },
    description: { type: "string", arg: "TEXT", help: "new description" },
    stage: { type: "string", arg: "STAGE", help: "theme, community or graduated" },
    "join-policy": {
      type: "string",
      arg: "POLICY",
      help: "open (anyone who joins) or approval (moderators approve)",
    },
    visibility: { type: "string", arg: "WHO", help: "who gets the whole feed: public or members" },
    rule: {
      type: "string",
      multiple: true,
      arg: "TEXT",
      help: "a rule; the rules given replace the current ones",
    },
    "no-rules": { type: "boolean", help: "remove the rules" },
    yes: { type: "boolean", short: "y", help: "do not ask before switching to approval" },
    "add-moderator": accountList("make an account a moderator"),
    "remove-moderator": accountList("remove a moderator"),
    "add-blocked": accountList("add an account to the blocklist"),
    "remove-blocked": accountList("remove an account from the blocklist"),
  },
  session: "required",
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const v = ctx.values;
    const dids = (option: string) => Promise.all(list(v[option]).map((a) => client.resolveActor(a)));
    const stage = stageOption(ctx);
    const joinPolicy = choice(ctx, "join-policy", JOIN_POLICIES);
    const feedVisibility = choice(ctx, "visibility", VISIBILITIES);
    const rules = rulesOption(ctx);
    const patch: CommunityPatch = {
      ...(str(v.name) !== undefined ? { name: str(v.name) } : {}),
      ...(str(v.description) !== undefined ? { description: str(v.description) || null } : {}),
      ...(stage !== undefined ? { stage } : {}),
      ...(joinPolicy !== undefined ? { joinPolicy } : {}),
      ...(feedVisibility !== undefined ? { feedVisibility } : {}),
      ...(rules !== undefined ? { rules } : {}),
      addModerators: await dids("add-moderator"),
      removeModerators: await dids("remove-moderator"),
      addToBlocklist: await dids("add-blocked"),
      removeFromBlocklist: await dids("remove-blocked"),
    };
    const changes = Object.values(patch).filter((value) => !(Array.isArray(value) && value.length === 0));
    if (changes.length === 0) throw usageError("Nothing to change; see atrarium community update --help");
    const switching =
      joinPolicy === "approval" && (await client.getCommunityConfig(uri)).value.joinPolicy !== "approval";
    const membersToApprove = switching ? await confirmApprovalSwitch(ctx, client, uri) : undefined;
    const updated = await client.updateCommunity(uri, patch, membersToApprove ? { membersToApprove } : {});
    return show(ctx, updated, () => {
      const r = updated.record;
      if (switching) ctx.out(`Approved ${counted(updated.approved.length, "current member")} first`);
      ctx.out(`Updated "${r.name}" (${r.stage})`);
      ctx.out(`  joining:    ${r.joinPolicy ?? "open"}   feed: ${r.feedVisibility ?? "public"}`);
      printRules(ctx, r.rules);
      printLists(ctx, r);
    });
  },
};

const actions: Command = {
  name: "community actions",
  args: "<community>",
  summary: "the moderation log (owner and moderators only)",
  options: pagingOptions,
  session: "required",
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const page = await client.getActions(uri, paging(ctx));
    return showPage(ctx, page, page.actions, "No moderation actions.", (a) => {
      const t = a.target as { uri?: string; did?: string };
      const reason = a.reason ? `  "${a.reason}"` : "";
      ctx.out(`${a.createdAt}  ${a.action}  ${t.uri ?? t.did}  by ${a.author}  [${a.status}]${reason}`);
    });
  },
};

export const communityCommands: Command[] = [
  create,
  showCommunity,
  listCommunities,
  members,
  update,
  actions,
];
