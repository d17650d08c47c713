// Where things live. Slack spreads them over slack.com, files.slack.com, wss-primary.slack.com and
// emoji.slack-edge.com; the simulator serves everything a client fetches from its one loopback origin, and
// keeps workspace permalinks on {domain}.slack.com since nothing fetches those.
import type { StoredFile, Team } from "./model.js";

export class SimUrls {
  constructor(readonly origin: string) {}

  get api(): string {
    return `${this.origin}/api/`;
  }

  socket(ticket: string, appId: string): string {
    return `${this.origin.replace(/^http/, "ws")}/link/?ticket=${ticket}&app_id=${appId}`;
  }

  upload(fileId: string): string {
    return `${this.origin}/upload/v1/${fileId}`;
  }

  filePrivate(file: StoredFile): string {
    return `${this.origin}/files-pri/${file.teamId}-${file.id}/${encodeURIComponent(file.name)}`;
  }

  fileDownload(file: StoredFile): string {
    return `${this.origin}/files-pri/${file.teamId}-${file.id}/download/${encodeURIComponent(file.name)}`;
  }

  thumbnail(file: StoredFile, size: number): string {
    return `${this.origin}/files-tmb/${file.teamId}-${file.id}/${encodeURIComponent(file.name)}_${size}`;
  }

  emoji(teamId: string, name: string): string {
    return `${this.origin}/emoji/${teamId}/${encodeURIComponent(name)}`;
  }

  avatar(userId: string, size: number): string {
    return `${this.origin}/avatars/${userId}/${size}`;
  }

  signIn(redirectPath: string): string {
    return `${this.origin}/?redir=${encodeURIComponent(redirectPath)}`;
  }

  workspace(team: Team): string {
    return `https://${team.domain}.slack.com/`;
  }

  messagePermalink(team: Team, channelId: string, ts: string, threadTs?: string): string {
    const base = `${this.workspace(team)}archives/${channelId}/p${ts.replace(".", "")}`;
    return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channelId}` : base;
  }

  filePermalink(team: Team, file: StoredFile): string {
    return `${this.workspace(team)}files/${file.userId}/${file.id}/${encodeURIComponent(file.name)}`;
  }
}
