import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import winston from "winston";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Connector } from "../../../src/core/connector.js";
import type { RemoteEvent } from "../../../src/core/events.js";
import { KeyedQueue } from "../../../src/core/keyed-queue.js";
import { RemoteInbox } from "../../../src/core/remote-inbox.js";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store.js";

const connector = { network: "slack", displayName: "Slack" } as Connector;
const log = winston.createLogger({ silent: true });

function message(id: string, timestamp: number): RemoteEvent {
  return {
    type: "message", chat: "T1/C1", id, timestamp,
    sender: { id: "U1", displayName: "Erin" },
    content: { style: "text", text: [{ type: "paragraph", children: [{ type: "text", text: id }] }], media: [] },
  };
}

let dir: string;
let store: SqliteStore;
let queue: KeyedQueue;
let handled: { id: string; again: boolean }[];

function inbox(): RemoteInbox {
  const record = async (_connector: Connector, event: RemoteEvent, _txn: string, again: boolean) => {
    handled.push({ id: event.type === "message" ? event.id : event.type, again });
  };
  return new RemoteInbox(store, queue, record, () => false, log);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-remote-inbox-"));
  store = new SqliteStore(join(dir, "parley.db"));
  queue = new KeyedQueue(() => undefined);
  handled = [];
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("RemoteInbox", () => {
  it("handles an event stored while resume() reads the backlog once, in time order with it", async () => {
    await store.remoteInboxAdd("slack", "remote:slack:T1/C1", message("left over", 1000));
    const remoteInbox = inbox();
    remoteInbox.park("slack");
    const accepting = remoteInbox.accept(connector, message("live", 2000));
    const resuming = remoteInbox.resume(connector);
    await Promise.all([accepting, resuming]);
    remoteInbox.release(connector);
    await queue.drain();
    expect(handled).toEqual([{ id: "left over", again: true }, { id: "live", again: false }]);
  });

  it("releases what was held during a catch-up in the order it was said", async () => {
    const remoteInbox = inbox();
    remoteInbox.park("slack");
    await remoteInbox.accept(connector, message("said live", 3000));
    await remoteInbox.accept(connector, message("missed earlier", 1000));
    await remoteInbox.accept(connector, message("missed later", 2000));
    expect(handled).toEqual([]);
    remoteInbox.release(connector);
    await queue.drain();
    expect(handled.map((item) => item.id)).toEqual(["missed earlier", "missed later", "said live"]);
  });
});
