import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { pgSqlClient } from "./pg-client.js";
import { pgliteSqlClient } from "./pglite-client.js";
import { migrate } from "./schema.js";
import type { SqlClient } from "./sql-client.js";
import { createSqlEventStore, type SqlEventStore, unavailable } from "./sql-store.js";

export { MIGRATIONS } from "./schema.js";
export type { SqlEventStore } from "./sql-store.js";

interface CommonOptions {
  /** PostgreSQL schema holding the Vafa tables (default `public`). */
  schema?: string;
  /** Clock for `recordedAt` (default: the system clock). */
  now?: () => string;
  /** Poll interval of idle subscriptions in ms (default 250; LISTEN/NOTIFY wakes them sooner on a server). */
  pollIntervalMs?: number;
}

export type PostgresStoreOptions = CommonOptions & ({ connectionString: string } | { pool: pg.Pool });

export interface PgliteStoreOptions extends CommonOptions {
  /** Directory of the database files; omitted means in memory. The CLI uses `./.vafa`. */
  dataDir?: string;
  /**
   * PGlite's `relaxedDurability`: return before the file system flush of each query
   * (about 4x faster appends measured here; the last appends can be lost if the
   * process dies right after them). Default false.
   */
  relaxedDurability?: boolean;
  /** An open PGlite to use instead (the store then does not close it). Only one store per database. */
  db?: PGlite;
}

export const DEFAULT_PGLITE_DIR = "./.vafa";

const open = async (
  client: SqlClient,
  options: CommonOptions,
  connections: "many" | "one",
): Promise<SqlEventStore> => {
  const schema = options.schema ?? "public";
  try {
    await migrate(client, schema);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw unavailable(error);
  }
  return createSqlEventStore(client, {
    schema,
    appendLock: connections === "many",
    notify: connections === "many",
    ...(options.now ? { now: options.now } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
  });
};

/** An event store on a PostgreSQL server; creates or migrates its tables first. */
export const createPostgresStore = (options: PostgresStoreOptions): Promise<SqlEventStore> =>
  open(
    pgSqlClient("pool" in options ? { pool: options.pool } : { connectionString: options.connectionString }),
    options,
    "many",
  );

/** An embedded event store (PGlite, in this process); durable when given a directory. */
export const createPgliteStore = async (options: PgliteStoreOptions = {}): Promise<SqlEventStore> => {
  let client: SqlClient;
  try {
    client = await pgliteSqlClient(
      options.db
        ? { db: options.db }
        : {
            ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
            ...(options.relaxedDurability !== undefined
              ? { relaxedDurability: options.relaxedDurability }
              : {}),
          },
    );
  } catch (error) {
    throw unavailable(error);
  }
  return open(client, options, "one");
};
