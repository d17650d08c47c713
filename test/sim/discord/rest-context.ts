import type { Upload } from "./attachments.js";
import { invalidField } from "./errors.js";
import type { GuildAdmin } from "./guild-admin.js";
import type { MessagePayloads } from "./message-payloads.js";
import type { MessageDraft, MessageEdit, MessageService } from "./messages.js";
import type { MessageRecord } from "./model.js";
import type { Payloads } from "./payloads.js";
import type { ReactionService } from "./reactions.js";
import type { RestRequest } from "./router.js";
import type { SimState } from "./state.js";
import type { ThreadService } from "./threads.js";
import type { WebhookService } from "./webhooks.js";

/** What the REST route modules work with. */
export interface RestContext {
  state: SimState;
  payloads: Payloads;
  messagePayloads: MessagePayloads;
  messages: MessageService;
  reactions: ReactionService;
  threads: ThreadService;
  webhooks: WebhookService;
  admin: GuildAdmin;
  botId: string;
  /** Privileged intents the application has switched on (GUILD_MEMBERS gates member listing). */
  enabledPrivilegedIntents: number;
  gatewayUrl(): string;
}

interface AttachmentMetadata {
  id?: string | number;
  filename?: string;
  description?: string;
  is_spoiler?: boolean;
}

/** Files of a multipart request, with the metadata `attachments[]` gives each by matching `id` to files[n]. */
export function uploadsOf(request: RestRequest, metadata: unknown = request.body.attachments): Upload[] {
  const described = Array.isArray(metadata) ? (metadata as AttachmentMetadata[]) : [];
  return request.files.map((file) => {
    const meta = described.find((entry) => String(entry.id) === String(file.index));
    return {
      filename: meta?.filename ?? file.filename,
      bytes: file.bytes,
      ...(file.contentType ? { contentType: file.contentType } : {}),
      ...(meta?.description ? { description: meta.description } : {}),
      ...(meta?.is_spoiler ? { spoiler: true } : {}),
    };
  });
}

/** The message fields shared by channel messages, webhook executions and forum posts. */
export function draftOf(body: Record<string, any>, uploads: Upload[]): MessageDraft {
  const reference = body.message_reference;
  return {
    ...(typeof body.content === "string" ? { content: body.content } : {}),
    ...(Array.isArray(body.embeds) ? { embeds: body.embeds } : {}),
    ...(body.allowed_mentions ? { allowedMentions: body.allowed_mentions } : {}),
    ...(reference?.message_id
      ? { reply: { messageId: String(reference.message_id), failIfNotExists: reference.fail_if_not_exists !== false } }
      : {}),
    ...(body.nonce !== undefined && body.nonce !== null ? { nonce: body.nonce } : {}),
    ...(body.enforce_nonce === true ? { enforceNonce: true } : {}),
    ...(body.tts === true ? { tts: true } : {}),
    ...(typeof body.flags === "number" ? { flags: body.flags } : {}),
    uploads,
  };
}

/** A PATCH body: null clears a field; v10 `attachments` lists every existing attachment to keep. */
export function editOf(request: RestRequest, message: MessageRecord): MessageEdit {
  const { content, embeds, attachments, allowed_mentions: allowedMentions } = request.body;
  const existing = new Set(message.attachments.map((attachment) => attachment.id));
  const keep = Array.isArray(attachments)
    ? attachments.map((entry: { id?: unknown }) => String(entry?.id)).filter((id: string) => existing.has(id))
    : attachments === null ? [] : undefined;
  return {
    ...(content !== undefined ? { content: content ?? "" } : {}),
    ...(embeds !== undefined ? { embeds: embeds ?? [] } : {}),
    ...(keep ? { keepAttachmentIds: keep } : {}),
    ...(allowedMentions ? { allowedMentions } : {}),
    uploads: uploadsOf(request),
  };
}

/** Query integers Discord validates: out of range is a form error, absent is the default. */
export function queryInt(request: RestRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = request.query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw invalidField(name, "NUMBER_TYPE_COERCE", `Value "${raw}" is not int.`);
  if (value < min) throw invalidField(name, "NUMBER_TYPE_MIN", `int value should be greater than or equal to ${min}.`);
  if (value > max) throw invalidField(name, "NUMBER_TYPE_MAX", `int value should be less than or equal to ${max}.`);
  return value;
}
