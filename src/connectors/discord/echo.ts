/**
 * Recognises Parley's own doings when Discord reports them back over the gateway, by ids
 * alone: messages from Parley's webhooks (or any webhook owned by Parley's application),
 * anything the bot account did itself, and deletions Parley asked for. No timers: an echo
 * can arrive before or after the REST call that caused it has answered.
 */
export interface AuthoredPayload {
  author?: { id: string };
  webhook_id?: string;
  application_id?: string;
}

export class EchoGuard {
  private readonly webhookIds = new Set<string>();
  /** Message ids Parley is deleting or has deleted; each is forgotten when its echo comes. */
  private readonly deletions = new Set<string>();
  private botUserId: string | undefined;

  /** The bot's user id, which is also its application id. */
  setBotUser(id: string): void {
    this.botUserId = id;
  }

  get botId(): string | undefined {
    return this.botUserId;
  }

  addWebhook(id: string): void {
    this.webhookIds.add(id);
  }

  /** Whether a message (or its edit) was posted by Parley: by the bot or through one of its webhooks. */
  isOwnMessage(message: AuthoredPayload): boolean {
    if (message.webhook_id !== undefined) {
      // Discord marks messages of application-owned webhooks with the application's id, which
      // also covers webhooks Parley made before a lost state.
      return this.webhookIds.has(message.webhook_id) || (this.botUserId !== undefined && message.application_id === this.botUserId);
    }
    return this.isBot(message.author?.id);
  }

  isBot(userId: string | undefined): boolean {
    return userId !== undefined && userId === this.botUserId;
  }

  /** Call before asking Discord to delete, so the MESSAGE_DELETE that follows is not bridged back. */
  expectDeletion(messageId: string): void {
    this.deletions.add(messageId);
  }

  /** The deletion failed: no echo will come. */
  cancelDeletion(messageId: string): void {
    this.deletions.delete(messageId);
  }

  /** Whether a reported deletion was Parley's; the record is used up. */
  takeDeletion(messageId: string): boolean {
    return this.deletions.delete(messageId);
  }
}
