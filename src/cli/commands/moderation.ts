// `atrarium hide`, `unhide`, `pin`, `unpin`, `block`, `unblock`, `approve`,
// `unapprove`, `invite` and `requests`: moderation action records in your repo
// (they count while you are a moderator of the community), and the list of
// members waiting for approval.
import type { AtrariumClient, DecisionOptions, ModerationActionResult } from "../../client/index.ts";
import {
  type Command,
  type Context,
  communityArg,
  counted,
  paging,
  pagingOptions,
  show,
  showPage,
  str,
  usageError,
} from "../command.ts";
import { parseDuration } from "../duration.ts";

type Act = (
  client: AtrariumClient,
  community: string,
  target: string,
  options: DecisionOptions,
) => Promise<ModerationActionResult>;

interface Verb {
  name: string;
  args: string;
  summary: string;
  details?: string;
  act: Act;
  /** What was done, for the line printed afterwards. */
  done: string;
  /** A line printed after it (e.g. how an invited account joins). */
  next?: (community: string) => string;
}

const reasonOption = {
  reason: { type: "string" as const, arg: "TEXT", help: "public reason stored with the action" },
};
const reasonOf = (ctx: Context) => {
  const reason = str(ctx.values.reason);
  return reason ? { reason } : {};
};

const verbCommand = (verb: Verb): Command => ({
  name: verb.name,
  args: verb.args,
  summary: verb.summary,
  ...(verb.details ? { details: verb.details } : {}),
  options: reasonOption,
  session: "required",
  minArgs: 2,
  maxArgs: 2,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const target = ctx.positionals[1] ?? "";
    const result = await verb.act(client, uri, target, reasonOf(ctx));
    return show(ctx, result, () => {
      ctx.out(`${verb.done} ${target}; action ${result.uri}`);
      if (verb.next) ctx.out(verb.next(uri));
    });
  },
});

const post = "<community> <post>";
const account = "<community> <account>";
const POST_REF = "(post as at:// URI or bsky.app link)";
const ACCOUNT_REF = "(account as DID or handle)";

const postVerbs: Verb[] = [
  {
    name: "hide",
    args: post,
    summary: `hide a post from a community's feed ${POST_REF}`,
    act: (c, community, p, o) => c.hidePost(community, p, o),
    done: "Hid",
  },
  {
    name: "unhide",
    args: post,
    summary: `show a hidden post again ${POST_REF}`,
    act: (c, community, p, o) => c.unhidePost(community, p, o),
    done: "Unhid",
  },
  {
    name: "pin",
    args: post,
    summary: `pin a post to the top of a community's feed ${POST_REF}`,
    details:
      "The three most recently pinned posts come first; a pinned post shows only while it is in the feed.",
    act: (c, community, p, o) => c.pinPost(community, p, o),
    done: "Pinned",
  },
  {
    name: "unpin",
    args: post,
    summary: `unpin a post: it goes back to its place in the feed ${POST_REF}`,
    act: (c, community, p, o) => c.unpinPost(community, p, o),
    done: "Unpinned",
  },
];

const accountVerbs: Verb[] = [
  {
    name: "unblock",
    args: account,
    summary: `end a block ${ACCOUNT_REF}`,
    act: (c, community, a, o) => c.unblockMember(community, a, o),
    done: "Unblocked",
  },
  {
    name: "approve",
    args: account,
    summary: `approve a member waiting to join a community that approves its members ${ACCOUNT_REF}`,
    details: "Their posts held so far appear in the feed. See who waits with atrarium requests.",
    act: (c, community, a, o) => c.approveMember(community, a, o),
    done: "Approved",
  },
  {
    name: "unapprove",
    args: account,
    summary: `withdraw a member's approval: their posts leave the feed ${ACCOUNT_REF}`,
    act: (c, community, a, o) => c.unapproveMember(community, a, o),
    done: "Withdrew the approval of",
  },
  {
    name: "invite",
    args: account,
    summary: `invite an account to a community that approves its members ${ACCOUNT_REF}`,
    details: "An invitation is an approval written before the person joins: they count as soon as they join.",
    act: (c, community, a, o) => c.invite(community, a, o),
    done: "Invited",
    next: (community) => `They join with: atrarium join ${community}`,
  },
];

const block: Command = {
  name: "block",
  args: account,
  summary: `block an account from a community, for good or for a time ${ACCOUNT_REF}`,
  details:
    "--for ends the block by itself: 1d, 7d, 1w, or any whole number of minutes (m), hours (h), days (d) or weeks (w). Posts made while blocked never enter the feed.",
  options: {
    ...reasonOption,
    for: { type: "string", arg: "DURATION", help: "how long the block lasts, e.g. 1d, 7d, 1w, 12h" },
  },
  session: "required",
  minArgs: 2,
  maxArgs: 2,
  async run(ctx) {
    const given = str(ctx.values.for);
    const ms = given === undefined ? undefined : parseDuration(given);
    if (given !== undefined && ms === undefined) {
      throw usageError(`--for must be a duration such as 1d, 7d, 1w or 12h, got "${given}"`);
    }
    const { client, uri } = await communityArg(ctx);
    const target = ctx.positionals[1] ?? "";
    const expiresAt = ms === undefined ? undefined : new Date(Date.now() + ms);
    const result = await client.blockMember(uri, target, {
      ...reasonOf(ctx),
      ...(expiresAt ? { expiresAt } : {}),
    });
    const until = result.record.expiresAt ? ` until ${result.record.expiresAt}` : "";
    return show(ctx, result, () => ctx.out(`Blocked ${target}${until}; action ${result.uri}`));
  },
};

const requests: Command = {
  name: "requests",
  args: "<community>",
  summary: "list the members waiting for approval (owner and moderators only)",
  options: pagingOptions,
  session: "required",
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const page = await client.getJoinRequests(uri, paging(ctx));
    const handles = await Promise.all(page.requests.map((r) => client.handleOf(r.did)));
    const shown = page.requests.map((r, i) => ({ ...r, handle: handles[i] }));
    const result = showPage(ctx, page, shown, "No one is waiting for approval.", (r) => {
      const who = r.handle ? `@${r.handle} (${r.did})` : r.did;
      ctx.out(`${who}  joined ${r.joinedAt}  ${counted(r.heldPosts, "held post")}`);
    });
    if (!ctx.json && shown.length > 0) ctx.out(`Approve with: atrarium approve ${uri} <account>`);
    return result;
  },
};

export const moderationCommands: Command[] = [
  ...postVerbs.map(verbCommand),
  block,
  ...accountVerbs.map(verbCommand),
  requests,
];
