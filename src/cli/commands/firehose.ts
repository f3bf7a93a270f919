// `atrarium firehose status`: the Worker's firehose consumer (admin).
import { type Command, show, usageError } from "../command.ts";

const status: Command = {
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
    if (!password) {
      throw usageError("Give the admin password with $ATRARIUM_ADMIN_PASSWORD or --admin-password-stdin");
    }
    const s = await (await ctx.client()).getFirehoseStatus(password);
    return show(ctx, s, () => {
      ctx.out(`connected: ${s.connected}${s.url ? ` (${s.url})` : ""}`);
      if (s.lagSeconds !== undefined) ctx.out(`lag:       ${s.lagSeconds} s`);
      ctx.out(
        `events:    ${s.eventsSeen} seen, ${s.eventsKept} kept, ${s.eventsSent} sent in ${s.queueMessagesSent} queue messages`,
      );
      ctx.out(`reconnects: ${s.reconnects}${s.lastError ? `; last error: ${s.lastError}` : ""}`);
    });
  },
};

export const firehoseCommands: Command[] = [status];
