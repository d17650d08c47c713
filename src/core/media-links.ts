/**
 * Public links to Matrix media. Homeserver media needs authentication to download now,
 * so the remote networks cannot fetch a Matrix avatar or a large file themselves:
 * Parley serves it from its own public URL under a signed path, never exposing the
 * homeserver or a token.
 */
export interface MediaLinks {
  /** A stable URL of an avatar (stable so the networks can cache it). */
  avatarUrl(mxc: string): string;
  /** A URL of a file, with its name, for files too large to upload to a network. */
  fileUrl(mxc: string, filename: string): string;
}
