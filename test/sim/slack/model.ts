// The simulator's stored world. These are our own records; what Slack sends on the wire is built from them
// in serialize.ts, so one stored message looks the same in history, in events and in API responses.

export type Json = Record<string, unknown>;

export interface AppCredentials {
  id: string;
  /** xapp- token: only good for apps.connections.open. */
  token: string;
  signingSecret: string;
  /** The deprecated `token` field Slack still puts in every event_callback. */
  verificationToken: string;
  clientId: string;
  clientSecret: string;
}

export interface Team {
  id: string;
  name: string;
  domain: string;
  iconUrl?: string;
  created: number;
  app: AppCredentials;
  /** The app's bot: its bots.info id, its bot user and the xoxb- token. */
  bot: { id: string; userId: string; token: string; scopes: string[] };
  /** When set, events go to this Events API request URL over HTTP instead of Socket Mode. */
  requestUrl?: string;
  /** Custom emoji: name -> image URL, or "alias:other_name". */
  emoji: Map<string, string>;
  /** User groups (`@oncall`), by S… id. */
  usergroups: Map<string, Usergroup>;
}

export interface Usergroup {
  id: string;
  name: string;
  /** What people type after @ to mention the group. */
  handle: string;
  description: string;
  created: number;
  createdBy: string;
  users: string[];
  /** Unix time the group was disabled; 0 while it is active. */
  disabled: number;
}

export interface UserProfile {
  real_name: string;
  display_name: string;
  first_name: string;
  last_name: string;
  title: string;
  status_text: string;
  status_emoji: string;
  email?: string;
  image_24: string;
  image_32: string;
  image_48: string;
  image_72: string;
  image_192: string;
  image_512: string;
  image_original?: string;
  avatar_hash: string;
}

export interface User {
  id: string;
  teamId: string;
  name: string;
  deleted: boolean;
  isAdmin: boolean;
  /** Bot users (the app's own) carry the bot id in their profile, as Slack does. */
  botId?: string;
  appId?: string;
  color: string;
  tz: string;
  profile: UserProfile;
  updated: number;
}

/** A bot as bots.info describes it: the app's own, or another integration posting bot_message. */
export interface Bot {
  id: string;
  teamId: string;
  name: string;
  appId?: string;
  userId?: string;
  icons: Record<string, string>;
  updated: number;
}

export interface TopicOrPurpose {
  value: string;
  creator: string;
  last_set: number;
}

export interface Channel {
  id: string;
  teamId: string;
  /** A channel (public or private), a direct message (D…) or a group direct message. */
  kind: "channel" | "im" | "mpim";
  name: string;
  /** Direct messages are private: only their members see them. */
  isPrivate: boolean;
  isArchived: boolean;
  isGeneral: boolean;
  created: number;
  creator: string;
  topic: TopicOrPurpose;
  purpose: TopicOrPurpose;
  members: Set<string>;
  previousNames: string[];
  /** Every message in ts order, thread replies included. */
  messages: Message[];
}

export interface Reaction {
  name: string;
  users: string[];
}

export interface Message {
  ts: string;
  channelId: string;
  teamId: string;
  subtype?: string;
  /** Absent for bot_message posts, which have only bot_id. */
  user?: string;
  botId?: string;
  appId?: string;
  /** Per-message identity override (chat:write.customize) or an integration's name. */
  username?: string;
  icons?: Record<string, string>;
  text: string;
  blocks?: Json[];
  attachments?: Json[];
  fileIds: string[];
  /** Only messages typed in a Slack client carry client_msg_id. */
  clientMsgId?: string;
  /** Set on replies, and on a root once it has replies. */
  threadTs?: string;
  edited?: { user: string; ts: string };
  /** Message metadata an app attached ({event_type, event_payload}); history shows it on request. */
  metadata?: Json;
  reactions: Reaction[];
  /** Subtype-specific fields kept verbatim: topic, purpose, name, old_name, inviter, hidden... */
  extra: Json;
}

export interface StoredFile {
  id: string;
  teamId: string;
  userId: string;
  created: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  prettyType: string;
  mode: "hosted" | "snippet";
  altText?: string;
  /** Null until the bytes reach the upload URL (files.uploadV2's second step). */
  bytes: Buffer | null;
  /** What files.getUploadURLExternal was told, checked against what arrives. */
  declaredLength?: number;
  shares: { channelId: string; ts: string }[];
}

export type TokenOwner =
  | { kind: "bot"; teamId: string; userId: string }
  | { kind: "user"; teamId: string; userId: string; scopes: string[] }
  | { kind: "app"; teamId: string };
