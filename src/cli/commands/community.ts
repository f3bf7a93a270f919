// `atrarium community …`: create, show, list, members, update, actions.
import { AtrariumError } from "../../client/index.ts";
import {
  type Command,
  type Context,
  communityArg,
  list,
  paging,
  pagingOptions,
  printLists,
  show,
  showPage,
  str,
  usageError,
} from "../command.ts";

const STAGES = ["theme", "community", "graduated"];

function stageOption(ctx: Context): string | undefined {
  const stage = str(ctx.values.stage);
  if (stage !== undefined && !STAGES.includes(stage)) {
    throw usageError(`--stage must be one of ${STAGES.join(", ")}, got "${stage}"`);
  }
  return stage;
}

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
        printLists(ctx, c);
      });
    }
  },
};

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

const update: Command = {
  name: "community update",
  args: "<community>",
  summary: "change name, description or stage; add or remove moderators and blocked accounts",
  details:
    'Accounts are DIDs or handles; the list options repeat or take comma-separated values. --description "" removes it.',
  options: {
    name: { type: "string", arg: "NAME", help: "new name" },
    description: { type: "string", arg: "TEXT", help: "new description" },
    stage: { type: "string", arg: "STAGE", help: "theme, community or graduated" },
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
    const patch = {
      ...(str(v.name) !== undefined ? { name: str(v.name) } : {}),
      ...(str(v.description) !== undefined ? { description: str(v.description) || null } : {}),
      ...(stage !== undefined ? { stage } : {}),
      addModerators: await dids("add-moderator"),
      removeModerators: await dids("remove-moderator"),
      addToBlocklist: await dids("add-blocked"),
      removeFromBlocklist: await dids("remove-blocked"),
    };
    const changes = Object.values(patch).filter((value) => !(Array.isArray(value) && value.length === 0));
    if (changes.length === 0) throw usageError("Nothing to change; see atrarium community update --help");
    const updated = await client.updateCommunity(uri, patch);
    return show(ctx, updated, () => {
      const r = updated.record;
      ctx.out(`Updated "${r.name}" (${r.stage})`);
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
