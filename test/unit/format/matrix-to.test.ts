import { describe, expect, it } from "vitest";
import { matrixToLink, parseMatrixToLink, type MatrixLinkTarget } from "../../../src/core/format/matrix-to.js";

const cases: [string, MatrixLinkTarget | undefined][] = [
  ["https://matrix.to/#/@alice:example.org", { kind: "user", userId: "@alice:example.org" }],
  ["https://matrix.to/#/%40alice%3Aexample.org", { kind: "user", userId: "@alice:example.org" }],
  ["http://MATRIX.TO/#/@alice:example.org", { kind: "user", userId: "@alice:example.org" }],
  ["https://matrix.to#/@alice:example.org", { kind: "user", userId: "@alice:example.org" }],
  ["https://matrix.to/#/@alice:example.org?via=example.org", { kind: "user", userId: "@alice:example.org" }],
  ["https://matrix.to/#/@a/b:x.org", { kind: "user", userId: "@a/b:x.org" }],
  ["https://matrix.to/#/@me:[::1]:8448", { kind: "user", userId: "@me:[::1]:8448" }],
  ["https://matrix.to/#/#room:example.org?via=a.org&via=b.org", { kind: "room", roomIdOrAlias: "#room:example.org", via: ["a.org", "b.org"] }],
  ["https://matrix.to/#/%23worm-farm%3Acadence.moe?via=cadence.moe", { kind: "room", roomIdOrAlias: "#worm-farm:cadence.moe", via: ["cadence.moe"] }],
  ["https://matrix.to/#/!BnKuBPCvyfOkhcUjEu:cadence.moe", { kind: "room", roomIdOrAlias: "!BnKuBPCvyfOkhcUjEu:cadence.moe", via: [] }],
  ["https://matrix.to/#/!Xq3620DUiqCaoxq-5r1pXh7PBrXUfkmRs0WUi1nnoYQ", { kind: "room", roomIdOrAlias: "!Xq3620DUiqCaoxq-5r1pXh7PBrXUfkmRs0WUi1nnoYQ", via: [] }],
  [
    "https://matrix.to/#/!fGgIymcYWOqjbSRUdV:cadence.moe/$Fxy8SMoJuTduwReVkHZ1uHif9EuvNx36Hg79cltiA04?via=cadence.moe&via=feather.onl",
    { kind: "event", roomIdOrAlias: "!fGgIymcYWOqjbSRUdV:cadence.moe", eventId: "$Fxy8SMoJuTduwReVkHZ1uHif9EuvNx36Hg79cltiA04", via: ["cadence.moe", "feather.onl"] },
  ],
  ["https://matrix.to/#/!r:x.org/%24ev", { kind: "event", roomIdOrAlias: "!r:x.org", eventId: "$ev", via: [] }],
  ["https://matrix.to/#/#room:x.org/$v3/base64+id", { kind: "event", roomIdOrAlias: "#room:x.org", eventId: "$v3/base64+id", via: [] }],
  ["matrix:u/alice:example.org?action=chat", { kind: "user", userId: "@alice:example.org" }],
  ["MATRIX:u/alice:example.org", { kind: "user", userId: "@alice:example.org" }],
  ["matrix:r/room:example.org", { kind: "room", roomIdOrAlias: "#room:example.org", via: [] }],
  ["matrix:roomid/room:example.org/e/event?via=elsewhere.ca", { kind: "event", roomIdOrAlias: "!room:example.org", eventId: "$event", via: ["elsewhere.ca"] }],
  ["https://matrix.to/#/@nocolon", undefined],
  ["https://matrix.to/#/alice", undefined],
  ["https://matrix.to/#/@al ice:example.org", undefined],
  ["https://matrix.to/#/@alice:exa_mple.org", undefined],
  ["https://matrix.to/#/%E0%A4%A", undefined],
  [`https://matrix.to/#/@${"a".repeat(300)}:x.org`, undefined],
  ["https://matrix.to/#/!r:x.org/$", undefined],
  ["https://example.org/#/@alice:example.org", undefined],
  ["https://matrix.to.evil.example/#/@alice:example.org", undefined],
  ["matrix:x/alice:example.org", undefined],
  ["matrix:u/alice:example.org/e/event", undefined],
  ["", undefined],
];

describe("parseMatrixToLink", () => {
  it.each(cases)("%s", (href, expected) => {
    expect(parseMatrixToLink(href)).toStrictEqual(expected);
  });
});

describe("matrixToLink", () => {
  it.each([
    ["@alice:example.org", {}, "https://matrix.to/#/@alice:example.org"],
    ["#room:example.org", {}, "https://matrix.to/#/#room:example.org"],
    ["@a/b:x.org", {}, "https://matrix.to/#/@a%2Fb:x.org"],
    ["@we?ird:x.org", {}, "https://matrix.to/#/@we%3Fird:x.org"],
    ["@me:[::1]:8448", {}, "https://matrix.to/#/@me:[::1]:8448"],
    ["!room:x.org", { eventId: "$ev", via: ["a.org", "b.org"] }, "https://matrix.to/#/!room:x.org/$ev?via=a.org&via=b.org"],
  ] satisfies [string, Parameters<typeof matrixToLink>[1], string][])("%s %o", (id, options, expected) => {
    expect(matrixToLink(id, options)).toBe(expected);
  });

  it.each(["@alice:example.org", "@a/b:x.org", "@we?ird:x.org", "#room/with?odd&chars:x.org", "!opaque+id=:x.org"])("reads back %s", (id) => {
    const target = parseMatrixToLink(matrixToLink(id));
    expect(target?.kind === "user" ? target.userId : target?.kind === "room" ? target.roomIdOrAlias : undefined).toBe(id);
  });

  it("reads back an event link with its servers", () => {
    expect(parseMatrixToLink(matrixToLink("#r:x.org", { eventId: "$a/b+c", via: ["x.org"] }))).toStrictEqual({
      kind: "event",
      roomIdOrAlias: "#r:x.org",
      eventId: "$a/b+c",
      via: ["x.org"],
    });
  });
});
