import type { KeyStore } from "@vafa/core";
import type pg from "pg";
import { createSqlKeyStore, type SqlKeyStoreOptions } from "./key-store.js";
import { type CommonOptions, openSqlStore } from "./open.js";
import { pgSqlClient } from "./pg-client.js";
import { ensureKeyTable } from "./schema.js";
import { unavailable } from "./sql-errors.js";
import type { SqlEventStore } from "./sql-store.js";

export type { SqlKeyStoreOptions } from "./key-store.js";
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

export type PostgresKeyStoreOptions = SqlKeyStoreOptions & {
  /** PostgreSQL schema holding `vafa_member_keys` (default `public`). */
  schema?: string;
} & ({ connectionString: string } | { pool: pg.Pool });

/**
 * A key store alone on a PostgreSQL server (club-v1 §6), for an EventStoreDB
 * deployment or to keep keys in another database than the events: creates
 * `vafa_member_keys` if missing. A PostgreSQL event store's own keys are
 * `store.keyStore()`. `close()` ends the pool only when this created it.
 */
export const createPostgresKeyStore = async (options: PostgresKeyStoreOptions): Promise<KeyStore> => {
  const schema = options.schema ?? "public";
  const client = pgSqlClient(
    "pool" in options ? { pool: options.pool } : { connectionString: options.connectionString },
  );
  try {
    await ensureKeyTable(client, schema);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw unavailable(error);
  }
  return createSqlKeyStore(client, schema, { ...options, close: () => client.close() });
};
