/**
 * The parts of Slack's JSON the connector reads, as Slack documents them for message
 * events, conversations.history, users.info, bots.info, conversations.info and
 * team.info. Every field is optional where Slack leaves it out for some subtype.
 */

export interface SlackFile {
  id: string;
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  /** `hosted`, `snippet`, `external`, or `tombstone`/`hidden_by_limit` for files no longer shown. */
  mode?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
  permalink?: string;
  original_w?: number;
  original_h?: number;
  alt_txt?: string;
  is_external?: boolean;
  /** `check_file_info` on a file shared from another organisation (Slack Connect): only files.info has the rest. */
  file_access?: string;
}

export interface SlackAttachment {
  fallback?: string;
  pretext?: string;
  title?: string;
  title_link?: string;
  text?: string;
  /** Set on link previews Slack made (unfurls), which are not part of what was written. */
  from_url?: string;
  is_app_unfurl?: boolean;
}

export interface SlackMessage {
  type?: string;
  subtype?: string;
  ts: string;
  channel?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  /** On bot_message: the name the integration posted under, which Slack shows as the sender. */
  username?: string;
  /** On bot_message: the picture it posted with (`image_48`…, or `emoji`). */
  icons?: Record<string, string>;
  text?: string;
  blocks?: unknown[];
  attachments?: SlackAttachment[];
  files?: SlackFile[];
  thread_ts?: string;
  reply_count?: number;
  latest_reply?: string;
  edited?: { user?: string; ts: string };
  hidden?: boolean;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  /** channel_topic / channel_purpose / channel_name subtypes. */
  topic?: string;
  purpose?: string;
  name?: string;
  /** message_changed and message_deleted. */
  message?: SlackMessage;
  previous_message?: SlackMessage;
  deleted_ts?: string;
}

export interface SlackProfile {
  display_name?: string;
  real_name?: string;
  image_original?: string;
  image_512?: string;
  image_192?: string;
  image_72?: string;
  /** On a bot user's profile: the bot (`B…`) it posts as. */
  bot_id?: string;
}

export interface SlackUser {
  id: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  /** Guests: multi-channel (restricted) and single-channel (ultra restricted). */
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  profile?: SlackProfile;
}

export interface SlackBot {
  id: string;
  name?: string;
  icons?: Record<string, string>;
}

export interface SlackChannel {
  id: string;
  name?: string;
  is_im?: boolean;
  is_mpim?: boolean;
  is_private?: boolean;
  is_archived?: boolean;
  is_member?: boolean;
  /** The other person, in a direct message. */
  user?: string;
  topic?: { value?: string };
  purpose?: { value?: string };
}

export interface SlackTeam {
  id: string;
  name?: string;
  icon?: Record<string, unknown>;
}
