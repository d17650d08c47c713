import type { DatabaseConfig } from "../config/config.js";
import { PostgresConnectError, PostgresStore } from "./postgres/postgres-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

export async function openStore(config: DatabaseConfig): Promise<Store> {
  switch (config.engine) {
    case "sqlite":
      return new SqliteStore(config.path);
    case "postgres":
      try {
        return await PostgresStore.open(config.connectionString);
      } catch (error) {
        if (!(error instanceof PostgresConnectError)) throw error;
        throw new Error(
          `Could not connect to PostgreSQL at database.connectionString (${withoutPassword(config.connectionString)}): ${error.message}`,
          { cause: error },
        );
      }
  }
}

/** The connection string to show in an error: the password, wherever it is written, becomes ***. */
function withoutPassword(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return "not shown: it is not a URL, and may hold a password";
  }
  if (url.password) url.password = "***";
  if (url.searchParams.has("password")) url.searchParams.set("password", "***");
  return url.toString();
}
