import type { Logger } from "winston";
import type { Portal, Store } from "../store/store.js";
import type { Connector } from "./connector.js";
import type { RemoteContent, RemoteEmoji, RemoteEvent, RemoteEventOf, RemoteMedia } from "./events.js";
import type { Document, Inline, Block } from "./format/ast.js";
import { renderMatrix } from "./format/matrix-html-render.js";
import { normaliseEmoji } from "./format/emoji-shortcodes.js";
import { escapeHtml } from "./format/escape-html.js";
import type { MatrixApi } from "./matrix-api.js";
import { mediaKindOf } from "./media-kind.js";
import type { Portals } from "./portals.js";
import type { Ghosts } from "./ghosts.js";

const MEDIA_LIMIT_BYTES = 100 * 1024 * 1024;
const EMOJI_SCOPE = "core:emoji-mxc";

const MSGTYPE = { text: "m.text", emote: "m.emote", notice: "m.notice" } as const;
const MEDIA_MSGTYPE = { image: "m.image", video: "m.video", audio: "m.audio", file: "m.file", sticker: "m.image" } as const;

type Relation = Record<string, unknown>;

/** Marks what Parley posted from a network, so the event is not sent back there when it returns. */
export const BRIDGED_FROM_KEY = "org.parley.bridged_from";
/** Marks each Matrix event with the remote message and part it came from, to recognise it after a crash. */
const REMOTE_PART_KEY = "org.parley.remote_part";
const RECENT_EVENTS_CHECKED = 100;

/**
 * Remote events into Matrix: messages, edits, deletes and reactions as the ghosts of
 * their senders, with every Matrix event recorded against the remote id it came from,
 * so later edits, deletes, replies and reactions find it.
 */
export class RemoteToMatrix {
  constructor(
    private readonly matrix: MatrixApi,
    private readonly store: Store,
    private readonly portals: Portals,
    private readonly ghosts: Ghosts,
    private readonly senderFor: (connector: Connector, user: RemoteEventOf<"message">["sender"]) => Promise<string>,
    private readonly log: Logger,
  ) {}

  /**
   * `txnPrefix` is unique to this remote event and the same when it is handled again
   * after a crash, so the events it makes get the same transaction ids and the
   * homeserver posts each only once.
   */
  async handle(connector: Connector, event: RemoteEvent, txnPrefix: string, again = false): Promise<void> {
    const txn = transactionIds(txnPrefix);
    if (event.type === "user_update") {
      await this.ghosts.ensure(connector, event.user);
      return;
    }
    const portal = await this.portals.get(connector, event.chat);
    if (!portal) {
      this.log.debug("Ignoring an event from a chat with no portal", { network: connector.network, chat: event.chat, type: event.type });
      return;
    }
    switch (event.type) {
      case "message": return this.message(connector, portal, event, txn, again);
      case "edit": return this.edit(connector, portal, event, txn);
      case "delete": return this.delete(connector, portal, event);
      case "reaction": return this.reaction(connector, portal, event, txn);
      case "reaction_remove": return this.reactionRemove(connector, portal, event);
      case "reactions_cleared": return this.reactionsCleared(connector, portal, event);
      case "typing": return this.typing(connector, portal, event);
      case "chat_update": return this.portals.update(portal, connector, event);
      case "chat_delete": return this.chatDelete(connector, portal, event);
      case "member": return this.member(connector, portal, event);
    }
  }

  private async joinedSender(connector: Connector, portal: Portal, user: RemoteEventOf<"message">["sender"]): Promise<string> {
    const sender = await this.senderFor(connector, user);
    await this.matrix.join(sender, portal.roomId);
    await this.ghosts.nameInRoom(connector, user, sender, portal.roomId);
    return sender;
  }

  private async message(connector: Connector, portal: Portal, event: RemoteEventOf<"message">, txn: () => string, again: boolean): Promise<void> {
    const known = await this.store.partsForRemote(connector.network, event.chat, event.id);
    if (known.length > 0) return;
    const sender = await this.joinedSender(connector, portal, event.sender);
    const threadRootEvent = event.threadRoot ? (await this.firstEvent(connector, event.chat, event.threadRoot)) : undefined;
    const replyEvent = event.replyTo ? await this.firstEvent(connector, event.chat, event.replyTo) : undefined;
    const relation = relationFor(threadRootEvent, replyEvent);

    const contents = await this.contentsFor(connector, event.content);
    if (event.replyMentionsAuthor && event.replyTo && contents[0]) await this.mentionReplyAuthor(connector, event.chat, event.replyTo, contents[0]);
    const placements: (Relation | undefined)[] = [relation];
    // "Also send to channel": the reply shows in the thread and, as a reply to the root, in the main timeline.
    if (event.alsoInChannel && threadRootEvent) placements.push({ "m.in_reply_to": { event_id: threadRootEvent } });

    // Handled before and interrupted (the homeserver went away mid-send): what reached the room then is
    // found by its mark and not posted again. A restarted homeserver no longer knows our transaction ids.
    const posted = again ? await this.postedEarlier(portal.roomId, event.id) : new Map<number, string>();
    const parts: string[] = [];
    for (const placement of placements) {
      for (const [index, content] of contents.entries()) {
        const part = parts.length;
        const withRelation = index === 0 && placement ? { ...content, "m.relates_to": placement } : threadOnly(content, placement);
        const marked = { ...withRelation, [BRIDGED_FROM_KEY]: connector.network, [REMOTE_PART_KEY]: `${event.id}#${part}` };
        parts.push(posted.get(part) ?? (await this.matrix.sendEvent(sender, portal.roomId, "m.room.message", marked, txn())));
      }
    }
    await this.store.addMessageParts(parts.map((eventId, part) => ({
      roomId: portal.roomId, eventId, network: connector.network, chat: event.chat, remoteId: event.id, part,
      senderMxid: sender, threadRoot: event.threadRoot, origin: "remote",
      // A network's timestamp orders catching up; one it sent malformed must not lose the message.
      createdAt: Number.isFinite(event.timestamp) ? event.timestamp : Date.now(),
    })));
  }

  /** Parts of a remote message already in the room's recent timeline, by part number. */
  private async postedEarlier(roomId: string, remoteId: string): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    for (const recent of await this.matrix.recentEvents(roomId, RECENT_EVENTS_CHECKED)) {
      const mark = recent.content[REMOTE_PART_KEY];
      if (typeof mark !== "string") continue;
      const split = mark.lastIndexOf("#");
      if (mark.slice(0, split) === remoteId) found.set(Number(mark.slice(split + 1)), recent.event_id);
    }
    return found;
  }

  private async edit(connector: Connector, portal: Portal, event: RemoteEventOf<"edit">, txn: () => string): Promise<void> {
    const parts = await this.store.partsForRemote(connector.network, event.chat, event.id);
    const target = parts[0];
    if (!target) {
      this.log.debug("Ignoring an edit of a message never bridged", { network: connector.network, id: event.id });
      return;
    }
    const [content] = await this.contentsFor(connector, { ...event.content, media: [] });
    if (!content) return;
    const { "m.mentions": mentions, ...newContent } = content;
    await this.matrix.sendEvent(target.senderMxid, portal.roomId, "m.room.message", {
      ...newContent,
      body: `* ${String(newContent.body)}`,
      ...(typeof newContent.formatted_body === "string" ? { formatted_body: `* ${newContent.formatted_body}` } : {}),
      "m.new_content": { ...newContent, "m.mentions": mentions },
      "m.mentions": {},
      "m.relates_to": { rel_type: "m.replace", event_id: target.eventId },
      [BRIDGED_FROM_KEY]: connector.network,
    }, txn());
  }

  private async delete(connector: Connector, portal: Portal, event: RemoteEventOf<"delete">): Promise<void> {
    for (const id of event.ids) {
      const parts = await this.store.partsForRemote(connector.network, event.chat, id);
      // Forgotten before redacting: a redaction by a double-puppeted person comes back to
      // Parley as their own, and must not find a message to delete on the network again.
      for (const part of parts) {
        await this.store.deleteMessageParts(part.eventId);
        await this.matrix.redact(part.senderMxid, portal.roomId, part.eventId);
      }
    }
  }

  private async reaction(connector: Connector, portal: Portal, event: RemoteEventOf<"reaction">, txn: () => string): Promise<void> {
    const target = await this.firstEvent(connector, event.chat, event.messageId);
    if (!target) return;
    const sender = await this.joinedSender(connector, portal, event.sender);
    const { key, extra } = await this.reactionKey(connector, event.emoji);
    if (await this.store.findReaction(target, key, sender)) return;
    const eventId = await this.matrix.sendEvent(sender, portal.roomId, "m.reaction", {
      "m.relates_to": { rel_type: "m.annotation", event_id: target, key },
      ...extra,
      [BRIDGED_FROM_KEY]: connector.network,
    }, txn());
    await this.store.addReaction({
      eventId, roomId: portal.roomId, targetEventId: target, network: connector.network, chat: event.chat,
      remoteMessageId: event.messageId, key, senderMxid: sender,
    });
  }

  private async reactionRemove(connector: Connector, portal: Portal, event: RemoteEventOf<"reaction_remove">): Promise<void> {
    const target = await this.firstEvent(connector, event.chat, event.messageId);
    if (!target) return;
    const sender = await this.senderFor(connector, event.sender);
    const { key } = await this.reactionKey(connector, event.emoji);
    const record = await this.store.findReaction(target, key, sender);
    if (!record) return;
    await this.store.deleteReaction(record.eventId);
    await this.matrix.redact(sender, portal.roomId, record.eventId);
  }

  /**
   * The reactions that came from the network go from Matrix too. Those Matrix people made stay
   * theirs, but the bot's reaction standing for them is gone from the network: their records
   * go, so the next one made puts it back.
   */
  private async reactionsCleared(connector: Connector, portal: Portal, event: RemoteEventOf<"reactions_cleared">): Promise<void> {
    const key = event.emoji ? (await this.reactionKey(connector, event.emoji)).key : undefined;
    for (const record of await this.store.reactionsOnRemote(connector.network, event.chat, event.messageId, key)) {
      await this.store.deleteReaction(record.eventId);
      const reaction = await this.matrix.getEvent(portal.roomId, record.eventId);
      if (reaction?.content[BRIDGED_FROM_KEY] === connector.network) await this.matrix.redact(record.senderMxid, portal.roomId, record.eventId);
    }
  }

  private async typing(connector: Connector, portal: Portal, event: RemoteEventOf<"typing">): Promise<void> {
    const sender = await this.joinedSender(connector, portal, event.sender);
    await this.matrix.setTyping(sender, portal.roomId, true);
  }

  private async chatDelete(connector: Connector, portal: Portal, event: RemoteEventOf<"chat_delete">): Promise<void> {
    await this.matrix.sendEvent(this.matrix.botUserId, portal.roomId, "m.room.message", {
      msgtype: "m.notice",
      body: `This room is no longer bridged to ${connector.displayName}: ${event.reason}`,
    });
    await this.portals.unlink(connector, event.chat);
  }

  private async member(connector: Connector, portal: Portal, event: RemoteEventOf<"member">): Promise<void> {
    const userId = await this.senderFor(connector, event.user);
    if (event.membership === "join") await this.matrix.join(userId, portal.roomId);
    else await this.matrix.leave(userId, portal.roomId).catch(() => undefined);
  }

  /** Adds the author of the message replied to to the reply's `m.mentions`, so they are notified. */
  private async mentionReplyAuthor(connector: Connector, chat: string, replyTo: string, content: Record<string, unknown>): Promise<void> {
    const author = (await this.store.partsForRemote(connector.network, chat, replyTo))[0]?.senderMxid;
    if (!author) return;
    const mentions = (content["m.mentions"] ?? {}) as { user_ids?: string[] };
    content["m.mentions"] = { ...mentions, user_ids: [...new Set([...(mentions.user_ids ?? []), author])] };
  }

  private async firstEvent(connector: Connector, chat: string, remoteId: string): Promise<string | undefined> {
    return (await this.store.partsForRemote(connector.network, chat, remoteId))[0]?.eventId;
  }

  /** The Matrix events a remote message becomes: its text first, then one per attachment. */
  private async contentsFor(connector: Connector, content: RemoteContent): Promise<Record<string, unknown>[]> {
    const contents: Record<string, unknown>[] = [];
    if (content.text.length > 0) {
      const emoji = await this.uploadEmoji(connector, content.text);
      const rendered = renderMatrix(content.text, { emojiMxc: (url) => emoji.get(url) });
      contents.push({
        msgtype: MSGTYPE[content.style],
        body: rendered.body,
        ...(rendered.formatted_body !== undefined ? { format: "org.matrix.custom.html", formatted_body: rendered.formatted_body } : {}),
        "m.mentions": rendered.mentions,
      });
    }
    for (const media of content.media) contents.push(await this.mediaContent(connector, media));
    return contents;
  }

  private async mediaContent(connector: Connector, media: RemoteMedia): Promise<Record<string, unknown>> {
    let url: string;
    let mimetype: string;
    let size: number;
    try {
      const fetched = await connector.fetchMedia(media.url, MEDIA_LIMIT_BYTES);
      mimetype = media.mimetype ?? fetched.mimetype;
      size = fetched.bytes.length;
      url = await this.matrix.upload(fetched.bytes, mimetype, media.filename);
    } catch (error) {
      this.log.warn("Could not copy an attachment; linking it instead", { network: connector.network, error: (error as Error).message });
      return { msgtype: "m.text", body: `${media.filename}: ${media.url}`, format: "org.matrix.custom.html",
        formatted_body: `<a href="${escapeHtml(media.url)}">${escapeHtml(media.filename)}</a>`, "m.mentions": {} };
    }
    const info: Record<string, unknown> = { mimetype, size };
    if (media.width !== undefined) info.w = media.width;
    if (media.height !== undefined) info.h = media.height;
    if (media.durationMs !== undefined) info.duration = media.durationMs;
    // A network that did not say what a file is leaves it to the type the download came with.
    const kind = media.kind === "file" && media.mimetype === undefined ? mediaKindOf(mimetype) : media.kind;
    // A spoiler stays hidden as a file tile that shows nothing until opened; MSC4193 marks it for clients that know.
    const msgtype = media.spoiler ? "m.file" : MEDIA_MSGTYPE[kind];
    return {
      msgtype,
      body: media.description ?? media.filename,
      filename: media.filename,
      url,
      info,
      "m.mentions": {},
      ...(media.spoiler ? { "page.codeberg.everypizza.msc4193.spoiler": true } : {}),
    };
  }

  private async reactionKey(connector: Connector, emoji: RemoteEmoji): Promise<{ key: string; extra: Record<string, unknown> }> {
    if (emoji.kind === "unicode") return { key: normaliseEmoji(emoji.value), extra: {} };
    const mxc = await this.emojiMxc(connector, emoji.imageUrl);
    return { key: mxc ?? `:${emoji.name}:`, extra: { "com.beeper.reaction.shortcode": `:${emoji.name}:` } };
  }

  private async uploadEmoji(connector: Connector, doc: Document): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const url of emojiUrls(doc)) {
      const mxc = await this.emojiMxc(connector, url);
      if (mxc) result.set(url, mxc);
    }
    return result;
  }

  /** Custom emoji are uploaded once and remembered by their remote URL. */
  private async emojiMxc(connector: Connector, imageUrl: string): Promise<string | undefined> {
    if (imageUrl.startsWith("mxc://")) return imageUrl;
    const cached = await this.store.getState(EMOJI_SCOPE, imageUrl);
    if (cached) return cached;
    try {
      const media = await connector.fetchMedia(imageUrl, 1024 * 1024);
      const mxc = await this.matrix.upload(media.bytes, media.mimetype, "emoji");
      await this.store.setState(EMOJI_SCOPE, imageUrl, mxc);
      return mxc;
    } catch (error) {
      this.log.warn("Could not copy a custom emoji", { network: connector.network, error: (error as Error).message });
      return undefined;
    }
  }
}

function transactionIds(prefix: string): () => string {
  let count = 0;
  return () => `${prefix}.${count++}`;
}

/** How a message hangs off others: in a thread (with the reply fallback clients expect), or as a reply. */
function relationFor(threadRoot: string | undefined, replyTo: string | undefined): Relation | undefined {
  if (threadRoot) {
    return {
      rel_type: "m.thread",
      event_id: threadRoot,
      is_falling_back: replyTo === undefined,
      "m.in_reply_to": { event_id: replyTo ?? threadRoot },
    };
  }
  return replyTo ? { "m.in_reply_to": { event_id: replyTo } } : undefined;
}

/** Attachments after the first event stay in the thread but do not repeat the reply. */
function threadOnly(content: Record<string, unknown>, placement: Relation | undefined): Record<string, unknown> {
  if (!placement || placement.rel_type !== "m.thread") return content;
  return { ...content, "m.relates_to": { ...placement, is_falling_back: true } };
}

function emojiUrls(doc: Document): string[] {
  const urls: string[] = [];
  const visitInlines = (inlines: Inline[]) => {
    for (const inline of inlines) {
      if (inline.type === "emoji") urls.push(inline.imageUrl);
      else if ("children" in inline) visitInlines(inline.children);
    }
  };
  const visitBlocks = (blocks: Block[]) => {
    for (const block of blocks) {
      if (block.type === "paragraph" || block.type === "heading") visitInlines(block.children);
      else if (block.type === "quote") visitBlocks(block.children);
      else if (block.type === "list") block.items.forEach(visitBlocks);
    }
  };
  visitBlocks(doc);
  return [...new Set(urls)];
}
