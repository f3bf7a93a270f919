// `atrarium firehose status`: the Worker's firehose consumer (admin).
import { adminPasswordOption, type Command, requireAdminPassword, show } from "../command.ts";

const status: Command = {
  name: "firehose status",
  args: "",
  summary: "the Worker's firehose consumer status (admin)",
  details:
    "The admin password is the Worker's ADMIN_PASSWORD, from --admin-password-stdin or $ATRARIUM_ADMIN_PASSWORD.",
  options: adminPasswordOption,
  session: "none",
  minArgs: 0,
  maxArgs: 0,
  async run(ctx) {
    const s = await (await ctx.client()).getFirehoseStatus(await requireAdminPassword(ctx));
    return show(ctx, s, () => {
      ctx.out(`connected: ${s.connected}${s.url ? ` (${s.url})` : ""}`);
      if (s.lagSeconds !== undefined) ctx.out(`lag:       ${s.lagSeconds} s`);
      ctx.out(
        `events:    ${s.eventsSeen} seen, ${s.eventsKept} kept, ${s.eventsSent} sent in ${s.queueMessagesSent} queue messages`,
      );
      ctx.out(`reconnects: ${s.reconnects}${s.lastError ? `; last error: ${s.lastError}` : ""}`);
      if (s.eventsTooLarge !== undefined)
        ctx.out(
          `dropped:   ${s.eventsTooLarge} too large for a queue message, ${s.eventsMalformed ?? 0} malformed`,
        );
    });
  },
};

export const firehoseCommands: Command[] = [status];
