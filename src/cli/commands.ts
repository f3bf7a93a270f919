// Every command of `atrarium`, in the order --help lists them. A command group
// is one file in commands/ exporting its Command list; adding a group is that
// file plus one line here.
import type { Command } from "./command.ts";
import { accountCommands } from "./commands/account.ts";
import { communityCommands } from "./commands/community.ts";
import { firehoseCommands } from "./commands/firehose.ts";
import { membershipCommands } from "./commands/membership.ts";
import { moderationCommands } from "./commands/moderation.ts";
import { operatorCommands } from "./commands/operator.ts";
import { postCommands } from "./commands/posts.ts";

export const commands: Command[] = [
  ...accountCommands,
  ...communityCommands,
  ...membershipCommands,
  ...postCommands,
  ...moderationCommands,
  ...firehoseCommands,
  ...operatorCommands,
];
