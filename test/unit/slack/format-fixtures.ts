/**
 * A small Slack workspace and its Matrix side, shared by the Slack format tables, and
 * terse builders for expected Documents.
 */
import type { Block, Inline } from "../../../src/core/format/ast.js";
import {
  type SlackParseData,
  type SlackRenderData,
  slackParseContext,
  slackRenderContext,
} from "../../../src/connectors/slack/convert/context.js";

export const SHY = "\u00AD";
export const ZWSP = "\u200B";

export const ALICE = "@slack_u1:example.org";
export const BOB = "@slack_u2:example.org";
export const GENERAL_ROOM = "!general:example.org";
export const PARROT_URL = "https://emoji.slack-edge.com/T1/partyparrot/abc.gif";

export const workspace: SlackParseData = {
  users: {
    U1: { matrixUserId: ALICE, displayName: "Alice" },
    U2: { matrixUserId: BOB, displayName: "Bob Smith" },
  },
  channels: {
    C1: { roomIdOrAlias: GENERAL_ROOM, name: "general" },
    C2: { name: "random" },
  },
  usergroups: { S1: "platform-team" },
  emoji: {
    partyparrot: PARROT_URL,
    pp: "alias:partyparrot",
    my_thumbs: "alias:+1",
    loop_a: "alias:loop_b",
    loop_b: "alias:loop_a",
  },
  allowRoomPings: true,
};

export const parseCtx = slackParseContext(workspace);
export const parseCtxNoPings = slackParseContext({ ...workspace, allowRoomPings: false });

export const matrixSide: SlackRenderData = {
  users: { [ALICE]: "U1", [BOB]: "U2" },
  rooms: { [GENERAL_ROOM]: "C1", "#general:example.org": "C1" },
  roomPing: "here",
};

export const renderCtx = slackRenderContext(matrixSide);
export const renderCtxChannelPing = slackRenderContext({ ...matrixSide, roomPing: "channel" });
export const renderCtxNoPings = slackRenderContext({ ...matrixSide, roomPing: undefined });

type Child = Inline | string;

const inlines = (children: Child[]): Inline[] =>
  children.map((child) => (typeof child === "string" ? { type: "text", text: child } : child));

export const t = (text: string): Inline => ({ type: "text", text });
export const b = (...children: Child[]): Inline => ({ type: "bold", children: inlines(children) });
export const i = (...children: Child[]): Inline => ({ type: "italic", children: inlines(children) });
export const s = (...children: Child[]): Inline => ({ type: "strike", children: inlines(children) });
export const u = (...children: Child[]): Inline => ({ type: "underline", children: inlines(children) });
export const spoiler = (...children: Child[]): Inline => ({ type: "spoiler", children: inlines(children) });
export const code = (text: string): Inline => ({ type: "code", text });
export const link = (href: string, ...children: Child[]): Inline => ({ type: "link", href, children: inlines(children) });
export const mention = (userId: string, label: string): Inline => ({ type: "user_mention", userId, label });
export const room = (roomIdOrAlias: string, label: string): Inline => ({ type: "room_mention", roomIdOrAlias, label });
export const ping: Inline = { type: "room_ping" };
export const emoji = (name: string, imageUrl: string): Inline => ({ type: "emoji", name, imageUrl });
export const br: Inline = { type: "line_break" };

export const p = (...children: Child[]): Block => ({ type: "paragraph", children: inlines(children) });
export const h = (level: 1 | 2 | 3, ...children: Child[]): Block => ({ type: "heading", level, children: inlines(children) });
export const pre = (text: string): Block => ({ type: "code_block", text });
export const quote = (...children: Block[]): Block => ({ type: "quote", children });
export const ul = (...items: Block[][]): Block => ({ type: "list", ordered: false, items });
export const ol = (...items: Block[][]): Block => ({ type: "list", ordered: true, items });
export const olFrom = (start: number, ...items: Block[][]): Block => ({ type: "list", ordered: true, start, items });
export const rule: Block = { type: "rule" };
/** A list item holding one paragraph. */
export const item = (...children: Child[]): Block[] => [p(...children)];
