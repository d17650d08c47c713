/**
 * Embeds that bots and webhooks post (type "rich"), as blocks of the network-neutral tree:
 * a quote holding the author, the linked title, the description and the fields, a link to
 * the image, and the footer. Descriptions and field values are Discord markdown and are
 * parsed as such; everything else is plain text. Nothing reaches Matrix as raw HTML, so an
 * embed cannot inject markup.
 *
 * Embeds Discord makes itself from links in the text (link, article, video, image, gifv)
 * are left out: the link is in the message already and Matrix clients preview links
 * themselves.
 */
import type { APIEmbed } from "discord.js";
import type { Block, Inline } from "../../core/format/ast.js";
import { safeLinkHref } from "../../core/format/safe-href.js";
import type { DiscordParseContext } from "./convert/context.js";
import { parseDiscordMarkdown } from "./convert/markdown-parse.js";

const text = (value: string): Inline => ({ type: "text", text: value });
const bold = (...children: Inline[]): Inline => ({ type: "bold", children });
const paragraph = (...children: Inline[]): Block => ({ type: "paragraph", children });

/** Whether an embed is the bot's own content rather than a preview of a link. */
function isRichEmbed(embed: APIEmbed): boolean {
  return embed.type === undefined || embed.type === "rich";
}

export function embedBlocks(embeds: readonly APIEmbed[], ctx: DiscordParseContext): Block[] {
  return embeds.filter(isRichEmbed).flatMap((embed) => {
    const children = embedChildren(embed, ctx);
    return children.length > 0 ? [{ type: "quote", children } satisfies Block] : [];
  });
}

function embedChildren(embed: APIEmbed, ctx: DiscordParseContext): Block[] {
  const blocks: Block[] = [];
  if (embed.author?.name) blocks.push(paragraph(linked(embed.author.name, embed.author.url)));
  if (embed.title) blocks.push(paragraph(bold(linked(embed.title, embed.url))));
  if (embed.description) blocks.push(...parseDiscordMarkdown(embed.description, ctx));
  for (const field of embed.fields ?? []) {
    const value = parseDiscordMarkdown(field.value, ctx);
    blocks.push(paragraph(bold(text(field.name))), ...value);
  }
  const image = embed.image?.url ?? embed.thumbnail?.url;
  if (image) blocks.push(paragraph(linked("Image", image)));
  const footer = [embed.footer?.text, embed.timestamp && formatTimestamp(embed.timestamp)].filter(Boolean).join(" · ");
  if (footer) blocks.push(paragraph(text(footer)));
  return blocks;
}

/** Text linked to `href` when it is a link Matrix may carry; plain text otherwise. */
function linked(label: string, href: string | undefined): Inline {
  const safe = href ? safeLinkHref(href) : undefined;
  return safe ? { type: "link", href: safe, children: [text(label)] } : text(label);
}

function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace("T", " ").replace(/:\d\d\.\d+Z$/, " UTC");
}
