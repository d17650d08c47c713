import { describe, expect, it } from "vitest";
import { CommandDispatcher, parseCommand } from "../../../src/core/commands/dispatcher.js";
import { Permissions } from "../../../src/core/permissions.js";
import type { BotCommand } from "../../../src/core/commands/command.js";

const namespaces = new Set(["parley", "discord"]);

describe("parseCommand", () => {
  it.each([
    ["!parley ping", false, { namespace: "parley", name: "ping", args: [] }],
    ["  !discord bridge 1 2 ", false, { namespace: "discord", name: "bridge", args: ["1", "2"] }],
    ["!discord", false, { namespace: "discord", name: "help", args: [] }],
    ["!PARLEY Ping", false, { namespace: "parley", name: "ping", args: [] }],
    ["ping", true, { namespace: "parley", name: "ping", args: [] }],
    ["discord link", true, { namespace: "discord", name: "link", args: [] }],
    ["!ping", true, { namespace: "parley", name: "ping", args: [] }],
    ["whoami please", true, { namespace: "parley", name: "whoami", args: ["please"] }],
  ])("%j (direct: %s) is a command", (text, isDirect, expected) => {
    expect(parseCommand(text, "!", namespaces, isDirect)).toEqual(expected);
  });

  it.each([
    ["hello everyone", false],
    ["!other-bot do things", false],
    ["ping", false],
    ["I said !parley ping", false],
  ])("%j (direct: %s) is ordinary chat", (text, isDirect) => {
    expect(parseCommand(text, "!", namespaces, isDirect)).toBeUndefined();
  });
});

describe("CommandDispatcher", () => {
  const run = async (sender: string, text: string, isDirect = true) => {
    const dispatcher = new CommandDispatcher("!", new Permissions([
      { subject: "*", level: "relay" }, { subject: "@admin:hs", level: "admin" }, { subject: "@banned:hs", level: "none" },
    ]));
    const ran: string[] = [];
    const command = (name: string, level: BotCommand["level"], directOnly = false): BotCommand => ({
      name, usage: name, summary: `does ${name}`, level, directOnly, run: async (context) => { ran.push(`${name}:${context.args.join(",")}`); },
    });
    dispatcher.register("parley", [command("ping", "relay"), command("secret", "user", true), command("status", "admin")]);
    const replies: string[] = [];
    const handled = await dispatcher.handle(text, { sender, roomId: "!r:hs", eventId: "$e", isDirect, reply: async (t) => { replies.push(t); } });
    return { handled, ran, replies, help: dispatcher.describe(sender) };
  };

  it("runs a permitted command with its arguments", async () => {
    expect(await run("@u:hs", "ping a b")).toMatchObject({ handled: true, ran: ["ping:a,b"], replies: [] });
  });

  it("refuses politely who the permissions leave out", async () => {
    const result = await run("@banned:hs", "ping");
    expect(result.ran).toEqual([]);
    expect(result.replies).toEqual(["Sorry, you are not allowed to use this bridge. Ask its administrator if you think you should be."]);
  });

  it("says which level a command needs", async () => {
    const result = await run("@u:hs", "status");
    expect(result.ran).toEqual([]);
    expect(result.replies[0]).toBe('Sorry, "!parley status" needs the admin permission level, and yours is relay.');
  });

  it("answers an unknown command with where to find help", async () => {
    expect((await run("@u:hs", "dance")).replies).toEqual(['I don\'t know the command "dance". Send "!parley help" to see what I can do.']);
  });

  it("keeps secret commands to private chats", async () => {
    const result = await run("@admin:hs", "!parley secret", false);
    expect(result.ran).toEqual([]);
    expect(result.replies[0]).toContain("only works in a private chat");
  });

  it("lists in help only what the user may run", async () => {
    expect((await run("@u:hs", "ping")).help).toEqual(["!parley ping — does ping"]);
    expect((await run("@admin:hs", "ping")).help).toHaveLength(3);
  });
});
