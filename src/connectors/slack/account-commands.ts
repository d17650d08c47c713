/**
 * `!slack login-token <token>`: linking with a user token instead of OAuth, and
 * `!slack dm <person…>`: a Slack direct message (or group one) as a room, opened as the
 * person's linked account. (`slack link` and `slack unlink` come from the core.)
 */
import type { BotCommand, CommandContext } from "../../core/commands/command.js";
import type { ConnectorHost } from "../../core/connector.js";
import { type UserClients, identifyUserToken, serializeCredentials } from "./accounts.js";
import { parseUserId, toUserId } from "./ids.js";
import type { SlackWorkspace } from "./workspace.js";

export interface AccountCommandDeps {
  host(): ConnectorHost;
  workspaces(): readonly SlackWorkspace[];
  clients: UserClients;
}

/** User tokens: `xoxp-…`, or `xoxe.xoxp-…` where the app rotates tokens. */
const USER_TOKEN = /^(?:xoxe\.)?xoxp-[A-Za-z0-9-]+$/;

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

export function slackAccountCommands(deps: AccountCommandDeps): BotCommand[] {
  /** Takes the message that carried a token out of the room, whatever else happens; says how that went. */
  const removeSecret = async (context: CommandContext): Promise<string> => {
    const host = deps.host();
    try {
      await host.redact(context.roomId, context.eventId, "it contained a Slack token");
      return "I removed your message that carried the token.";
    } catch (error) {
      host.log.warn("Could not redact a message that carried a Slack token", { roomId: context.roomId, error: (error as Error).message });
      return "I could not remove your message that carried the token: please delete it yourself.";
    }
  };

  const loginToken: BotCommand = {
    name: "login-token",
    usage: "login-token <xoxp-token>",
    summary: "link your Slack account with a user token instead of slack link (in a private chat with me)",
    level: "user",
    async run(context) {
      const removed = await removeSecret(context);
      if (!context.isDirect) {
        return context.reply(`For your safety, "slack login-token" only works in a private chat with me. ${removed} ` +
          "Others here may have seen the token: revoke it on Slack, then send a new one to me privately.");
      }
      const [token] = context.args;
      if (!token) return context.reply(`Give your Slack user token: slack login-token xoxp-… ${removed}`);
      if (!USER_TOKEN.test(token)) {
        return context.reply(`That does not look like a Slack user token, which starts with xoxp-. ${removed}`);
      }
      const host = deps.host();
      try {
        const who = await identifyUserToken(deps.clients, token);
        if (!deps.workspaces().some((workspace) => workspace.teamId === who.teamId)) {
          return context.reply(`That account is in a Slack workspace Parley is not connected to. ${removed}`);
        }
        const remoteUserId = toUserId(who.teamId, who.userId);
        await host.linkAccount(context.sender, {
          remoteUserId,
          displayName: who.name,
          remoteGroup: who.teamId,
          credentials: serializeCredentials({ token, teamId: who.teamId, userId: who.userId }),
        });
        await context.reply(`Linked your Slack account ${who.name} (${remoteUserId}). ${removed}`);
      } catch (error) {
        await context.reply(`I could not link your Slack account: ${sentence((error as Error).message)} ${removed}`);
      }
    },
  };

  const dm: BotCommand = {
    name: "dm",
    usage: "dm <person> [more people]",
    summary: "open your Slack direct message with someone (or a group one) as a room",
    level: "user",
    async run(context) {
      if (context.args.length === 0) return context.reply("Say with whom: slack dm <Slack user id, @handle or name>, for example slack dm @carol.");
      const host = deps.host();
      const linked = parseUserId((await host.remoteUserFor(context.sender)) ?? "");
      const workspace = deps.workspaces().find((candidate) => candidate.teamId === linked?.teamId);
      if (!linked || !workspace) return context.reply('Link your Slack account first: send "slack link" in your private chat with me.');
      const people: string[] = [];
      for (const reference of context.args) {
        const found = await workspace.findUser(reference);
        if (!found) return context.reply(`I can't find "${reference}" in ${await workspace.teamName()}.`);
        people.push(found);
      }
      try {
        const opened = await workspace.directChats.open(context.sender, people, { room: true });
        if (opened.roomId) return context.reply(`You already have a room for that conversation: https://matrix.to/#/${opened.roomId}`);
        await context.reply("I opened that Slack conversation as a room and invited you to it.");
      } catch (error) {
        await context.reply(`I could not open that Slack conversation: ${sentence((error as Error).message)}`);
      }
    },
  };

  return [loginToken, dm];
}
