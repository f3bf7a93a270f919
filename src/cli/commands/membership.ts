// `atrarium memberships`, `join`, `leave`: membership records in your repo.
import { type Command, communityArg, show } from "../command.ts";

const memberships: Command = {
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
};

const join: Command = {
  name: "join",
  args: "<community>",
  summary: "join a community (a membership record in your repo)",
  session: "required",
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const joined = await client.join(uri);
    return show(ctx, joined, () => {
      ctx.out(
        joined.alreadyMember
          ? `You are already a member (${joined.uri})`
          : `Joined; membership ${joined.uri}`,
      );
      if (joined.needsApproval) {
        ctx.out(
          "This community approves its members: you count, and your posts show, once a moderator approves you (at once if you were invited).",
        );
      }
    });
  },
};

const leave: Command = {
  name: "leave",
  args: "<community>",
  summary: "leave a community (deletes your membership record)",
  session: "required",
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const left = await client.leave(uri);
    return show(ctx, left, () => ctx.out(`Left; deleted ${left.deleted.join(", ")}`));
  },
};

export const membershipCommands: Command[] = [memberships, join, leave];
