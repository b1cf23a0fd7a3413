import { PGlite } from "@electric-sql/pglite";
import { SerialQueue, type SqlClient, type SqlQueryable } from "../postgres/sql-client.js";

/** A compiled WebAssembly module, opaque here (TypeScript's WebAssembly types are not in this project's libs). */
export type WasmModule = object;

/** A PGlite database to open: where, and optionally a data directory tarball to start from. */
export interface PgliteSource {
  dataDir?: string;
  relaxedDurability?: boolean;
  /** An uncompressed tar of a data directory (the template cache), loaded instead of running initdb. */
  loadDataDir?: Uint8Array;
  /** PGlite's WebAssembly, compiled once per process (wasm-module.ts). */
  wasmModule?: WasmModule;
}

/** A `SqlClient` that can also write its data directory as an uncompressed tar. */
export interface PgliteClient extends SqlClient {
  dump(): Promise<Uint8Array>;
}

/**
 * A `SqlClient` over PGlite (Postgres compiled to WASM, in this process). PGlite has
 * one connection, so every query and transaction waits its turn in one queue.
 */
export const pgliteSqlClient = async (source: PgliteSource | { db: PGlite }): Promise<PgliteClient> => {
  const ownsDb = !("db" in source);
  const db =
    "db" in source
      ? source.db
      : await PGlite.create(source.dataDir, {
          relaxedDurability: source.relaxedDurability ?? false,
          ...(source.wasmModule ? { pgliteWasmModule: source.wasmModule } : {}),
          ...(source.loadDataDir
            ? { loadDataDir: new Blob([source.loadDataDir], { type: "application/x-tar" }) }
            : {}),
        });
  const queue = new SerialQueue();
  const queryOn = (runner: Pick<PGlite, "query">): SqlQueryable => ({
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      const result = await runner.query<Row>(text, [...params]);
      return result.rows;
    },
  });
  return {
    query: (text, params) => queue.run(() => queryOn(db).query(text, params)),
    transaction: (work) => queue.run(() => db.transaction((tx) => work(queryOn(tx)))),
    dump: () => queue.run(async () => new Uint8Array(await (await db.dumpDataDir("none")).arrayBuffer())),
    close: () =>
      queue.run(async () => {
        if (ownsDb) await db.close();
      }),
  };
};
