import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import { MIGRATIONS } from "../../../src/store/sqlite/migrations.js";
import { storeContract, type TestDatabase } from "./store-contract.js";

// A nested folder that does not exist yet: the store must create it.
const freshPath = () => join(mkdtempSync(join(tmpdir(), "parley-store-")), "nested", "parley.db");

function sqliteDatabase(path: string): TestDatabase {
  const pragma = <T>(read: (db: Database.Database) => T): T => {
    const raw = new Database(path);
    try {
      return read(raw);
    } finally {
      raw.close();
    }
  };
  return {
    open: async () => new SqliteStore(path),
    schemaVersion: async () => pragma((db) => db.pragma("user_version", { simple: true }) as number),
    setSchemaVersion: async (version) => {
      pragma((db) => db.pragma(`user_version = ${version}`));
    },
    filesContain: async (text) => {
      for (const suffix of ["", "-wal", "-shm"]) {
        const bytes = await readFile(`${path}${suffix}`).catch(() => Buffer.alloc(0));
        if (bytes.includes(Buffer.from(text))) return true;
      }
      return false;
    },
  };
}

storeContract({
  name: "SQLite",
  latestSchemaVersion: MIGRATIONS.length,
  freshDatabase: async () => sqliteDatabase(freshPath()),
});

it("SQLite keeps its file in write-ahead-log mode", async () => {
  const path = freshPath();
  await new SqliteStore(path).close();
  const raw = new Database(path);
  expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
  raw.close();
});
