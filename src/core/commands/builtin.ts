import { PARLEY_VERSION } from "../../version.js";
import { escapeHtml } from "../format/escape-html.js";
import type { Permissions } from "../permissions.js";
import type { Store } from "../../store/store.js";
import type { BotCommand } from "./command.js";
import type { CommandDispatcher } from "./dispatcher.js";

export interface NetworkStatus {
  network: string;
  displayName: string;
  connected: boolean;
  lastError?: string;
}

export interface BuiltinDependencies {
  dispatcher: CommandDispatcher;
  permissions: Permissions;
  store: Store;
  networks: () => NetworkStatus[];
  /** Matrix events waiting in room queues. */
  queueDepth: () => number;
}

/** The commands every Parley answers, whatever networks are enabled. */
export function builtinCommands(deps: BuiltinDependencies): BotCommand[] {
  return [
    {
      name: "help",
      usage: "help",
      summary: "list the commands you can use",
      level: "relay",
      async run(context) {
        const lines = deps.dispatcher.describe(context.sender);
        await context.reply(
          `Parley bridges this Matrix server to ${deps.networks().map((n) => n.displayName).join(" and ") || "no network yet"}. ` +
            `Commands you can use:\n${lines.join("\n")}`,
          `<p>Parley bridges this Matrix server to ${deps.networks().map((n) => escapeHtml(n.displayName)).join(" and ") || "no network yet"}. ` +
            `Commands you can use:</p><ul>${lines.map((line) => `<li><code>${escapeHtml(line.split(" — ")[0] ?? "")}</code> — ${escapeHtml(line.split(" — ")[1] ?? "")}</li>`).join("")}</ul>`,
        );
      },
    },
    {
      name: "ping",
      usage: "ping",
      summary: "check that the bridge is alive",
      level: "relay",
      async run(context) {
        const states = deps.networks().map((n) => `${n.displayName}: ${n.connected ? "connected" : "not connected"}`);
        await context.reply(`Pong! Parley ${PARLEY_VERSION} is running.${states.length ? ` ${states.join(", ")}.` : ""}`);
      },
    },
    {
      name: "version",
      usage: "version",
      summary: "show which Parley this is",
      level: "relay",
      async run(context) {
        await context.reply(`Parley ${PARLEY_VERSION} (Node.js ${process.versions.node})`);
      },
    },
    {
      name: "whoami",
      usage: "whoami",
      summary: "show your permission level and linked accounts",
      level: "relay",
      async run(context) {
        const links = await deps.store.getUserLinks(context.sender);
        const linked = links.length === 0
          ? "You have not linked any account."
          : `Linked accounts: ${links.map((link) => `${link.network} ${link.remoteUserId}${link.status === "broken" ? " (needs relinking)" : ""}`).join(", ")}.`;
        await context.reply(`You are ${context.sender}, with the ${deps.permissions.levelOf(context.sender)} permission level. ${linked}`);
      },
    },
    {
      name: "status",
      usage: "status",
      summary: "show each network's connection, the queue depth and the last error",
      level: "admin",
      async run(context) {
        const lines = deps.networks().map((n) =>
          `${n.displayName}: ${n.connected ? "connected" : "disconnected"}${n.lastError ? `; last error: ${n.lastError}` : ""}`);
        lines.push(`Matrix events queued: ${deps.queueDepth()}`);
        await context.reply(lines.join("\n"));
      },
    },
  ];
}
