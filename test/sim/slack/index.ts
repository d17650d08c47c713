// The Slack simulator's public surface for tests.
export { SlackSimulator, type SimMessage, type SlackSimulatorOptions } from "./simulator.js";
export type { ChannelInput, SimTeam, TeamInput, UserInput } from "./setup.js";
export type { FileInput, TypedMessage, UnfurlInput } from "./people.js";
export type { ApiRequestRecord } from "./web-api/router.js";
export type { EnvelopeRecord } from "./socket-mode.js";
export { slackSignature, type HttpDeliveryRecord } from "./events-api.js";
export { richTextFromTyped, type RichTextBlock } from "./rich-text.js";
export { mrkdwnFromRichText } from "./mrkdwn.js";
