// `atrarium post` and `feed`: writing to a community's feed and reading it.
import { type Command, communityArg, paging, pagingOptions, show, showPage } from "../command.ts";

const post: Command = {
  name: "post",
  args: "<community> <text...>",
  summary: "post to a community (the hashtag is appended with a #tag facet)",
  session: "required",
  minArgs: 2,
  maxArgs: Number.POSITIVE_INFINITY,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const posted = await client.post(uri, ctx.positionals.slice(1).join(" "));
    return show(ctx, posted, () => ctx.out(`Posted ${posted.uri}\n  ${posted.text}`));
  },
};

const feed: Command = {
  name: "feed",
  args: "<community>",
  summary: "show a community's feed, each post read from its author's PDS",
  options: pagingOptions,
  session: "optional",
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { client, uri } = await communityArg(ctx);
    const page = await client.getFeed(uri, paging(ctx));
    return showPage(ctx, page, page.items, "The feed is empty.", (item) => {
      const who = item.author.handle ? `@${item.author.handle}` : item.author.did;
      ctx.out(`${who}${item.createdAt ? `  ${item.createdAt}` : ""}${item.pinned ? "  (pinned)" : ""}`);
      ctx.out(`  ${item.text ?? `(unreadable: ${item.error})`}`.replace(/\n/g, "\n  "));
      ctx.out(`  ${item.uri}`);
    });
  },
};

export const postCommands: Command[] = [post, feed];
