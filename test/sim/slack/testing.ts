// Helpers for tests that drive a real bolt App against the simulator.
import { App, LogLevel, type AllMiddlewareArgs, type SlackEventMiddlewareArgs } from "@slack/bolt";
import type { Json } from "./model.js";
import type { SimTeam } from "./setup.js";
import type { SlackSimulator } from "./simulator.js";

export type { Json };

/** An event as a bolt listener got it, with the retry number bolt reported. */
export interface ReceivedEvent {
  event: Json;
  retryNum?: number;
}

export async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Records every event bolt hands to listeners. */
export function recordEvents(app: App): ReceivedEvent[] {
  const received: ReceivedEvent[] = [];
  app.event(/.*/, async ({ event, context }: SlackEventMiddlewareArgs & AllMiddlewareArgs) => {
    received.push({ event: event as unknown as Json, retryNum: context.retryNum });
  });
  return received;
}

/** Waits for the first recorded event matching `predicate`, which may look at nested fields loosely. */
export function nextEvent(received: ReceivedEvent[], what: string, predicate: (event: Json & Record<string, any>) => boolean): Promise<Json & Record<string, any>> {
  return waitFor(() => received.find(({ event }) => predicate(event))?.event, what);
}

/** The real bolt App in Socket Mode, pointed at the simulator, started and connected. */
export async function startSocketModeApp(sim: SlackSimulator, team: SimTeam): Promise<{ app: App; received: ReceivedEvent[] }> {
  const app = new App({
    token: team.botToken,
    appToken: team.appToken,
    socketMode: true,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: sim.apiBaseUrl },
  });
  const received = recordEvents(app);
  await app.start();
  await sim.waitForConnected(team.id);
  return { app, received };
}
