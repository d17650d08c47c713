/**
 * `!slack bridge <channel>` and `!slack unbridge`: plumbing an existing Matrix room to a
 * Slack channel, by someone who may change the room's power levels. Slack's side of the
 * consent is the app's membership: it works once a Slack member has invited Parley's
 * app to the channel, which is also the only way a private channel is bridged.
 */
import type { BotCommand, CommandContext } from "../../core/commands/command.js";
import type { ConnectorHost } from "../../core/connector.js";
import { parseChatId, toChatId } from "./ids.js";
import type { SlackChannel } from "./slack-types.js";
import type { SlackWorkspace } from "./workspace.js";

export interface SlackPlumbing {
  host(): ConnectorHost;
  workspaces(): readonly SlackWorkspace[];
  /** Lets getChat accept a private channel: it is being plumbed by a room manager. */
  allowPrivate(chat: string): void;
}

interface Found {
  workspace: SlackWorkspace;
  channel: SlackChannel;
}

/** What was typed, as a channel id when it names one: `C0123`, `T01/C0123`, or a channel link. */
export function channelReference(argument: string): { teamId?: string; idOrName: string } {
  const link = /\/archives\/([CG][A-Z0-9]+)/i.exec(argument);
  if (link) return { idOrName: (link[1] as string).toUpperCase() };
  const chat = parseChatId(argument.toUpperCase());
  if (chat) return { teamId: chat.teamId, idOrName: chat.channelId };
  // Ids are uppercase, channel names lowercase: `general` is a name, not an id starting with G.
  if (/^[CG][A-Z0-9]{6,}$/.test(argument)) return { idOrName: argument };
  return { idOrName: argument.replace(/^#/, "") };
}

export function slackCommands(plumbing: SlackPlumbing): BotCommand[] {
  const mayManage = async (context: CommandContext): Promise<boolean> => {
    if (await plumbing.host().mayManageRoom(context.roomId, context.sender)) return true;
    await context.reply("Only someone who may change this room's power levels can bridge or unbridge it.");
    return false;
  };

  const find = async (argument: string): Promise<Found[]> => {
    const { teamId, idOrName } = channelReference(argument);
    const found: Found[] = [];
    for (const workspace of plumbing.workspaces()) {
      if (teamId && workspace.teamId !== teamId) continue;
      const channel = await workspace.findChannel(idOrName);
      if (channel) found.push({ workspace, channel });
    }
    return found;
  };

  const bridge: BotCommand = {
    name: "bridge",
    usage: "bridge <channel id or name>",
    summary: "bridge this room to a Slack channel that Parley's Slack app was invited to",
    level: "user",
    async run(context) {
      const host = plumbing.host();
      const [argument] = context.args;
      if (!argument) return context.reply("Say which channel: !slack bridge <channel id or name>, for example !slack bridge C0123ABCD or !slack bridge general.");
      if (!(await mayManage(context))) return;
      if (await host.chatForRoom(context.roomId)) return context.reply("This room is already bridged to a Slack channel. Run !slack unbridge first.");
      const found = await find(argument);
      if (found.length === 0) {
        return context.reply(`I can't see a Slack channel "${argument}". Invite Parley's Slack app to it on Slack (/invite), then try again.`);
      }
      if (found.length > 1) {
        return context.reply(`"${argument}" names a channel in several workspaces; say which with <teamId>/<channelId>: ${found.map(({ workspace, channel }) => toChatId(workspace.teamId, channel.id)).join(", ")}.`);
      }
      const { workspace, channel } = found[0] as Found;
      const name = `#${channel.name ?? channel.id}`;
      if (!channel.is_member) return context.reply(`Parley's Slack app is not in ${name} yet: invite it there on Slack (/invite), then run this again.`);
      const chat = toChatId(workspace.teamId, channel.id);
      if (await host.roomForChat(chat)) return context.reply(`${name} is already bridged to another room.`);
      plumbing.allowPrivate(chat);
      try {
        await host.bridgeChat(chat, context.roomId);
      } catch (error) {
        return context.reply(`I could not bridge this room to ${name}: ${(error as Error).message}`);
      }
      await context.reply(`This room is now bridged to ${name} in ${await workspace.teamName()}.`);
    },
  };

  const unbridge: BotCommand = {
    name: "unbridge",
    usage: "unbridge",
    summary: "stop bridging this room to Slack",
    level: "user",
    async run(context) {
      const host = plumbing.host();
      if (!(await mayManage(context))) return;
      const chat = await host.chatForRoom(context.roomId);
      if (!chat) return context.reply("This room is not bridged to Slack.");
      await host.unbridgeChat(chat, `unbridged by ${context.sender}`);
    },
  };

  return [bridge, unbridge];
}
