// `atrarium hide`, `unhide`, `block`, `unblock`: moderation action records
// in your repo (they count while you are a moderator of the community).
import { atUri, COLLECTIONS } from "../../client/index.ts";
import { type Command, communityArg, type OptionSpec, show, str } from "../command.ts";

const reasonOption: Record<string, OptionSpec> = {
  reason: { type: "string", arg: "TEXT", help: "public reason stored with the action" },
};

const postAction = (verb: "hide" | "unhide"): Command => ({
  name: verb,
  args: "<community> <post>",
  summary: `${verb} a post in a community's feed (post at:// URI or bsky.app link)`,
  options: reasonOption,
  session: "required",
  minArgs: 2,
  maxArgs: 2,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const target = await client.resolveRecordRef(ctx.positionals[1] ?? "", COLLECTIONS.post);
    const reason = str(ctx.values.reason);
    const result = await client.createModerationAction({
      community: uri,
      action: verb === "hide" ? "hide_post" : "unhide_post",
      target: { uri: atUri(target.did, target.collection, target.rkey) },
      ...(reason ? { reason } : {}),
    });
    return show(ctx, result, () =>
      ctx.out(`${verb === "hide" ? "Hid" : "Unhid"} the post; action ${result.uri}`),
    );
  },
});

const userAction = (verb: "block" | "unblock"): Command => ({
  name: verb,
  args: "<community> <account>",
  summary: `${verb} an account (DID or handle) in a community`,
  options: reasonOption,
  session: "required",
  minArgs: 2,
  maxArgs: 2,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
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
});

export const moderationCommands: Command[] = [
  postAction("hide"),
  postAction("unhide"),
  userAction("block"),
  userAction("unblock"),
];
