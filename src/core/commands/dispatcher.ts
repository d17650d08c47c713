import type { Permissions } from "../permissions.js";
import type { BotCommand, CommandContext } from "./command.js";

export const CORE_NAMESPACE = "parley";

export interface ParsedCommand {
  namespace: string;
  name: string;
  args: string[];
}

/**
 * Reads a message as a command. In a room shared with others, only `<prefix><namespace>`
 * (`!parley ping`, `!discord bridge …`) is one, so ordinary chat and other bots'
 * commands pass by. In a private room with the bot every message is meant for it, so
 * the prefix and the `parley` namespace may be left out (`ping`, `discord link`).
 */
export function parseCommand(
  text: string,
  prefix: string,
  namespaces: ReadonlySet<string>,
  isDirect: boolean,
): ParsedCommand | undefined {
  let line = text.trim();
  const prefixed = line.startsWith(prefix);
  if (prefixed) line = line.slice(prefix.length);
  else if (!isDirect) return undefined;
  const words = line.split(/\s+/).filter((word) => word.length > 0);
  const first = words[0]?.toLowerCase();
  if (first !== undefined && namespaces.has(first)) {
    return { namespace: first, name: (words[1] ?? "help").toLowerCase(), args: words.slice(2) };
  }
  if (!isDirect) return undefined;
  return { namespace: CORE_NAMESPACE, name: (first ?? "help"), args: words.slice(1) };
}

/** Runs commands, enforcing who may run what, and answers every attempt. */
export class CommandDispatcher {
  private readonly byNamespace = new Map<string, Map<string, BotCommand>>();

  constructor(
    private readonly prefix: string,
    private readonly permissions: Permissions,
  ) {}

  register(namespace: string, commands: readonly BotCommand[]): void {
    const table = this.byNamespace.get(namespace) ?? new Map<string, BotCommand>();
    for (const command of commands) table.set(command.name, command);
    this.byNamespace.set(namespace, table);
  }

  get namespaces(): ReadonlySet<string> {
    return new Set(this.byNamespace.keys());
  }

  /** Handles the message if it is a command; returns whether it was one. */
  async handle(text: string, context: Omit<CommandContext, "args">): Promise<boolean> {
    const parsed = parseCommand(text, this.prefix, this.namespaces, context.isDirect);
    if (!parsed) return false;
    const spelled = `${this.prefix}${parsed.namespace} ${parsed.name}`;
    if (!this.permissions.allows(context.sender, "relay")) {
      await context.reply("Sorry, you are not allowed to use this bridge. Ask its administrator if you think you should be.");
      return true;
    }
    const command = this.byNamespace.get(parsed.namespace)?.get(parsed.name);
    if (!command) {
      await context.reply(`I don't know the command "${parsed.name}". Send "${this.prefix}${parsed.namespace} help" to see what I can do.`);
      return true;
    }
    if (!this.permissions.allows(context.sender, command.level)) {
      await context.reply(`Sorry, "${spelled}" needs the ${command.level} permission level, and yours is ${this.permissions.levelOf(context.sender)}.`);
      return true;
    }
    if (command.directOnly && !context.isDirect) {
      await context.reply(`For your safety, "${spelled}" only works in a private chat with me.`);
      return true;
    }
    await command.run({ ...context, args: parsed.args });
    return true;
  }

  /** Every command the user may run, one line each, for `help`. */
  describe(userId: string, namespace?: string): string[] {
    const lines: string[] = [];
    for (const [name, table] of this.byNamespace) {
      if (namespace !== undefined && namespace !== name) continue;
      for (const command of table.values()) {
        if (!this.permissions.allows(userId, command.level)) continue;
        lines.push(`${this.prefix}${name} ${command.usage} — ${command.summary}`);
      }
    }
    return lines;
  }
}
