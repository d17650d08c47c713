import type { Logger } from "winston";
import type { MessagePart, Portal, Store } from "../store/store.js";
import type { Connector, MatrixSender, OutgoingEmoji, OutgoingMedia, OutgoingMessage, OutgoingReply } from "./connector.js";
import { UnsupportedError } from "./connector.js";
import type { MediaKind, MessageStyle } from "./events.js";
import type { Document } from "./format/ast.js";
import { parseMatrixHtml } from "./format/matrix-html-parse.js";
import { parsePlainBody, stripReplyFallback } from "./format/matrix-plain-parse.js";
import { renderPlainText } from "./format/plain-text.js";
import { documentInlines } from "./format/document.js";
import type { MatrixApi, MatrixEvent } from "./matrix-api.js";
import type { MediaLinks } from "./media-links.js";
import { withRetries } from "./retry.js";
import { mayPingRoom, type StateReader } from "./power-levels.js";

const STYLE_BY_MSGTYPE: Record<string, MessageStyle> = { "m.text": "text", "m.emote": "emote", "m.notice": "notice" };
const MEDIA_BY_MSGTYPE: Record<string, MediaKind> = { "m.image": "image", "m.video": "video", "m.audio": "audio", "m.file": "file" };
const EXCERPT_LENGTH = 100;

type Content = Record<string, unknown>;

/** Tells a sender their action did not reach a network, so nothing fails in silence. */
export type FailureNotice = (roomId: string, text: string) => Promise<void>;

export interface MatrixToRemoteDeps {
  matrix: MatrixApi;
  roomState: StateReader;
  store: Store;
  mediaLinks: MediaLinks;
  /** The remote account a Matrix user linked on a network, if any. */
  linkedAccount: (matrixUserId: string, network: string) => Promise<string | undefined>;
  notice: FailureNotice;
  log: Logger;
}

/**
 * Matrix events into the networks: messages, edits, redactions and reactions, each
 * sent to every chat the room is bridged to, retried while the network is failing,
 * and reported to the sender if it still cannot be delivered.
 */
export class MatrixToRemote {
  constructor(private readonly deps: MatrixToRemoteDeps) {}

  async handle(event: MatrixEvent, targets: { connector: Connector; portal: Portal }[], resumed: boolean): Promise<void> {
    const content = event.content;
    const relation = content["m.relates_to"] as Content | undefined;
    if (event.type === "m.room.message" || event.type === "m.sticker") {
      if (relation?.rel_type === "m.replace") {
        for (const target of targets) await this.edit(event, relation, target.connector, target.portal, resumed);
      } else {
        for (const target of targets) await this.send(event, target.connector, target.portal, resumed);
      }
    } else if (event.type === "m.reaction" && relation?.rel_type === "m.annotation") {
      for (const target of targets) await this.react(event, relation, target.connector, target.portal);
    } else if (event.type === "m.room.redaction") {
      const redacts = (event.redacts ?? content.redacts) as string | undefined;
      if (redacts) for (const target of targets) await this.redaction(event, redacts, target.connector, target.portal);
    } else if (POLL_STARTS.has(event.type)) {
      const poll = pollAsText(content);
      if (poll) for (const target of targets) await this.send({ ...event, content: poll }, target.connector, target.portal, resumed);
    }
  }

  /** Someone started typing: shown on networks that can show it, best effort and never retried. */
  async typing(userId: string, targets: { connector: Connector; portal: Portal }[]): Promise<void> {
    for (const { connector, portal } of targets) {
      const setTyping = connector.setTyping?.bind(connector);
      if (!setTyping) continue;
      try {
        await setTyping(portal.chat, await this.sender(userId, portal, connector), true);
      } catch (error) {
        this.deps.log.debug("Typing did not reach the network", { network: connector.network, error: (error as Error).message });
      }
    }
  }

  private async send(event: MatrixEvent, connector: Connector, portal: Portal, resumed: boolean): Promise<void> {
    // Sent and recorded before a stop that came before the event was marked done.
    if (resumed && (await this.deps.store.partsForEvent(event.event_id, connector.network)).length > 0) return;
    const message = await this.outgoing(event, event.content, connector, portal, resumed);
    if (!message) return;
    const sent = await this.deliver(connector, portal, event, "message",
      (attempt) => connector.sendMessage(portal.chat, attempt > 1 ? { ...message, resumed: true } : message));
    if (!sent) return;
    await this.deps.store.addMessageParts(sent.ids.map((remoteId, part) => ({
      roomId: portal.roomId, eventId: event.event_id, network: connector.network, chat: portal.chat, remoteId, part,
      senderMxid: event.sender, threadRoot: message.threadRoot, origin: "matrix", createdAt: event.origin_server_ts,
    })));
  }

  private async edit(event: MatrixEvent, relation: Content, connector: Connector, portal: Portal, resumed: boolean): Promise<void> {
    const originalId = relation.event_id as string;
    const parts = await this.deps.store.partsForEvent(originalId, connector.network);
    if (parts.length === 0) return;
    const newContent = (event.content["m.new_content"] ?? {}) as Content;
    const message = await this.outgoing(event, newContent, connector, portal, resumed);
    if (!message) return;
    const editMessage = connector.editMessage?.bind(connector);
    if (!editMessage) return this.unsupported(connector, portal, event, "Editing messages");
    const sent = await this.deliver(connector, portal, event, "edit", () => editMessage(portal.chat, parts.map((p) => p.remoteId), message));
    if (!sent) return;
    if (sent.ids.join() !== parts.map((p) => p.remoteId).join()) await this.replaceParts(parts, sent.ids);
  }

  private async redaction(event: MatrixEvent, redacts: string, connector: Connector, portal: Portal): Promise<void> {
    const reaction = await this.deps.store.getReactionByEvent(redacts);
    if (reaction && reaction.network === connector.network) {
      await this.deps.store.deleteReaction(redacts);
      const sender = await this.sender(event.sender, portal, connector);
      const personal = sender.remoteUserId !== undefined;
      const remaining = await this.deps.store.countReactions(connector.network, portal.chat, reaction.remoteMessageId, reaction.key);
      if (!personal && remaining > 0) return;
      const removeReaction = connector.removeReaction?.bind(connector);
      if (!removeReaction) return;
      const emoji = emojiFromKey(reaction.key, undefined);
      await this.deliver(connector, portal, event, "reaction removal", () => removeReaction(portal.chat, reaction.remoteMessageId, emoji, sender));
      return;
    }
    const parts = await this.deps.store.partsForEvent(redacts, connector.network);
    if (parts.length === 0) return;
    const deleteMessages = connector.deleteMessages?.bind(connector);
    if (!deleteMessages) return this.unsupported(connector, portal, event, "Deleting messages");
    const sender = await this.sender(event.sender, portal, connector);
    await this.deliver(connector, portal, event, "deletion", () => deleteMessages(portal.chat, parts.map((p) => p.remoteId), sender));
    await this.deps.store.deleteMessageParts(redacts);
  }

  private async react(event: MatrixEvent, relation: Content, connector: Connector, portal: Portal): Promise<void> {
    const target = (await this.deps.store.partsForEvent(relation.event_id as string, connector.network))[0];
    const key = relation.key;
    if (!target || typeof key !== "string") return;
    const sender = await this.sender(event.sender, portal, connector);
    // A reaction recorded before a stop that interrupted its delivery does not count as another holder.
    const recordedBefore = (await this.deps.store.getReactionByEvent(event.event_id))?.network === connector.network;
    const holders = (await this.deps.store.countReactions(connector.network, portal.chat, target.remoteId, key)) - (recordedBefore ? 1 : 0);
    await this.deps.store.addReaction({
      eventId: event.event_id, roomId: portal.roomId, targetEventId: target.eventId, network: connector.network,
      chat: portal.chat, remoteMessageId: target.remoteId, key, senderMxid: event.sender,
    });
    // The bot's reaction stands for every Matrix user holding it: add it for the first one only.
    if (sender.remoteUserId === undefined && holders > 0) return;
    const addReaction = connector.addReaction?.bind(connector);
    if (!addReaction) return this.unsupported(connector, portal, event, "Reactions");
    const shortcode = event.content["com.beeper.reaction.shortcode"] ?? event.content.shortcode;
    const emoji = emojiFromKey(key, typeof shortcode === "string" ? shortcode : undefined);
    await this.deliver(connector, portal, event, "reaction", () => addReaction(portal.chat, target.remoteId, emoji, sender));
  }

  /** Builds the network-neutral message from Matrix content; undefined for content Parley does not carry. */
  private async outgoing(
    event: MatrixEvent, content: Content, connector: Connector, portal: Portal, resumed: boolean,
  ): Promise<OutgoingMessage | undefined> {
    const msgtype = event.type === "m.sticker" ? "m.image" : (content.msgtype as string | undefined);
    if (typeof msgtype !== "string") return undefined;
    const sender = await this.sender(event.sender, portal, connector);
    const mayPing = await mayPingRoom(this.deps.roomState, portal.roomId, event.sender);
    const relation = event.content["m.relates_to"] as Content | undefined;
    const mediaKind = MEDIA_BY_MSGTYPE[msgtype];
    let text: Document;
    let media: OutgoingMedia | undefined;
    if (mediaKind !== undefined) {
      media = this.media(content, mediaKind);
      if (!media) return undefined;
      // Since Matrix 1.10 a body that differs from the filename is a caption.
      const caption = typeof content.filename === "string" && content.body !== content.filename ? String(content.body ?? "") : "";
      text = caption ? textOf({ ...content, body: caption, formatted_body: content.formatted_body }, mayPing) : [];
    } else if (STYLE_BY_MSGTYPE[msgtype] !== undefined) {
      text = textOf(content, mayPing);
    } else if (msgtype === "m.location") {
      const location = locationText(content);
      if (!location) return undefined;
      text = location;
    } else {
      return undefined;
    }
    this.linkMediaPublicly(text);
    return {
      sender,
      style: STYLE_BY_MSGTYPE[msgtype] ?? "text",
      text,
      media,
      replyTo: await this.replyTarget(relation, connector, portal),
      threadRoot: await this.threadRoot(relation, connector),
      mayPingRoom: mayPing,
      idempotencyKey: event.event_id,
      resumed,
    };
  }

  /**
   * An inline image of a Matrix message is a link to its mxc:// URI, which nobody on the
   * networks can open: it becomes a link to the file as Parley serves it.
   */
  private linkMediaPublicly(text: Document): void {
    for (const inline of documentInlines(text)) {
      if (inline.type !== "link" || !inline.href.startsWith("mxc://")) continue;
      const label = renderPlainText([{ type: "paragraph", children: inline.children }]).trim();
      const filename = label && label !== inline.href ? label : "image";
      try {
        const publicUrl = this.deps.mediaLinks.fileUrl(inline.href, filename);
        if (label === inline.href) inline.children = [{ type: "text", text: filename }];
        inline.href = publicUrl;
      } catch {
        // Not an mxc:// URI Parley can serve (malformed): it stays as the sender wrote it.
      }
    }
  }

  private media(content: Content, kind: MediaKind): OutgoingMedia | undefined {
    const mxc = content.url;
    if (typeof mxc !== "string" || !mxc.startsWith("mxc://")) return undefined;
    const info = (content.info ?? {}) as Content;
    const filename = typeof content.filename === "string" ? content.filename : String(content.body ?? "file");
    return {
      kind,
      filename,
      mimetype: typeof info.mimetype === "string" ? info.mimetype : "application/octet-stream",
      size: typeof info.size === "number" ? info.size : 0,
      width: typeof info.w === "number" ? info.w : undefined,
      height: typeof info.h === "number" ? info.h : undefined,
      spoiler: content["page.codeberg.everypizza.msc4193.spoiler"] === true,
      load: async () => (await this.deps.matrix.download(mxc)).bytes,
      publicUrl: this.deps.mediaLinks.fileUrl(mxc, filename),
    };
  }

  private async replyTarget(relation: Content | undefined, connector: Connector, portal: Portal): Promise<OutgoingReply | undefined> {
    const inReplyTo = relation?.["m.in_reply_to"] as Content | undefined;
    if (!inReplyTo || typeof inReplyTo.event_id !== "string" || relation?.is_falling_back === true) return undefined;
    const part = (await this.deps.store.partsForEvent(inReplyTo.event_id, connector.network))[0];
    if (!part) return undefined;
    const original = await this.deps.matrix.getEvent(portal.roomId, inReplyTo.event_id);
    const authorName = original ? await this.displayName(portal.roomId, original.sender) : "someone";
    const excerptSource = original ? textOf(original.content, false) : [];
    const excerpt = renderPlainText(excerptSource).replace(/\s+/g, " ").trim();
    const ghost = original ? await this.deps.store.getGhostByMxid(original.sender) : undefined;
    return {
      remoteId: part.remoteId,
      remoteAuthorId: ghost?.network === connector.network ? ghost.remoteUserId : undefined,
      threadRoot: part.threadRoot,
      authorName,
      excerpt: excerpt.length > EXCERPT_LENGTH ? `${excerpt.slice(0, EXCERPT_LENGTH - 1)}…` : excerpt,
    };
  }

  private async threadRoot(relation: Content | undefined, connector: Connector): Promise<string | undefined> {
    if (relation?.rel_type !== "m.thread" || typeof relation.event_id !== "string") return undefined;
    const root = (await this.deps.store.partsForEvent(relation.event_id, connector.network))[0];
    return root?.threadRoot ?? root?.remoteId;
  }

  private async sender(userId: string, portal: Portal, connector: Connector): Promise<MatrixSender> {
    const member = await this.deps.roomState.getState<{ displayname?: string; avatar_url?: string }>(portal.roomId, "m.room.member", userId);
    const ghost = await this.deps.store.getGhostByMxid(userId);
    return {
      userId,
      displayName: member?.displayname || userId.slice(1, userId.indexOf(":")),
      avatarUrl: member?.avatar_url?.startsWith("mxc://") ? this.deps.mediaLinks.avatarUrl(member.avatar_url) : undefined,
      remoteUserId: await this.deps.linkedAccount(userId, connector.network),
      relayedFrom: ghost && ghost.network !== connector.network ? ghost.network : undefined,
    };
  }

  private async displayName(roomId: string, userId: string): Promise<string> {
    const member = await this.deps.roomState.getState<{ displayname?: string }>(roomId, "m.room.member", userId);
    return member?.displayname || userId;
  }

  private async replaceParts(old: MessagePart[], ids: string[]): Promise<void> {
    const first = old[0] as MessagePart;
    await this.deps.store.deleteMessageParts(first.eventId);
    await this.deps.store.addMessageParts(ids.map((remoteId, part) => ({ ...first, remoteId, part })));
  }

  /** Runs a delivery with retries; on final failure tells the room and returns undefined. */
  private async deliver<T>(
    connector: Connector, portal: Portal, event: MatrixEvent, what: string, task: (attempt: number) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await withRetries(`Delivering a ${what} to ${connector.displayName}`, task, this.deps.log);
    } catch (error) {
      const reason = (error as Error).message;
      this.deps.log.error(`Could not deliver a ${what}`, { network: connector.network, chat: portal.chat, eventId: event.event_id, error: reason });
      await this.deps.notice(portal.roomId, `⚠️ Your ${what} could not be delivered to ${connector.displayName}: ${reason}`);
      return undefined;
    }
  }

  private async unsupported(connector: Connector, portal: Portal, event: MatrixEvent, what: string): Promise<void> {
    const error = new UnsupportedError(connector.displayName, what);
    this.deps.log.info(error.message, { eventId: event.event_id });
    await this.deps.notice(portal.roomId, `⚠️ ${error.message}.`);
  }
}

function textOf(content: Content, senderMayPingRoom: boolean): Document {
  if (content.format === "org.matrix.custom.html" && typeof content.formatted_body === "string") {
    return parseMatrixHtml(content.formatted_body, { senderMayPingRoom });
  }
  return parsePlainBody(stripReplyFallback(String(content.body ?? "")), { senderMayPingRoom });
}

/** Poll starts, stable (Matrix 1.7) and as Element sends them still. */
const POLL_STARTS = new Set(["m.poll.start", "org.matrix.msc3381.poll.start"]);

/**
 * Networks get a poll as the text its sender's client wrote for those that cannot show polls
 * (question and numbered answers); the votes stay in Matrix.
 */
function pollAsText(content: Content): Content | undefined {
  const stable = content["m.text"];
  const fallback = Array.isArray(stable)
    ? (stable as { body?: unknown; mimetype?: unknown }[]).find((part) => part.mimetype === undefined || part.mimetype === "text/plain")?.body
    : content["org.matrix.msc1767.text"] ?? content.body;
  if (typeof fallback !== "string" || fallback.trim() === "") return undefined;
  return { msgtype: "m.text", body: `📊 ${fallback.trim()}\n(vote in Matrix)` };
}

const GEO_URI = /^geo:(-?\d{1,3}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)/i;

/** A shared location, as a map link anyone can open; what the sender wrote goes before it unless it is only the geo: URI again. */
function locationText(content: Content): Document | undefined {
  const match = GEO_URI.exec(String(content.geo_uri ?? ""));
  if (!match) return undefined;
  const [, latitude, longitude] = match as unknown as [string, string, string];
  const href = `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`;
  const body = String(content.body ?? "").trim();
  const label = body && !body.includes(String(content.geo_uri)) ? body : "Location";
  return [{ type: "paragraph", children: [{ type: "text", text: "📍 " }, { type: "link", href, children: [{ type: "text", text: label }] }] }];
}

function emojiFromKey(key: string, shortcode: string | undefined): OutgoingEmoji {
  if (key.startsWith("mxc://")) return { kind: "custom", name: (shortcode ?? "emoji").replace(/^:|:$/g, "") };
  return { kind: "unicode", value: key };
}
