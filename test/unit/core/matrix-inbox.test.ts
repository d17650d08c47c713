import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import winston from "winston";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeyedQueue } from "../../../src/core/keyed-queue.js";
import type { MatrixEvent } from "../../../src/core/matrix-api.js";
import { MatrixInbox } from "../../../src/core/matrix-inbox.js";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store.js";

const ROOM = "!room:localhost";
const log = winston.createLogger({ silent: true });

function message(body: string): MatrixEvent {
  return {
    event_id: `$${body}`, room_id: ROOM, sender: "@alice:localhost", type: "m.room.message",
    origin_server_ts: 1_700_000_000_000, content: { msgtype: "m.text", body },
  };
}

let dir: string;
let store: SqliteStore;
let handled: { body: string; resumed: boolean }[];
let queue: KeyedQueue;

function inbox(): MatrixInbox {
  const record = async (event: MatrixEvent, resumed: boolean) => { handled.push({ body: String(event.content.body), resumed }); };
  return new MatrixInbox(store, queue, record, () => false, log);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-inbox-"));
  store = new SqliteStore(join(dir, "parley.db"));
  handled = [];
  queue = new KeyedQueue(() => undefined);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("MatrixInbox", () => {
  it("keeps a room's order when a transaction arrives while start() reads the backlog", async () => {
    const matrixInbox = inbox();
    await matrixInbox.accept([message("first")], "1");
    // The second transaction is being stored at the moment the networks come up.
    const accepting = matrixInbox.accept([message("second")], "2");
    const starting = matrixInbox.start();
    await Promise.all([accepting, starting]);
    await matrixInbox.accept([message("third")], "3");
    await queue.drain();
    expect(handled.map((item) => item.body)).toEqual(["first", "second", "third"]);
  });

  it("resumes what an earlier process stored but did not finish, once", async () => {
    await inbox().accept([message("left over")], "1");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const restarted = inbox();
    await restarted.start();
    // The homeserver redelivers the unacknowledged transaction after the restart.
    await restarted.accept([message("left over"), message("new")], "1");
    await queue.drain();
    expect(handled).toEqual([{ body: "left over", resumed: true }, { body: "new", resumed: false }]);
  });
});
