import pg from "pg";
import { quoteIdent, type SqlClient, type SqlQueryable } from "./sql-client.js";

/** A `SqlClient` over a `pg` pool. Ends the pool on close only when it created it. */
export const pgSqlClient = (source: { connectionString: string } | { pool: pg.Pool }): SqlClient => {
  const ownsPool = !("pool" in source);
  const pool =
    "pool" in source ? source.pool : new pg.Pool({ connectionString: source.connectionString, max: 10 });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  if (ownsPool) pool.on("error", () => {});
  const queryOn = (runner: pg.Pool | pg.PoolClient): SqlQueryable => ({
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      const result = await runner.query<Row>(text, [...params]);
      return result.rows;
    },
  });
  return {
    ...queryOn(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(queryOn(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      const client = await pool.connect();
      const handler = (message: pg.Notification) => {
        if (message.channel === channel) onNotify();
      };
      client.on("notification", handler);
      client.on("error", () => {});
      await client.query(`LISTEN ${quoteIdent(channel)}`);
      return async () => {
        client.off("notification", handler);
        await client.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    async close() {
      if (ownsPool) await pool.end();
    },
  };
};
