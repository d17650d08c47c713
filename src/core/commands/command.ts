import type { PermissionLevel } from "../permissions.js";

/** Where a command was given and how to answer. */
export interface CommandContext {
  sender: string;
  roomId: string;
  eventId: string;
  /** A private room with the bot: secrets may be sent and answered here. */
  isDirect: boolean;
  /** The words after the command name. */
  args: string[];
  reply(text: string, html?: string): Promise<void>;
}

export interface BotCommand {
  name: string;
  /** `bridge <guildId> <channelId>`: what follows the namespace. */
  usage: string;
  summary: string;
  /** The least permission level that may run it. */
  level: PermissionLevel;
  /** Only in a private room with the bot (commands that carry or return secrets). */
  directOnly?: boolean;
  run(context: CommandContext): Promise<void>;
}
