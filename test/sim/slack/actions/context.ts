// What every workspace action needs: the store, the wire serializer, the clock and the way out to the app.
import type { EventDispatcher } from "../dispatcher.js";
import type { TsClock } from "../ids.js";
import type { Channel, Json } from "../model.js";
import type { Serializer } from "../serialize.js";
import type { SimState } from "../state.js";

export interface ActionContext {
  state: SimState;
  serialize: Serializer;
  dispatcher: EventDispatcher;
  clock: TsClock;
}

/** The user scope a person must have granted for the app to hear this event from their direct messages. */
function userEventScope(channel: Channel, event: Json): string | undefined {
  if (event.type === "message") return channel.kind === "im" ? "im:history" : "mpim:history";
  if (event.type === "reaction_added" || event.type === "reaction_removed") return "reactions:read";
  return undefined;
}

/**
 * Sends a channel's event to the app if its bot can see it. A bot token's message.channels, reaction and
 * membership subscriptions only cover channels the bot is in; `botSees` overrides this for events about the
 * bot leaving, which it still hears about. A direct message the bot is not in reaches the app only as an
 * event on behalf of a member who gave it a user token with the matching scope (message.im, message.mpim
 * and reactions as user events), and the event's authorizations name that person.
 */
export function emitToChannel(context: ActionContext, channel: Channel, event: Json, botSees = context.state.isBotMember(channel)): void {
  const team = context.state.team(channel.teamId);
  if (botSees) {
    context.dispatcher.emit(team, event);
    return;
  }
  const scope = channel.kind === "channel" ? undefined : userEventScope(channel, event);
  const onBehalfOf = scope ? context.state.authorizedMember(channel, scope) : undefined;
  if (onBehalfOf) context.dispatcher.emit(team, event, onBehalfOf);
}
