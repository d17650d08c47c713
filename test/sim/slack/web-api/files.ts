// The external upload flow behind files.uploadV2: files.getUploadURLExternal reserves a file and returns where
// to send its bytes, the bytes are POSTed there (see file-server.ts), and files.completeUploadExternal shares
// the finished files into a channel or thread as one file_share message. Plus files.info.
import { postMessage, type Author } from "../actions/messages.js";
import { describeFile } from "../file-types.js";
import { slackId } from "../ids.js";
import { normalizeApiText } from "../mrkdwn.js";
import type { Json, StoredFile } from "../model.js";
import { channelArg, forBotsAndUsers, type ApiCall, type MethodTable } from "./method.js";
import { SlackApiError } from "./params.js";

function fileArg(call: ApiCall, id: string): StoredFile {
  const file = call.deps.context.state.files.get(id);
  if (!file || file.teamId !== call.caller.team.id) throw new SlackApiError("file_not_found");
  return file;
}

function uploader(call: ApiCall): Author {
  return call.caller.kind === "user" ? { kind: "user", userId: call.caller.userId! } : { kind: "app", team: call.caller.team };
}

export const fileMethods: MethodTable = {
  "files.getUploadURLExternal": forBotsAndUsers((call) => {
    const { state, clock } = call.deps.context;
    const name = call.params.require("filename");
    const length = call.params.int("length");
    if (length === undefined || length < 0) throw new SlackApiError("invalid_arguments");
    const snippetType = call.params.string("snippet_type");
    const kind = describeFile(name, { filetype: snippetType });
    const file: StoredFile = {
      id: slackId("F"), teamId: call.caller.team.id, userId: call.caller.userId!, created: clock.seconds(), name, title: name,
      mimetype: kind.mimetype, filetype: kind.filetype, prettyType: kind.prettyType, mode: snippetType ? "snippet" : "hosted",
      altText: call.params.string("alt_text"), bytes: null, declaredLength: length, shares: [],
    };
    state.files.set(file.id, file);
    return { upload_url: call.deps.urls.upload(file.id), file_id: file.id };
  }),

  "files.completeUploadExternal": forBotsAndUsers((call) => {
    const entries = call.params.json<{ id: string; title?: string }[]>("files");
    if (!Array.isArray(entries) || entries.length === 0) throw new SlackApiError("invalid_arguments");
    const files = entries.map((entry) => {
      const file = fileArg(call, entry.id);
      // A file whose bytes never arrived cannot be completed.
      if (!file.bytes) throw new SlackApiError("file_not_found");
      if (entry.title) file.title = entry.title;
      return file;
    });
    if (call.params.string("channel_id")) {
      const channel = channelArg(call, "channel_id");
      if (!channel.members.has(call.caller.userId!)) throw new SlackApiError("not_in_channel");
      const comment = call.params.string("initial_comment");
      postMessage(
        call.deps.context, channel, uploader(call),
        { text: comment ? normalizeApiText(comment) : "", blocks: call.params.json<Json[]>("blocks", "invalid_blocks") },
        { threadTs: call.params.string("thread_ts"), fileIds: files.map((file) => file.id) },
      );
    }
    return { files: files.map((file) => ({ id: file.id, title: file.title })) };
  }),

  "files.info": forBotsAndUsers((call) => ({
    file: call.deps.context.serialize.fileInfo(fileArg(call, call.params.require("file", "file_not_found"))),
    comments: [],
    response_metadata: { next_cursor: "" },
  })),
};
