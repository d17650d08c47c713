/**
 * Who did something on Slack, as the RemoteUser their ghost shows: a person looked up
 * with users.info, or an integration by its bot profile. A lookup Slack cannot answer
 * right now fails (the event is then redelivered); a user Slack does not know at all
 * is still bridged, under their id.
 */
import type { RemoteUser } from "../../core/events.js";
import { RetryLaterError } from "../../core/connector.js";
import type { SlackDirectory } from "./directory.js";
import { toUserId } from "./ids.js";
import { remoteUserFromBotMessage, remoteUserFromSlackUser } from "./people.js";
import type { SlackMessage, SlackUser } from "./slack-types.js";

export interface Sender {
  remote: RemoteUser;
  /** The Slack user, when the sender is one (not an integration's bot). */
  slack?: SlackUser;
}

export class Senders {
  constructor(
    private readonly teamId: string,
    private readonly directory: SlackDirectory,
    private readonly displayNameTemplate: string,
  ) {}

  async user(id: string): Promise<Sender> {
    try {
      const slack = await this.directory.user(id);
      return { remote: remoteUserFromSlackUser(this.teamId, slack, this.displayNameTemplate), slack };
    } catch (error) {
      if (error instanceof RetryLaterError) throw error;
      return { remote: { id: toUserId(this.teamId, id), displayName: id } };
    }
  }

  fromUserObject(user: SlackUser): Sender {
    return { remote: remoteUserFromSlackUser(this.teamId, user, this.displayNameTemplate), slack: user };
  }

  /** The author of a message: its user, else the integration whose bot posted it, under the name it used. */
  async ofMessage(message: SlackMessage): Promise<Sender | undefined> {
    if (message.user) return this.user(message.user);
    if (!message.bot_id) return undefined;
    const bot = await this.directory.bot(message.bot_id).catch((error: unknown) => {
      if (error instanceof RetryLaterError) throw error;
      return undefined;
    });
    return { remote: remoteUserFromBotMessage(this.teamId, message.bot_id, bot, message, this.displayNameTemplate) };
  }
}
