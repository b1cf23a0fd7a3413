import type { KeyGenerator, KeyStore } from "@vafa/core";
import { generateKey, keyDestroyed, randomDataKey } from "../shared/data-keys.js";
import { tableNames } from "./schema.js";
import type { SqlQueryable } from "./sql-client.js";
import { unavailable } from "./sql-errors.js";

export interface SqlKeyStoreOptions {
  /** How a new key is made (default: 32 random bytes; the test vectors pass `testDataKey`). */
  generate?: KeyGenerator;
  /**
   * Called when the server refuses the `CHECKPOINT` after a destroy (the role is
   * neither superuser nor in `pg_checkpoint`). The key is gone from the table
   * all the same; the server's next scheduled checkpoint does the rest. Default: ignore.
   */
  onWarning?: (message: string) => void;
}

interface KeyRow {
  key: Uint8Array | null;
  destroyed_at: unknown;
}

const INSUFFICIENT_PRIVILEGE = "42501";

const codeOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;

/**
 * The key store of a PostgreSQL or PGlite database (club-v1 §6): table
 * `vafa_member_keys` of `schema`, through the connection(s) of `client` (so a
 * PGlite folder's single holder serves both events and keys).
 *
 * `create` is `INSERT ... ON CONFLICT DO NOTHING` then a `SELECT`: two writers
 * racing on one member end with the key that was inserted first. `destroy`
 * sets the key to NULL and stamps `destroyed_at` (the row stays as a
 * tombstone so `create` can refuse), then rewrites the table (`VACUUM FULL`:
 * the old row version holding the key is not copied, and the old file is
 * truncated) and runs a `CHECKPOINT`. See docs/privacy.md for what can still
 * hold the key (WAL not yet recycled, backups, replicas).
 */
export const createSqlKeyStore = (
  client: SqlQueryable,
  schema: string,
  options: SqlKeyStoreOptions & { close?: () => Promise<void> } = {},
): KeyStore => {
  const table = tableNames(schema).memberKeys;
  const generate = options.generate ?? randomDataKey;

  const read = async (memberId: string): Promise<KeyRow | undefined> => {
    const [row] = await client.query<KeyRow>(`SELECT key, destroyed_at FROM ${table} WHERE member_id = $1`, [
      memberId,
    ]);
    return row;
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw unavailable(error);
    }
  };

  const store: KeyStore = {
    create: (memberId) =>
      guard(async () => {
        let row = await read(memberId);
        if (row === undefined) {
          await client.query(
            `INSERT INTO ${table} (member_id, key) VALUES ($1, $2) ON CONFLICT (member_id) DO NOTHING`,
            [memberId, generateKey(generate, memberId)],
          );
          row = await read(memberId);
        }
        if (row === undefined) throw new Error(`the key row of member ${memberId} vanished after its insert`);
        if (row.key === null) throw keyDestroyed(memberId);
        return new Uint8Array(row.key);
      }),
    get: (memberId) =>
      guard(async () => {
        const row = await read(memberId);
        return row?.key ? new Uint8Array(row.key) : undefined;
      }),
    destroy: (memberId) =>
      guard(async () => {
        await client.query(
          `INSERT INTO ${table} AS k (member_id, key, destroyed_at) VALUES ($1, NULL, now())
           ON CONFLICT (member_id) DO UPDATE SET key = NULL, destroyed_at = COALESCE(k.destroyed_at, now())`,
          [memberId],
        );
        // Outside any transaction (VACUUM refuses to run in one).
        await client.query(`VACUUM FULL ${table}`);
        try {
          await client.query("CHECKPOINT");
        } catch (error) {
          if (codeOf(error) !== INSUFFICIENT_PRIVILEGE) throw error;
          options.onWarning?.(
            `the key of member ${memberId} is destroyed, but the server refused CHECKPOINT to this role; grant it pg_checkpoint (PostgreSQL 15+) so destroyed keys leave the WAL sooner`,
          );
        }
      }),
  };
  if (options.close) store.close = options.close;
  return store;
};
