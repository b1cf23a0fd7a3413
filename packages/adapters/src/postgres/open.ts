import { VafaError } from "@vafa/core";
import { hasVafaTables, migrate } from "./schema.js";
import type { SqlClient } from "./sql-client.js";
import { unavailable } from "./sql-errors.js";
import { createSqlEventStore, type SqlEventStore } from "./sql-store.js";

export interface CommonOptions {
  /** PostgreSQL schema holding the Vafa tables (default `public`). */
  schema?: string;
  /** Clock for `recordedAt` (default: the system clock). */
  now?: () => string;
  /** Poll interval of idle subscriptions in ms (default 250; LISTEN/NOTIFY wakes them sooner on a server). */
  pollIntervalMs?: number;
  /**
   * Open only a store that exists: when the Vafa tables are missing, throw
   * `STORE_NOT_FOUND` and create nothing (for readers, so a mistyped location
   * never becomes a new empty store). Default false: create or migrate the tables.
   */
  mustExist?: boolean;
}

export const notFound = (where: string, hint: string): VafaError =>
  new VafaError("STORE_NOT_FOUND", `no store at ${where}`, hint);

/** Checks or creates the tables, then wraps the client as an event store (closing it on failure). */
export const openSqlStore = async (
  client: SqlClient,
  options: CommonOptions,
  connections: "many" | "one",
  where: string,
): Promise<SqlEventStore> => {
  const schema = options.schema ?? "public";
  try {
    if (options.mustExist && !(await hasVafaTables(client, schema)))
      throw notFound(
        where,
        `schema ${schema} has no Vafa tables; check the location, or import into it first`,
      );
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
