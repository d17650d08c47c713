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

/**
 * Sends a channel's event to the app if its bot can see it. A bot token's message.channels, reaction and
 * membership subscriptions only cover channels the bot is in; `botSees` overrides this for events about the
 * bot leaving, which it still hears about.
 */
export function emitToChannel(context: ActionContext, channel: Channel, event: Json, botSees = context.state.isBotMember(channel)): void {
  if (botSees) context.dispatcher.emit(context.state.team(channel.teamId), event);
}
