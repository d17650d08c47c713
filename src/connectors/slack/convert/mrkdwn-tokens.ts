/**
 * Slack's angle-bracket tokens: `<https://x|label>`, `<@U1>`, `<#C1|general>`,
 * `<!here>`, `<!subteam^S1|@team>`, `<!date^1392734382^{date}|Feb 18>`.
 * See Slack's "Formatting text for app surfaces".
 */
import type { Inline } from "../../../core/format/ast.js";
import type { SlackParseContext } from "./context.js";
import { decodeEntities, dropNeutralisers } from "./mrkdwn-syntax.js";
import {
  broadcastReference,
  channelReference,
  dateReference,
  isBroadcastRange,
  linkReference,
  userReference,
  usergroupReference,
} from "./references.js";

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Reads a link's label (entities decoded, anything else as sent). Slack formats a
 * label like the rest of the line, so the line parser passes its own reader.
 */
export type LinkLabelReader = (label: string) => Inline[];

const plainLabel: LinkLabelReader = (label) => [{ type: "text", text: dropNeutralisers(label) }];

/**
 * The inline a token stands for, given what is between `<` and `>` (still escaped).
 * Undefined when it is no token at all, so the caller keeps the text as it came.
 */
export function parseAngleToken(
  body: string,
  ctx: SlackParseContext,
  readLinkLabel: LinkLabelReader = plainLabel,
): Inline | undefined {
  const bar = body.indexOf("|");
  const target = bar === -1 ? body : body.slice(0, bar);
  const rawLabel = bar === -1 ? undefined : decodeEntities(body.slice(bar + 1));
  const label = rawLabel === undefined ? undefined : dropNeutralisers(rawLabel);

  switch (target[0]) {
    case "@":
      return target.length > 1 ? userReference(ctx, target.slice(1), label) : undefined;
    case "#":
      return target.length > 1 ? channelReference(ctx, target.slice(1), label) : undefined;
    case "!":
      return specialCommand(target.slice(1), label, ctx);
  }
  if (!URL_SCHEME.test(target)) return undefined;
  const href = decodeEntities(target);
  const link = linkReference(href, { type: "text", text: label || shownUrl(href) });
  return link.type === "link" && rawLabel && label ? { ...link, children: readLinkLabel(rawLabel) } : link;
}

/** A bare `mailto:` link reads as the address, as Slack shows it. */
function shownUrl(href: string): string {
  return href.toLowerCase().startsWith("mailto:") ? href.slice("mailto:".length) : href;
}

/** `<!…>` commands: broadcasts, user groups, dates; unknown ones show their label. */
function specialCommand(command: string, label: string | undefined, ctx: SlackParseContext): Inline | undefined {
  const [name = "", ...args] = command.split("^");
  if (isBroadcastRange(name)) return broadcastReference(ctx, name);
  if (name === "subteam" && args[0]) return usergroupReference(ctx, args[0], label);
  if (name === "date" && args[0]) {
    // `<!date^timestamp^format^optional_link|fallback>`
    const link = args[2] ? decodeEntities(args[2]) : undefined;
    return dateReference(Number(args[0]), label, link);
  }
  return label ? { type: "text", text: label } : undefined;
}
