import { existsSync, readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { type CommonOptions, notFound, openSqlStore } from "../postgres/open.js";
import type { SqlClient } from "../postgres/sql-client.js";
import { unavailable } from "../postgres/sql-errors.js";
import type { SqlEventStore } from "../postgres/sql-store.js";
import { LOCK_FILE, lockDataDir } from "./dir-lock.js";
import { type PgliteClient, type PgliteSource, pgliteSqlClient } from "./pglite-client.js";
import { startPglite } from "./start.js";
import { defaultTemplateDir, type PgliteTemplateEvent, writeTemplate } from "./template.js";
import { pgliteThreadClient } from "./thread-client.js";
import { pgliteWasmModule } from "./wasm-module.js";

export type { SqlKeyStoreOptions } from "../postgres/key-store.js";
export type { CommonOptions } from "../postgres/open.js";
export { MIGRATIONS } from "../postgres/schema.js";
export type { SqlEventStore } from "../postgres/sql-store.js";
export { LOCK_FILE } from "./dir-lock.js";
export type { PgliteTemplateEvent } from "./template.js";

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
  /**
   * Run PGlite on a worker thread (default true; not with `db`): its WASM work
   * then overlaps with the ledger's, so chained `executeMany` calls are decided
   * while the one before is stored (issue 11). False keeps it on the caller's thread.
   */
  thread?: boolean;
  /**
   * Cache of a new database's template: a data directory already initialised and
   * migrated, so a new store (an empty or missing `dataDir`, or memory) skips
   * initdb and the migrations (about 1.5 s). The first new store writes it.
   * Default `VAFA_PGLITE_TEMPLATE_DIR` (`off`: none), else
   * `$XDG_CACHE_HOME/vafa/pglite`, else `~/.cache/vafa/pglite`; `false`: never
   * read or write one. A bad template is deleted and initdb runs as without one.
   */
  templateDir?: string | false;
  /** Told what the template cache did (loaded, written, discarded): for logs and tests. */
  onTemplate?: (event: PgliteTemplateEvent) => void;
}

export const DEFAULT_PGLITE_DIR = "./.vafa";

/** A data directory PostgreSQL has initialised (PGlite writes PG_VERSION first). */
const isDataDir = (dir: string): boolean => existsSync(join(dir, "PG_VERSION"));

/** A directory holding nothing but our lock: the store will be new. */
const isEmptyDir = (dir: string): boolean => readdirSync(dir).every((name) => name === LOCK_FILE);

/**
 * An embedded event store (PGlite, in this process; driver
 * `@electric-sql/pglite`, an optional peer dependency loaded only by this entry
 * point). Durable when given a directory, which this store then holds alone:
 * a second store on it (another process, or this one) throws `STORE_LOCKED`
 * naming the holder's pid, and touches nothing. With `mustExist`, a directory
 * that holds no store throws `STORE_NOT_FOUND` and nothing is created.
 */
export const createPgliteStore = async (options: PgliteStoreOptions = {}): Promise<SqlEventStore> => {
  const dir = options.db ? undefined : options.dataDir;
  let release: (() => void) | undefined;
  if (dir !== undefined) {
    const missing = () =>
      notFound(dir, "check the path, or import into it first (only commands that write create a store)");
    if (options.mustExist && !existsSync(dir)) throw missing();
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw unavailable(error);
    }
    // Locked before looking inside: a store that another process is creating is in use, not missing.
    release = lockDataDir(dir);
    if (options.mustExist && !isDataDir(dir)) {
      release();
      throw missing();
    }
  }
  let client: PgliteClient;
  let writeTemplateTo: string | undefined;
  try {
    if (options.db) client = await pgliteSqlClient({ db: options.db });
    else {
      const wasmModule = await pgliteWasmModule();
      const connect = (loadDataDir?: Uint8Array) => {
        const source: PgliteSource = {
          ...(dir !== undefined ? { dataDir: dir } : {}),
          ...(options.relaxedDurability !== undefined
            ? { relaxedDurability: options.relaxedDurability }
            : {}),
          ...(loadDataDir ? { loadDataDir } : {}),
          ...(wasmModule ? { wasmModule } : {}),
        };
        return options.thread === false ? pgliteSqlClient(source) : pgliteThreadClient(source);
      };
      const templateDir = options.templateDir ?? defaultTemplateDir();
      const isNew = !options.mustExist && (dir === undefined || isEmptyDir(dir));
      ({ client, writeTemplateTo } = await startPglite(connect, {
        ...(dir !== undefined ? { dataDir: dir } : {}),
        schema: options.schema ?? "public",
        ...(isNew && templateDir ? { templateDir } : {}),
        ...(options.onTemplate ? { onTemplate: options.onTemplate } : {}),
      }));
    }
  } catch (error) {
    release?.();
    throw unavailable(error);
  }
  const unlocking: SqlClient = release
    ? {
        ...client,
        close: async () => {
          try {
            await client.close();
          } finally {
            release?.();
          }
        },
      }
    : client;
  const store = await openSqlStore(unlocking, options, "one", dir ?? "memory");
  // migrated and still empty: the template for the next new store
  if (writeTemplateTo) await writeTemplate(client, writeTemplateTo, options.onTemplate);
  return store;
};

/** The name of the lock file inside a data directory, for messages and tests. */
export const lockFileOf = (dataDir: string): string => join(dataDir, LOCK_FILE);
