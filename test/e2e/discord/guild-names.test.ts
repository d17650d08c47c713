// One Discord person in two bridged guilds, with a different nick in each: each guild's rooms
// show that guild's nick, and talking in both does not rename them back and forth everywhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { eventually, ghostOf, openPortal, startDiscordBridge, withBody, type DiscordBridge } from "./discord-bridge.js";

let bridge: DiscordBridge;
let secondGuild: string;
let secondChannel: string;
let secondRoom: string;

beforeAll(async () => {
  bridge = await startDiscordBridge();
  secondGuild = bridge.sim.createGuild({ name: "Second Server" });
  secondChannel = bridge.sim.createChannel(secondGuild, { name: "elsewhere" });
  bridge.sim.addMember(secondGuild, bridge.bob, { nick: "Builder Bob" });
  secondRoom = await openPortal(bridge.admin, secondGuild, secondChannel);
  await bridge.alice.joinRoom(secondRoom);
});

afterAll(async () => {
  await bridge?.stop();
});

const memberEventsOf = (userId: string) => (event: MatrixEvent) => event.type === "m.room.member" && event.state_key === userId;

async function nameIn(roomId: string, userId: string): Promise<string | undefined> {
  return (await bridge.alice.joinedMembers(roomId))[userId]?.display_name;
}

describe("a person with a different nick in each of two guilds", () => {
  it("is named by each guild's nick in that guild's rooms, and by the first guild's in the profile", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.userSendsMessage(channelId, bob, { content: "hello from the first server" });
    await alice.waitForEvent(roomId, withBody("hello from the first server"));
    sim.userSendsMessage(secondChannel, bob, { content: "hello from the second server" });
    await alice.waitForEvent(secondRoom, withBody("hello from the second server"));

    expect((await alice.getProfile(ghostOf(bob))).displayname).toBe("Bob the Builder");
    expect(await nameIn(roomId, ghostOf(bob))).toBe("Bob the Builder");
    expect(await nameIn(secondRoom, ghostOf(bob))).toBe("Builder Bob");
  });

  it("is not renamed in every room as they talk in one guild and then the other", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const membershipsBefore = (await alice.roomMessages(roomId, { limit: 100 })).filter(memberEventsOf(ghostOf(bob))).length;
    for (let turn = 0; turn < 3; turn++) {
      sim.userSendsMessage(channelId, bob, { content: `first server, turn ${turn}` });
      await alice.waitForEvent(roomId, withBody(`first server, turn ${turn}`));
      sim.userSendsMessage(secondChannel, bob, { content: `second server, turn ${turn}` });
      await alice.waitForEvent(secondRoom, withBody(`second server, turn ${turn}`));
    }
    const membershipsAfter = (await alice.roomMessages(roomId, { limit: 100 })).filter(memberEventsOf(ghostOf(bob))).length;
    expect(membershipsAfter).toBe(membershipsBefore);
    expect(await nameIn(roomId, ghostOf(bob))).toBe("Bob the Builder");
    expect(await nameIn(secondRoom, ghostOf(bob))).toBe("Builder Bob");
  });

  it("keeps the second guild's nick there when the first guild's nick changes", async () => {
    const { sim, alice, roomId, channelId, guildId, bob } = bridge;
    sim.updateMember(guildId, bob, { nick: "Robert" });
    await eventually(async () => expect((await alice.getProfile(ghostOf(bob))).displayname).toBe("Robert"));
    sim.userSendsMessage(channelId, bob, { content: "renamed on the first server" });
    await alice.waitForEvent(roomId, withBody("renamed on the first server"));
    sim.userSendsMessage(secondChannel, bob, { content: "still Builder Bob here" });
    await alice.waitForEvent(secondRoom, withBody("still Builder Bob here"));
    expect(await nameIn(roomId, ghostOf(bob))).toBe("Robert");
    // The homeserver copies the new profile into every room in the background, before or after
    // that message; either way the second guild's nick is put back there.
    await eventually(async () => expect(await nameIn(secondRoom, ghostOf(bob))).toBe("Builder Bob"));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await nameIn(secondRoom, ghostOf(bob))).toBe("Builder Bob");
  });
});
