/**
 * Plumbing: `!discord bridge <guildId> <channelId>` links an existing Matrix room to a
 * channel once a Discord moderator approves, and `!discord unbridge` undoes it, typed in
 * the Matrix room by someone who may change its power levels, or in the Discord channel by
 * someone who may manage its webhooks.
 */
import { Routes, type Client } from "discord.js";
import type { BotCommand, CommandContext } from "../../core/commands/command.js";
import type { ConnectorHost } from "../../core/connector.js";
import type { BridgeApprovals } from "./approvals.js";
import type { DiscordChats } from "./chats.js";
import { discordCall } from "./errors.js";
import { chatId, isSnowflake, parseChatId } from "./ids.js";
import type { GatewayMessage } from "./inbound-messages.js";
import { mayManageWebhooks, missingBotPermissions } from "./permissions.js";

export interface CommandDeps {
  client: Client;
  host: () => ConnectorHost;
  chats: DiscordChats;
  approvals: BridgeApprovals;
}

const UNBRIDGE = "!discord unbridge";

export function discordCommands(deps: CommandDeps): BotCommand[] {
  return [
    {
      name: "bridge",
      usage: "bridge <guildId> <channelId>",
      summary: "bridge this room to a Discord channel, once a moderator there approves",
      level: "user",
      run: (context) => bridge(deps, context),
    },
    {
      name: "unbridge",
      usage: "unbridge",
      summary: "stop bridging this room to Discord",
      level: "user",
      run: (context) => unbridge(deps, context),
    },
  ];
}

async function bridge(deps: CommandDeps, context: CommandContext): Promise<void> {
  const [guildId, channelId] = context.args;
  if (!guildId || !channelId || !isSnowflake(guildId) || !isSnowflake(channelId) || context.args.length > 2) {
    return context.reply("Usage: !discord bridge <guildId> <channelId> (in Discord, right-click the server and the channel and pick Copy ID).");
  }
  const host = deps.host();
  if (!(await host.mayManageRoom(context.roomId, context.sender))) {
    return context.reply("Only someone who may change this room's power levels can bridge it.");
  }
  if (await host.chatForRoom(context.roomId)) return context.reply("This room is already bridged to a Discord channel; unbridge it first.");
  if (deps.approvals.isWaiting(context.roomId)) return context.reply("This room is already waiting for an approval on Discord.");
  const chat = chatId(guildId, channelId);
  if (await host.roomForChat(chat)) return context.reply("That Discord channel is already bridged to another room.");
  let channelName: string;
  try {
    channelName = (await deps.chats.getChat(chat)).name;
  } catch (error) {
    return context.reply(`That channel cannot be bridged: ${(error as Error).message}.`);
  }
  const missing = await missingBotPermissions(deps.client, guildId, channelId);
  if (missing.length > 0) return context.reply(`The Parley bot needs these permissions in #${channelName} first: ${missing.join(", ")}.`);
  await deps.approvals.request(chat, channelName, context.roomId, context.sender);
  await context.reply(
    `I asked in #${channelName} on Discord for approval by someone who can manage its webhooks. Nothing is bridged until they approve.`,
  );
}

async function unbridge(deps: CommandDeps, context: CommandContext): Promise<void> {
  const host = deps.host();
  const chat = await host.chatForRoom(context.roomId);
  if (!chat) return context.reply("This room is not bridged to Discord.");
  if (!(await host.mayManageRoom(context.roomId, context.sender))) {
    return context.reply("Only someone who may change this room's power levels can unbridge it.");
  }
  await host.unbridgeChat(chat, `unbridged by ${context.sender}`);
  await postInChannel(deps.client, chat, "This channel is no longer bridged to Matrix.");
}

/** `!discord unbridge` typed on Discord; true when the message was that command (it is not bridged). */
export async function discordSideCommand(deps: CommandDeps, chat: string, message: GatewayMessage): Promise<boolean> {
  if (message.content.trim().toLowerCase() !== UNBRIDGE || message.webhook_id || message.author.bot) return false;
  const ref = parseChatId(chat);
  const host = deps.host();
  if (!ref || !(await host.roomForChat(chat))) return false;
  if (!(await mayManageWebhooks(deps.client, ref.guildId, ref.channelId, message.author.id))) {
    await postInChannel(deps.client, chat, "Only someone who can manage this channel's webhooks can unbridge it.");
    return true;
  }
  const name = message.member?.nick || message.author.global_name || message.author.username;
  await host.unbridgeChat(chat, `unbridged on Discord by ${name}`);
  await postInChannel(deps.client, chat, "This channel is no longer bridged to Matrix.");
  return true;
}

async function postInChannel(client: Client, chat: string, text: string): Promise<void> {
  const ref = parseChatId(chat);
  if (!ref) return;
  await discordCall(() => client.rest.post(Routes.channelMessages(ref.channelId), { body: { content: text, allowed_mentions: { parse: [] } } }));
}
