import { PermissionFlagsBits, PermissionsBitField } from "discord.js";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOT_PERMISSIONS_INTEGER, REQUIRED_BOT_PERMISSIONS } from "../../../src/connectors/discord/permissions.js";

describe("the bot's permissions", () => {
  it("are the ones README's invite link grants", () => {
    const readme = readFileSync("README.md", "utf8");
    const invite = /oauth2\/authorize\?client_id=APPLICATION_ID&scope=bot&permissions=(\d+)/.exec(readme)?.[1];
    expect(invite).toBe(BOT_PERMISSIONS_INTEGER.toString());
  });

  it("include what bridging needs and nothing that administers the server", () => {
    const granted = new PermissionsBitField(BOT_PERMISSIONS_INTEGER);
    expect(granted.has(PermissionFlagsBits.ManageWebhooks)).toBe(true);
    expect(granted.has(PermissionFlagsBits.ReadMessageHistory)).toBe(true);
    for (const dangerous of [PermissionFlagsBits.Administrator, PermissionFlagsBits.ManageGuild, PermissionFlagsBits.ManageRoles, PermissionFlagsBits.BanMembers]) {
      expect(granted.has(dangerous)).toBe(false);
    }
    expect(new Set(REQUIRED_BOT_PERMISSIONS.map(([, name]) => name)).size).toBe(REQUIRED_BOT_PERMISSIONS.length);
  });
});
