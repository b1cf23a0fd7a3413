import type pg from "pg";
import { type CommonOptions, openSqlStore } from "./open.js";
import { pgSqlClient } from "./pg-client.js";
import type { SqlEventStore } from "./sql-store.js";

export type { CommonOptions } from "./open.js";
export { MIGRATIONS } from "./schema.js";
export type { SqlEventStore } from "./sql-store.js";

export type PostgresStoreOptions = CommonOptions & ({ connectionString: string } | { pool: pg.Pool });

/** The server named without its password, for messages. */
const describeTarget = (options: PostgresStoreOptions): string => {
  if (!("connectionString" in options)) return "the given pool";
  try {
    const url = new URL(options.connectionString);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "the given connection string";
  }
};

/**
 * An event store on a PostgreSQL server (driver `pg`, an optional peer
 * dependency loaded only by this entry point); creates or migrates its tables
 * first unless `mustExist`.
 */
export const createPostgresStore = (options: PostgresStoreOptions): Promise<SqlEventStore> =>
  openSqlStore(
    pgSqlClient("pool" in options ? { pool: options.pool } : { connectionString: options.connectionString }),
    options,
    "many",
    describeTarget(options),
  );
