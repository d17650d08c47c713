import { ChannelType, GatewayDispatchEvents as E, MessageFlags, MessageType } from "discord.js";
import { errors, invalidField } from "./errors.js";
import type { Dispatcher } from "./gateway.js";
import type { MessageDraft, MessageService } from "./messages.js";
import type { Author, ChannelRecord, MessageRecord, ThreadState } from "./model.js";
import type { Payloads } from "./payloads.js";
import type { SimState } from "./state.js";

export type ThreadType = ChannelType.PublicThread | ChannelType.PrivateThread | ChannelType.AnnouncementThread;

export interface ThreadOptions {
  name: string;
  autoArchiveDuration?: ThreadState["autoArchiveDuration"];
}

const THREAD_PARENTS = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

/** The three ways threads come to be: from a message, on their own, and as a forum post. */
export class ThreadService {
  constructor(
    private readonly state: SimState,
    private readonly payloads: Payloads,
    private readonly messages: MessageService,
    private readonly gateway: Dispatcher,
  ) {}

  /** The thread takes the message's id; the message gains HAS_THREAD and a `thread` field. */
  fromMessage(message: MessageRecord, ownerId: string, options: ThreadOptions): ChannelRecord {
    const parent = this.state.channel(message.channelId);
    if (!THREAD_PARENTS.has(parent.type)) throw errors.wrongChannelType();
    if (message.startedThreadId) throw errors.threadAlreadyExists();
    const type = parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
    const thread = this.open(message.id, parent, type, ownerId, options);
    message.startedThreadId = thread.id;
    message.flags |= MessageFlags.HasThread;
    this.announce(thread);
    return thread;
  }

  /** Without `type` Discord (API v9 and v10) makes a private thread. Public ones get a THREAD_CREATED notice. */
  standalone(parentId: string, ownerId: string, options: ThreadOptions & { type?: ThreadType }): ChannelRecord {
    const parent = this.state.channel(parentId);
    if (!THREAD_PARENTS.has(parent.type)) throw errors.wrongChannelType();
    const thread = this.open(this.state.ids.next(), parent, options.type ?? ChannelType.PrivateThread, ownerId, options);
    this.announce(thread);
    if (thread.type !== ChannelType.PrivateThread) {
      this.messages.system(parentId, ownerId, MessageType.ThreadCreated, thread.name, thread.id);
    }
    return thread;
  }

  /** A forum post is a thread whose first message has the thread's id. */
  forumPost(forumId: string, author: Author, options: ThreadOptions, draft: MessageDraft): { thread: ChannelRecord; message: MessageRecord } {
    const forum = this.state.channel(forumId);
    if (forum.type !== ChannelType.GuildForum && forum.type !== ChannelType.GuildMedia) throw errors.wrongChannelType();
    this.messages.validateDraft(draft);
    const ownerId = author.kind === "user" ? author.userId : author.webhookId;
    const thread = this.open(this.state.ids.next(), forum, ChannelType.PublicThread, ownerId, options);
    this.announce(thread);
    const { message } = this.messages.create(thread.id, author, draft, thread.id);
    forum.lastMessageId = thread.id;
    return { thread, message };
  }

  private open(id: string, parent: ChannelRecord, type: ThreadType, ownerId: string, options: ThreadOptions): ChannelRecord {
    const name = options.name.trim();
    if (name.length < 1 || name.length > 100) {
      throw invalidField("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
    }
    const now = this.state.now();
    const thread: ChannelRecord = {
      id,
      guildId: parent.guildId,
      type,
      name,
      topic: null,
      position: 0,
      parentId: parent.id,
      nsfw: parent.nsfw,
      lastMessageId: null,
      overwrites: [],
      thread: {
        ownerId,
        archived: false,
        locked: false,
        autoArchiveDuration: options.autoArchiveDuration ?? 1440,
        archiveTimestamp: now,
        createdAt: now,
        messageCount: 0,
        totalMessageSent: 0,
        memberIds: new Set([ownerId]),
      },
    };
    this.state.channels.set(id, thread);
    return thread;
  }

  private announce(thread: ChannelRecord): void {
    this.gateway.dispatch(E.ThreadCreate, { ...this.payloads.channel(thread), newly_created: true }, { channelId: thread.id });
  }
}
