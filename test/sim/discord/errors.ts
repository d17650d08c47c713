import { RESTJSONErrorCodes as Code } from "discord.js";

/** Nested like Discord's `errors` member: `{ content: { _errors: [{ code, message }] } }`. */
export interface FormErrors {
  [key: string]: FormErrors | Array<{ code: string; message: string }>;
}

/** An error Discord would answer with: HTTP status plus the JSON body `{ code, message, errors? }`. */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FormErrors,
  ) {
    super(message);
  }

  body(): { code: number; message: string; errors?: FormErrors } {
    return { code: this.code, message: this.message, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

/** One invalid field at a dotted path ("message_reference.message_id", "embeds.0.title"). */
export function invalidField(path: string, code: string, message: string): DiscordApiError {
  const errors: FormErrors = {};
  let cursor = errors;
  const keys = path.split(".");
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      cursor[key] = { _errors: [{ code, message }] };
    } else {
      const next: FormErrors = {};
      cursor[key] = next;
      cursor = next;
    }
  });
  return new DiscordApiError(400, Code.InvalidFormBodyOrContentType, "Invalid Form Body", errors);
}

export const errors = {
  unauthorized: () => new DiscordApiError(401, Code.GeneralError, "401: Unauthorized"),
  notFound: () => new DiscordApiError(404, Code.GeneralError, "404: Not Found"),
  unknownChannel: () => new DiscordApiError(404, Code.UnknownChannel, "Unknown Channel"),
  unknownGuild: () => new DiscordApiError(404, Code.UnknownGuild, "Unknown Guild"),
  unknownMember: () => new DiscordApiError(404, Code.UnknownMember, "Unknown Member"),
  unknownMessage: () => new DiscordApiError(404, Code.UnknownMessage, "Unknown Message"),
  unknownRole: () => new DiscordApiError(404, Code.UnknownRole, "Unknown Role"),
  unknownUser: () => new DiscordApiError(404, Code.UnknownUser, "Unknown User"),
  unknownEmoji: () => new DiscordApiError(400, Code.UnknownEmoji, "Unknown Emoji"),
  unknownWebhook: () => new DiscordApiError(404, Code.UnknownWebhook, "Unknown Webhook"),
  invalidWebhookToken: () => new DiscordApiError(401, Code.InvalidWebhookToken, "Invalid Webhook Token"),
  missingAccess: () => new DiscordApiError(403, Code.MissingAccess, "Missing Access"),
  missingPermissions: () => new DiscordApiError(403, Code.MissingPermissions, "Missing Permissions"),
  nonTextChannel: () => new DiscordApiError(400, 50008, "Cannot send messages in a non-text channel"),
  emptyMessage: () => new DiscordApiError(400, Code.CannotSendAnEmptyMessage, "Cannot send an empty message"),
  editOthersMessage: () =>
    new DiscordApiError(403, Code.CannotEditMessageAuthoredByAnotherUser, "Cannot edit a message authored by another user"),
  entityTooLarge: () => new DiscordApiError(413, Code.RequestEntityTooLarge, "Request entity too large"),
  bulkDeleteCount: () =>
    new DiscordApiError(
      400,
      Code.ProvidedTooFewOrTooManyMessagesToDelete,
      "You must provide at least 2 and fewer than 100 messages to delete.",
    ),
  bulkDeleteTooOld: () =>
    new DiscordApiError(
      400,
      Code.OneOfTheMessagesProvidedWasTooOldForBulkDelete,
      "You can only bulk delete messages that are under 14 days old.",
    ),
  wrongChannelType: () =>
    new DiscordApiError(400, Code.CannotExecuteActionOnThisChannelType, "Cannot execute action on this channel type"),
  threadAlreadyExists: () =>
    new DiscordApiError(400, Code.ThreadAlreadyCreatedForMessage, "A thread has already been created for this message"),
  archivedThread: () =>
    new DiscordApiError(400, Code.InvalidActionOnArchivedThread, "Thread is archived"),
  forumNeedsThread: () =>
    new DiscordApiError(
      400,
      Code.WebhooksPostedToForumChannelsMustHaveAThreadNameOrThreadId,
      "Webhooks posted to forum channels must have a thread_name or thread_id",
    ),
  tooManyWebhooks: () =>
    new DiscordApiError(400, Code.MaximumNumberOfWebhooksReached, "Maximum number of webhooks reached (15)"),
  tooManyReactions: () =>
    new DiscordApiError(400, Code.MaximumNumberOfReactionsReached, "Maximum number of reactions reached (20)"),
  invalidJson: () => new DiscordApiError(400, 50109, "The request body contains invalid JSON."),
};
