import { PGlite } from "@electric-sql/pglite";
import { SerialQueue, type SqlClient, type SqlQueryable } from "../postgres/sql-client.js";

/**
 * A `SqlClient` over PGlite (Postgres compiled to WASM, in this process). PGlite has
 * one connection, so every query and transaction waits its turn in one queue.
 */
export const pgliteSqlClient = async (
  source: { dataDir?: string; relaxedDurability?: boolean } | { db: PGlite },
): Promise<SqlClient> => {
  const ownsDb = !("db" in source);
  const db =
    "db" in source
      ? source.db
      : await PGlite.create(source.dataDir, { relaxedDurability: source.relaxedDurability ?? false });
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
    close: () =>
      queue.run(async () => {
        if (ownsDb) await db.close();
      }),
  };
};
