/**
 * Discord's own tokens inside message text: `<@user>`, `<#channel>`, `<@&role>`,
 * `<:emoji:id>`, `<t:unix:style>`, `</command:id>` and `@everyone`/`@here`, resolved
 * through the lookup context into tree nodes.
 *
 * What a reader cannot follow becomes text in the shape Discord's own client shows for
 * it (`@unknown-user`, `#unknown-channel`), so nothing turns into a raw id.
 */
import type { Inline } from "../../../core/format/ast.js";
import type { DiscordParseContext } from "./context.js";
import {
  CHANNEL_MENTION,
  CUSTOM_EMOJI,
  EVERYONE,
  ROLE_MENTION,
  SLASH_COMMAND,
  TIMESTAMP,
  USER_MENTION,
} from "./markdown-syntax.js";
import { formatDiscordTimestamp } from "./timestamp.js";

export interface TokenMatch {
  /** How many characters of the source the token took. */
  length: number;
  node: Inline;
}

type TokenRule = {
  pattern: RegExp;
  toNode(match: RegExpExecArray, ctx: DiscordParseContext): Inline;
};

const text = (value: string): Inline => ({ type: "text", text: value });

const RULES: readonly TokenRule[] = [
  {
    pattern: USER_MENTION,
    toNode([, id], ctx) {
      const user = ctx.user(id!);
      if (!user) return text("@unknown-user");
      return { type: "user_mention", userId: user.matrixUserId, label: `@${user.displayName}` };
    },
  },
  {
    pattern: ROLE_MENTION,
    toNode: ([, id], ctx) => text(`@${ctx.roleName(id!) ?? "unknown-role"}`),
  },
  {
    pattern: CHANNEL_MENTION,
    toNode([, id], ctx) {
      const channel = ctx.channel(id!);
      if (!channel) return text("#unknown-channel");
      const label = `#${channel.name}`;
      return channel.roomIdOrAlias ? { type: "room_mention", roomIdOrAlias: channel.roomIdOrAlias, label } : text(label);
    },
  },
  {
    pattern: CUSTOM_EMOJI,
    toNode([, animatedFlag, name, id], ctx) {
      const animated = animatedFlag === "a";
      const imageUrl = ctx.emojiImageUrl({ id: id!, name: name!, animated });
      return animated ? { type: "emoji", name: name!, imageUrl, animated } : { type: "emoji", name: name!, imageUrl };
    },
  },
  {
    pattern: TIMESTAMP,
    toNode: ([raw, seconds, style]) => text(formatDiscordTimestamp(Number(seconds), style) ?? raw),
  },
  {
    pattern: SLASH_COMMAND,
    toNode: ([, command]) => text(`/${command}`),
  },
  {
    pattern: EVERYONE,
    // Only a ping when Discord let it ping (message.mention_everyone); else the words.
    toNode: ([raw], ctx) => (ctx.mentionEveryone ? { type: "room_ping" } : text(raw)),
  },
];

/** The token at the start of `source`, if one is there. */
export function matchDiscordToken(source: string, ctx: DiscordParseContext): TokenMatch | undefined {
  for (const rule of RULES) {
    const match = rule.pattern.exec(source);
    if (match) return { length: match[0].length, node: rule.toNode(match, ctx) };
  }
  return undefined;
}
