import type { DatabaseConfig } from "../config/config.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

export function openStore(config: DatabaseConfig): Store {
  switch (config.engine) {
    case "sqlite":
      return new SqliteStore(config.path);
    case "postgres":
      throw new Error("database.engine: postgres is planned but not available in this version; use sqlite");
  }
}
