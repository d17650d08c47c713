// Turns something that happened in a workspace into what the app receives: the event_callback wrapper around
// the inner event, sent over Socket Mode or to the Events API request URL, whichever the app uses.
import { eventId } from "./ids.js";
import type { Json, Team } from "./model.js";
import type { TsClock } from "./ids.js";

/** Something that carries event_callback payloads to the app: Socket Mode or an HTTP request URL. */
export interface EventTransport {
  deliver(team: Team, payload: Json): void;
}

export class EventDispatcher {
  /** Every event_callback built, in order, whatever became of its delivery. */
  readonly sent: Json[] = [];

  constructor(
    private readonly clock: TsClock,
    private readonly socketMode: EventTransport,
    private readonly eventsApi: EventTransport,
  ) {}

  /** `onBehalfOf`: the person whose user token the event is delivered for; the app's bot user otherwise. */
  emit(team: Team, event: Json, onBehalfOf?: string): Json {
    const payload = eventCallback(team, event, this.clock.seconds(), onBehalfOf);
    this.sent.push(payload);
    (team.requestUrl ? this.eventsApi : this.socketMode).deliver(team, payload);
    return payload;
  }
}

function eventCallback(team: Team, event: Json, eventTime: number, onBehalfOf?: string): Json {
  const channel = typeof event.channel === "string" ? event.channel : (event.item as Json | undefined)?.channel;
  // Slack's event_context is an opaque "4-" + base64url(JSON) naming the event type, team, app and channel.
  const context = { et: event.type, tid: team.id, aid: team.app.id, ...(typeof channel === "string" ? { cid: channel } : {}) };
  return {
    token: team.app.verificationToken,
    team_id: team.id,
    context_team_id: team.id,
    context_enterprise_id: null,
    api_app_id: team.app.id,
    event,
    type: "event_callback",
    event_id: eventId(),
    event_time: eventTime,
    // Slack lists one authorization that can see the event, whichever installations could.
    authorizations: [{ enterprise_id: null, team_id: team.id, user_id: onBehalfOf ?? team.bot.userId, is_bot: onBehalfOf === undefined, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify(context)).toString("base64url")}`,
  };
}
