// Our records as Slack puts them on the wire. One function per object kind, shared by history, events and
// method responses, so a message looks the same wherever a client meets it.
import { imageSize, isImage } from "./file-types.js";
import type { Bot, Channel, Json, Message, StoredFile, Team, User, Usergroup } from "./model.js";
import { isReply, type SimState } from "./state.js";
import type { SimUrls } from "./urls.js";

/** Subtypes Slack itself writes (joins, renames...): they carry no `team` and no author blocks. */
const SYSTEM_SUBTYPES = new Set([
  "channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name", "channel_archive",
  "channel_unarchive", "group_join", "group_leave", "group_topic", "group_purpose", "group_name",
  "group_archive", "group_unarchive", "tombstone",
]);

const THUMB_SIZES = [64, 80, 160, 360, 480, 720, 800, 960, 1024];

export class Serializer {
  constructor(
    private readonly state: SimState,
    private readonly urls: SimUrls,
  ) {}

  message(message: Message, options: { reactions?: boolean; metadata?: boolean } = {}): Json {
    const channel = this.state.channel(message.channelId);
    const json: Json = {};
    if (message.user) json.user = message.user;
    if (message.botId) json.bot_id = message.botId;
    json.type = "message";
    if (message.subtype) json.subtype = message.subtype;
    json.ts = message.ts;
    if (message.appId) json.app_id = message.appId;
    if (message.clientMsgId) json.client_msg_id = message.clientMsgId;
    json.text = message.text;
    if (!message.subtype || !SYSTEM_SUBTYPES.has(message.subtype)) json.team = message.teamId;
    if (message.username) json.username = message.username;
    if (message.icons) json.icons = message.icons;
    const bot = message.botId ? this.state.bots.get(message.botId) : undefined;
    if (bot && message.user) json.bot_profile = { ...this.bot(bot), team_id: bot.teamId };
    if (message.attachments) json.attachments = message.attachments;
    if (message.blocks) json.blocks = message.blocks;
    if (message.fileIds.length > 0) {
      json.files = message.fileIds.map((id) => this.file(this.state.files.get(id)!));
      json.upload = false;
      json.display_as_bot = false;
    }
    if (message.edited) json.edited = message.edited;
    if (options.metadata && message.metadata) json.metadata = message.metadata;
    Object.assign(json, this.threadFields(channel, message));
    Object.assign(json, message.extra);
    if (options.reactions !== false && message.reactions.length > 0) {
      json.reactions = message.reactions.map((reaction) => ({ name: reaction.name, users: reaction.users, count: reaction.users.length }));
    }
    return json;
  }

  /** A message as the `message` event carries it: no reactions yet, plus where it happened. */
  messageEvent(message: Message): Json {
    const channel = this.state.channel(message.channelId);
    return { ...this.message(message, { reactions: false }), channel: channel.id, event_ts: message.ts, channel_type: channelType(channel) };
  }

  private threadFields(channel: Channel, message: Message): Json {
    if (message.threadTs === undefined) return {};
    if (isReply(message)) {
      const root = this.state.findMessage(channel, message.threadTs);
      const fields: Json = { thread_ts: message.threadTs, parent_user_id: root?.user ?? root?.botId };
      if (message.subtype === "thread_broadcast" && root) fields.root = this.message(root, { reactions: false });
      return fields;
    }
    const replies = this.state.repliesTo(channel, message);
    const replyUsers = [...new Set(replies.map((reply) => reply.user ?? reply.botId ?? ""))];
    return {
      thread_ts: message.ts,
      reply_count: replies.length,
      reply_users_count: replyUsers.length,
      latest_reply: replies[replies.length - 1]?.ts ?? message.ts,
      reply_users: replyUsers.slice(0, 5),
      is_locked: false,
      subscribed: false,
    };
  }

  file(file: StoredFile): Json {
    const team = this.state.team(file.teamId);
    const json: Json = {
      id: file.id, created: file.created, timestamp: file.created, name: file.name, title: file.title,
      mimetype: file.mimetype, filetype: file.filetype, pretty_type: file.prettyType, user: file.userId,
      user_team: file.teamId, editable: file.mode === "snippet", size: file.bytes?.length ?? file.declaredLength ?? 0,
      mode: file.mode, is_external: false, external_type: "", is_public: this.isPublic(file), public_url_shared: false,
      display_as_bot: false, username: "", url_private: this.urls.filePrivate(file), url_private_download: this.urls.fileDownload(file),
    };
    if (file.altText) json.alt_txt = file.altText;
    const dimensions = file.bytes && isImage(file.mimetype) ? imageSize(file.bytes) : undefined;
    if (dimensions) Object.assign(json, this.thumbnails(file, dimensions));
    if (file.mode === "snippet" && file.bytes) {
      const lines = file.bytes.toString("utf8").split("\n");
      Object.assign(json, { preview: lines.slice(0, 5).join("\n"), lines: lines.length, lines_more: Math.max(0, lines.length - 5), preview_is_truncated: lines.length > 5 });
    }
    json.permalink = this.urls.filePermalink(team, file);
    json.permalink_public = `https://slack-files.com/${file.teamId}-${file.id}-${file.id.toLowerCase()}`;
    json.has_rich_preview = false;
    json.file_access = "visible";
    return json;
  }

  /** files.info's fuller form: where the file was shared. */
  fileInfo(file: StoredFile): Json {
    const publicShares: Record<string, Json[]> = {};
    const privateShares: Record<string, Json[]> = {};
    for (const share of file.shares) {
      const channel = this.state.channel(share.channelId);
      const target = channel.isPrivate ? privateShares : publicShares;
      (target[channel.id] ??= []).push({ reply_users: [], reply_users_count: 0, reply_count: 0, ts: share.ts, channel_name: channel.name, team_id: channel.teamId, share_user_id: file.userId });
    }
    const sharedIn = (kind: "public" | "private" | "im"): string[] =>
      [...new Set(file.shares.map((share) => share.channelId))].filter((id) => {
        const channel = this.state.channel(id);
        return kind === "im" ? channel.kind === "im" : channel.kind !== "im" && channel.isPrivate === (kind === "private");
      });
    return {
      ...this.file(file),
      channels: sharedIn("public"), groups: sharedIn("private"), ims: sharedIn("im"),
      shares: { ...(Object.keys(publicShares).length ? { public: publicShares } : {}), ...(Object.keys(privateShares).length ? { private: privateShares } : {}) },
      comments_count: 0,
    };
  }

  private isPublic(file: StoredFile): boolean {
    return file.shares.some((share) => !this.state.channel(share.channelId).isPrivate);
  }

  private thumbnails(file: StoredFile, size: { width: number; height: number }): Json {
    const json: Json = { media_display_type: "unknown" };
    for (const edge of THUMB_SIZES) {
      if (edge > Math.max(size.width, size.height) && edge !== 64 && edge !== 80) continue;
      const scale = Math.min(1, edge / Math.max(size.width, size.height));
      json[`thumb_${edge}`] = this.urls.thumbnail(file, edge);
      if (edge >= 160) {
        json[`thumb_${edge}_w`] = Math.round(size.width * scale);
        json[`thumb_${edge}_h`] = Math.round(size.height * scale);
      }
    }
    return { ...json, original_w: size.width, original_h: size.height, thumb_tiny: "" };
  }

  user(user: User): Json {
    const team = this.state.team(user.teamId);
    const isBot = user.botId !== undefined;
    const profile: Json = {
      ...user.profile,
      real_name_normalized: user.profile.real_name,
      display_name_normalized: user.profile.display_name,
      fields: null,
      status_expiration: 0,
      team: team.id,
      ...(isBot ? { bot_id: user.botId, api_app_id: user.appId, always_active: true } : {}),
    };
    return {
      id: user.id, team_id: user.teamId, name: user.name, deleted: user.deleted, color: user.color,
      real_name: user.profile.real_name, tz: user.tz, tz_label: "Coordinated Universal Time", tz_offset: 0, profile,
      is_admin: user.isAdmin, is_owner: false, is_primary_owner: false, is_restricted: false, is_ultra_restricted: false,
      is_bot: isBot, is_app_user: false, updated: user.updated, is_email_confirmed: !isBot, who_can_share_contact_card: "EVERYONE",
    };
  }

  bot(bot: Bot): Json {
    return { id: bot.id, deleted: false, name: bot.name, updated: bot.updated, app_id: bot.appId ?? "", user_id: bot.userId, icons: bot.icons };
  }

  /** A conversation as conversations.info / list show it to `viewerId`. */
  channel(channel: Channel, viewerId: string, options: { numMembers?: boolean } = {}): Json {
    if (channel.kind === "im") {
      const other = [...channel.members].find((member) => member !== viewerId) ?? channel.creator;
      return {
        id: channel.id, created: channel.created, is_archived: false, is_im: true, is_org_shared: false,
        context_team_id: channel.teamId, updated: channel.created * 1000, user: other, is_user_deleted: false, priority: 0,
      };
    }
    if (channel.kind === "mpim") {
      return {
        id: channel.id, name: channel.name, is_channel: false, is_group: true, is_im: false, is_mpim: true, is_private: true,
        created: channel.created, is_archived: false, is_general: false, unlinked: 0, name_normalized: channel.name,
        is_shared: false, is_org_shared: false, context_team_id: channel.teamId, updated: channel.created * 1000,
        creator: channel.creator, is_member: channel.members.has(viewerId), topic: channel.topic, purpose: channel.purpose,
        ...(options.numMembers ? { num_members: channel.members.size } : {}),
      };
    }
    return {
      id: channel.id, name: channel.name, is_channel: true, is_group: false, is_im: false, is_mpim: false,
      is_private: channel.isPrivate, created: channel.created, is_archived: channel.isArchived, is_general: channel.isGeneral,
      unlinked: 0, name_normalized: channel.name, is_shared: false, is_org_shared: false, is_pending_ext_shared: false,
      pending_shared: [], context_team_id: channel.teamId, updated: channel.created * 1000, parent_conversation: null,
      creator: channel.creator, is_ext_shared: false, shared_team_ids: [channel.teamId], pending_connected_team_ids: [],
      is_member: channel.members.has(viewerId), topic: channel.topic, purpose: channel.purpose, previous_names: channel.previousNames,
      ...(options.numMembers ? { num_members: channel.members.size } : {}),
    };
  }

  /** A usergroup object as usergroups.list returns it; `users` only when the caller asked (include_users). */
  usergroup(team: Team, group: Usergroup, options: { users: boolean; count: boolean }): Json {
    return {
      id: group.id, team_id: team.id, is_usergroup: true, is_subteam: true, name: group.name, description: group.description,
      handle: group.handle, is_external: false, date_create: group.created, date_update: group.created, date_delete: group.disabled,
      auto_type: null, created_by: group.createdBy, updated_by: group.createdBy, deleted_by: null, prefs: { channels: [], groups: [] },
      ...(options.users ? { users: group.users } : {}),
      ...(options.count ? { user_count: group.users.length } : {}),
    };
  }

  team(team: Team): Json {
    const icon: Json = team.iconUrl
      ? Object.fromEntries([34, 44, 68, 88, 102, 132, 230].map((size) => [`image_${size}`, team.iconUrl]))
      : { image_default: true };
    return {
      id: team.id, name: team.name, url: this.urls.workspace(team), domain: team.domain, email_domain: "", icon,
      avatar_base_url: "https://ca.slack-edge.com/", is_verified: false, lob_sales_home_enabled: false,
    };
  }
}

/** `channel_type` as message events spell it: "channel" for public, "group" for private channels, "im" and "mpim". */
export function channelType(channel: Channel): string {
  if (channel.kind !== "channel") return channel.kind;
  return channel.isPrivate ? "group" : "channel";
}
