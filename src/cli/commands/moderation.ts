// `atrarium hide`, `unhide`, `block`, `unblock`: moderation action records
// in your repo (they count while you are a moderator of the community).
import { type AtrariumClient, atUri, COLLECTIONS, type ModerationTarget } from "../../client/index.ts";
import { type Command, communityArg, show, str } from "../command.ts";

interface Verb {
  name: string;
  action: "hide_post" | "unhide_post" | "block_user" | "unblock_user";
  args: string;
  summary: string;
  /** The target from the second argument. */
  target(client: AtrariumClient, input: string): Promise<ModerationTarget>;
  done(target: ModerationTarget): string;
}

const post = async (client: AtrariumClient, input: string) => {
  const { did, collection, rkey } = await client.resolveRecordRef(input, COLLECTIONS.post);
  return { uri: atUri(did, collection, rkey) };
};
const account = async (client: AtrariumClient, input: string) => ({ did: await client.resolveActor(input) });
const postVerb = (name: "hide" | "unhide", done: string): Verb => ({
  name,
  action: name === "hide" ? "hide_post" : "unhide_post",
  args: "<community> <post>",
  summary: `${name} a post in a community's feed (post at:// URI or bsky.app link)`,
  target: post,
  done: () => `${done} the post`,
});
const accountVerb = (name: "block" | "unblock", done: string): Verb => ({
  name,
  action: name === "block" ? "block_user" : "unblock_user",
  args: "<community> <account>",
  summary: `${name} an account (DID or handle) in a community`,
  target: account,
  done: (target) => `${done} ${"did" in target ? target.did : ""}`,
});

const moderationCommand = (verb: Verb): Command => ({
  name: verb.name,
  args: verb.args,
  summary: verb.summary,
  options: { reason: { type: "string", arg: "TEXT", help: "public reason stored with the action" } },
  session: "required",
  minArgs: 2,
  maxArgs: 2,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const target = await verb.target(client, ctx.positionals[1] ?? "");
    const reason = str(ctx.values.reason);
    const result = await client.createModerationAction({
      community: uri,
      action: verb.action,
      target,
      ...(reason ? { reason } : {}),
    });
    return show(ctx, result, () => ctx.out(`${verb.done(target)}; action ${result.uri}`));
  },
});

export const moderationCommands: Command[] = [
  postVerb("hide", "Hid"),
  postVerb("unhide", "Unhid"),
  accountVerb("block", "Blocked"),
  accountVerb("unblock", "Unblocked"),
].map(moderationCommand);
