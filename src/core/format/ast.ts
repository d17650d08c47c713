/**
 * The network-neutral shape of formatted text. Every network's markup is parsed into
 * this tree and rendered from it, and so is Matrix HTML, so each network needs one
 * parser and one renderer instead of one converter per pair of networks.
 *
 * Identifiers inside the tree are Matrix ones: a parser of remote markup resolves
 * remote users and channels through its lookup context, and a renderer for a remote
 * network maps them back the same way.
 */

export type Inline =
  | { type: "text"; text: string }
  | { type: "bold" | "italic" | "underline" | "strike" | "spoiler"; children: Inline[] }
  | { type: "code"; text: string }
  | { type: "link"; href: string; children: Inline[] }
  /** A person: a Matrix user id, which may be a ghost of a remote user. */
  | { type: "user_mention"; userId: string; label: string }
  /** A room: a Matrix room id or alias, shown as a link to it. */
  | { type: "room_mention"; roomIdOrAlias: string; label: string }
  /** `@room` on Matrix, `@everyone`/`@here`/`<!channel>` on the networks. */
  | { type: "room_ping" }
  /** A custom emoji drawn as an image; `imageUrl` is a remote https URL or an mxc:// URI. */
  | { type: "emoji"; name: string; imageUrl: string; animated?: boolean }
  | { type: "line_break" };

export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: "code_block"; language?: string; text: string }
  | { type: "quote"; children: Block[] }
  | { type: "list"; ordered: boolean; start?: number; items: Block[][] }
  | { type: "rule" };

/** A whole message body. */
export type Document = Block[];

export type InlineOf<T extends Inline["type"]> = Extract<Inline, { type: T }>;
export type BlockOf<T extends Block["type"]> = Extract<Block, { type: T }>;
