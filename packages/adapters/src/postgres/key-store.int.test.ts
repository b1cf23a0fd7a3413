import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { describeKeyStoreContract } from "../contract/key-store.contract.js";
import { createPostgresKeyStore, createPostgresStore } from "./index.js";

// The key store of club-v1 §6 on a PostgreSQL server (VAFA_PG_URL, as the
// event-store contract): alone (createPostgresKeyStore) and as an event store's
// own table (store.keyStore()), each in a schema of its own.
const url = process.env.VAFA_PG_URL;

const freshSchema = () => `vafa_keys_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const schemas: string[] = [];
const pool = url ? new pg.Pool({ connectionString: url, max: 4 }) : undefined;

afterAll(async () => {
  for (const schema of schemas) await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool?.end();
});

describe.skipIf(!url)("PostgreSQL key store (needs VAFA_PG_URL)", () => {
  describeKeyStoreContract(
    "PostgreSQL server (createPostgresKeyStore)",
    async () => {
      const schema = freshSchema();
      schemas.push(schema);
      return {
        // Each open is its own pool: "two clients" race on two connections.
        open: (options) => createPostgresKeyStore({ connectionString: url ?? "", schema, ...options }),
        cleanup: async () => {},
      };
    },
    { modelRuns: 10 },
  );

  it("§6 an event store's keyStore() and a key store alone on its schema share one table", async () => {
    const schema = freshSchema();
    schemas.push(schema);
    const store = await createPostgresStore({ connectionString: url ?? "", schema });
    const alone = await createPostgresKeyStore({ pool: pool as pg.Pool, schema });
    try {
      const key = await store.keyStore().create("ali");
      expect(Buffer.from((await alone.get("ali")) as Uint8Array).equals(Buffer.from(key))).toBe(true);
      await alone.destroy("ali");
      expect(await store.keyStore().get("ali")).toBeUndefined();
    } finally {
      await alone.close?.(); // leaves the given pool open
      await store.close();
    }
    expect((await (pool as pg.Pool).query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("§6 after destroy the 32 key bytes are in no file of the table on the server's disk", async (context) => {
    const schema = freshSchema();
    schemas.push(schema);
    const keys = await createPostgresKeyStore({ connectionString: url ?? "", schema });
    const warnings: string[] = [];
    const client = pool as pg.Pool;
    try {
      const dataDir = await client
        .query<{ dir: string }>("SELECT current_setting('data_directory') AS dir")
        .then((r) => r.rows[0]?.dir)
        .catch(() => undefined);
      const readable = (() => {
        try {
          if (dataDir === undefined) return false;
          accessSync(dataDir, constants.R_OK);
          return true;
        } catch {
          return false;
        }
      })();
      if (!readable) {
        console.warn(
          "key-store raw bytes on PostgreSQL skipped: the role cannot read data_directory (scripts/start-postgres.sh grants pg_read_all_settings) or this process cannot read the server's files (run as root on the server's machine)",
        );
        context.skip();
      }
      const fileOf = async () => {
        const { rows } = await client.query<{ path: string }>(
          "SELECT pg_relation_filepath($1::regclass) AS path",
          [`"${schema}".vafa_member_keys`],
        );
        return join(dataDir as string, rows[0]?.path as string);
      };
      const key = Buffer.from(await keys.create("reza"));
      const kept = Buffer.from(await keys.create("ali"));
      await client.query("CHECKPOINT");
      const before = await fileOf();
      expect(readFileSync(before).includes(key)).toBe(true);

      const destroying = await createPostgresKeyStore({
        connectionString: url ?? "",
        schema,
        onWarning: (line) => warnings.push(line),
      });
      await destroying.destroy("reza");
      await destroying.close?.();

      const after = await fileOf();
      expect(after).not.toBe(before);
      expect(readFileSync(after).includes(key)).toBe(false);
      expect(readFileSync(after).includes(kept)).toBe(true);
      // The old file is truncated at once (and unlinked at the next checkpoint).
      expect(statSync(before, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
      expect(warnings).toEqual([]); // the role may CHECKPOINT (pg_checkpoint)
    } finally {
      await keys.close?.();
    }
  });
});
