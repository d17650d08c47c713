import { describe, expect, it } from "vitest";
import { mediaKindOf } from "../../../src/core/media-kind.js";

describe("media kinds", () => {
  it.each([
    ["image/gif", "image"],
    ["video/quicktime", "video"],
    ["audio/ogg", "audio"],
    ["Image/PNG", "image"],
    ["text/plain; charset=utf-8", "file"],
    ["application/zip", "file"],
    ["imagery/x", "file"],
    [undefined, "file"],
  ])("%s is %s", (mimetype, kind) => {
    expect(mediaKindOf(mimetype)).toBe(kind);
  });
});
