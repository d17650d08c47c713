import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../../src/store/open.js";
import { MIGRATIONS } from "../../../src/store/postgres/migrations.js";
import { startPostgres, type PostgresHandle } from "../../harness/postgres.js";
import { freePort } from "../../harness/test-utils.js";
import { storeContract, type TestDatabase } from "./store-contract.js";

let cluster: PostgresHandle;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function postgresDatabase(connectionString: string): TestDatabase {
  return {
    open: () => openStore({ engine: "postgres", connectionString }),
    schemaVersion: () => withClient(connectionString, async (client) =>
      (await client.query<{ version: number }>("SELECT version FROM parley_schema")).rows[0]?.version ?? 0),
    setSchemaVersion: (version) => withClient(connectionString, async (client) => {
      await client.query("UPDATE parley_schema SET version = $1", [version]);
    }),
    // The database's own files, once a checkpoint has written everything out to them. The
    // write-ahead log is left out: no client can erase from it (see PostgresStore.inboxScrub).
    filesContain: (text) => withClient(connectionString, async (client) => {
      await client.query("CHECKPOINT");
      const { rows } = await client.query<{ oid: number }>("SELECT oid FROM pg_database WHERE datname = current_database()");
      const directory = join(cluster.dataDir, "cluster", "base", String(rows[0]?.oid));
      try {
        await promisify(execFile)("grep", ["-rlF", "--", text, directory]);
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === 1) return false;
        throw error;
      }
    }),
  };
}

storeContract({
  name: "PostgreSQL",
  latestSchemaVersion: MIGRATIONS.length,
  freshDatabase: async () => postgresDatabase(await cluster.freshDatabase()),
});

describe("opening a PostgreSQL store", () => {
  it("names database.connectionString when the server cannot be reached, without its password", async () => {
    const connectionString = `postgres://parley:hunter2-very-secret@127.0.0.1:${await freePort()}/parley`;
    const failure = openStore({ engine: "postgres", connectionString });
    await expect(failure).rejects.toThrow(
      /^Could not connect to PostgreSQL at database\.connectionString \(postgres:\/\/parley:\*\*\*@127\.0\.0\.1:\d+\/parley\): .*ECONNREFUSED/,
    );
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it("names database.connectionString when the database does not exist", async () => {
    const connectionString = cluster.adminConnectionString.replace(/\/postgres$/, "/no_such_database");
    await expect(openStore({ engine: "postgres", connectionString })).rejects.toThrow(
      /database\.connectionString .*database "no_such_database" does not exist/,
    );
  });

  it("lets two Parleys starting on one empty database migrate it once between them", async () => {
    const connectionString = await cluster.freshDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openStore({ engine: "postgres", connectionString })));
    await stores[0]?.upsertPortal({ network: "slack", chat: "C1", roomId: "!r:hs", kind: "chat", createdAt: 1 });
    expect((await stores[2]?.getPortal("slack", "C1"))?.roomId).toBe("!r:hs");
    await Promise.all(stores.map((store) => store.close()));
  });
});
