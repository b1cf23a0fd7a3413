import pg from "pg";
import { describe, expect, it } from "vitest";
import { describeEventStoreContract } from "../contract/event-store.contract.js";
import { purchaseEvents, uniqueStreamId } from "../contract/fixtures.js";
import { createPostgresStore, MIGRATIONS } from "./index.js";
import { pgSqlClient } from "./pg-client.js";
import { migrate } from "./schema.js";

const url = process.env.VAFA_PG_URL;
if (!url) {
  console.warn(
    "postgres.int.test.ts: VAFA_PG_URL is not set, PostgreSQL server tests are skipped (run scripts/start-postgres.sh)",
  );
}

/** Each run gets its own schema, dropped afterwards. */
const freshSchema = () => `vafa_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

const dropSchema = async (schema: string) => {
  const pool = new pg.Pool({ connectionString: url });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pool.end();
  }
};

describe.skipIf(!url)("PostgreSQL server (needs VAFA_PG_URL)", () => {
  describeEventStoreContract(
    "PostgreSQL server",
    async () => {
      const schema = freshSchema();
      const connectionString = url ?? "";
      const store = await createPostgresStore({ connectionString, schema, pollIntervalMs: 50 });
      return {
        store,
        checkpoints: store.checkpoints,
        connectAnother: () => createPostgresStore({ connectionString, schema }),
        cleanup: async () => {
          await store.close();
          await dropSchema(schema);
        },
      };
    },
    { interleavingRuns: 25 },
  );

  it("migration 3 upgrades a database made before it: events kept byte for byte, jsonb in vafa_events_json", async () => {
    const schema = freshSchema();
    const pool = new pg.Pool({ connectionString: url });
    const streamId = uniqueStreamId("upgrade");
    // as releases before migration 3 left it, with an event their append wrote (jsonb columns filled)
    const old = pgSqlClient({ pool });
    await migrate(old, schema, MIGRATIONS.slice(0, 2));
    const dataText = '{"z":1,"a":"é\\u0041"}';
    await pool.query(
      `INSERT INTO "${schema}".vafa_events (stream_id, revision, event_id, type, occurred_at, recorded_at, data_text, metadata_text)
       VALUES ($1, 0, 'old-0', 'PointsEarned', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.000Z', $2, '{}')`,
      [streamId, dataText],
    );
    await pool.query(`INSERT INTO "${schema}".vafa_streams VALUES ($1, 0)`, [streamId]);
    const store = await createPostgresStore({ connectionString: url ?? "", schema });
    try {
      const [before] = await store.readStream(streamId);
      expect(before?.data).toEqual({ z: 1, a: "éA" });
      const next = purchaseEvents({ streamId, fromRevision: 1, count: 2, commandId: "c:2" });
      await store.appendToStream(streamId, next, { expectedRevision: 0 });
      const { rows } = await pool.query(
        `SELECT revision, data_text, data FROM "${schema}".vafa_events_json WHERE stream_id = $1 ORDER BY revision`,
        [streamId],
      );
      expect(rows.map((r) => r.data_text)).toEqual([dataText, ...next.map((e) => JSON.stringify(e.data))]);
      expect(rows.map((r) => r.data)).toEqual([{ z: 1, a: "éA" }, ...next.map((e) => e.data)]);
      const versions = await pool.query(`SELECT version FROM "${schema}".vafa_migrations ORDER BY version`);
      expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await store.close();
      await pool.end();
      await dropSchema(schema);
    }
  });

  it("migrations run once even when several processes open the store at the same time", async () => {
    const schema = freshSchema();
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => createPostgresStore({ connectionString: url ?? "", schema })),
    );
    const pool = new pg.Pool({ connectionString: url });
    try {
      const { rows } = await pool.query(`SELECT version FROM "${schema}".vafa_migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      const streamId = uniqueStreamId("trigger");
      await stores[0]?.appendToStream(
        streamId,
        purchaseEvents({ streamId, fromRevision: 0, count: 1, commandId: "c:1" }),
        {
          expectedRevision: "no_stream",
        },
      );
      await expect(pool.query(`UPDATE "${schema}".vafa_events SET type = 'X'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(pool.query(`DELETE FROM "${schema}".vafa_events`)).rejects.toThrow(/append-only/);
    } finally {
      await pool.end();
      for (const store of stores) await store.close();
      await dropSchema(schema);
    }
  });

  it("LISTEN/NOTIFY wakes a subscriber for an append made by another connection", async () => {
    const schema = freshSchema();
    const reader = await createPostgresStore({
      connectionString: url ?? "",
      schema,
      pollIntervalMs: 600_000,
    });
    const writer = await createPostgresStore({ connectionString: url ?? "", schema });
    try {
      const streamId = uniqueStreamId("notify");
      const received = new Promise<string>((resolve) => {
        const subscription = reader.subscribe({
          onEvent: async (event) => {
            resolve(event.streamId);
            void subscription.stop();
          },
        });
      });
      // let the subscription go idle (caught up and listening) before the other connection appends
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.appendToStream(
        streamId,
        purchaseEvents({ streamId, fromRevision: 0, count: 1, commandId: "c:1" }),
        {
          expectedRevision: "no_stream",
        },
      );
      expect(await received).toBe(streamId);
    } finally {
      await reader.close();
      await writer.close();
      await dropSchema(schema);
    }
  });

  it("an unreachable server is STORE_UNAVAILABLE with a hint", async () => {
    const error = await createPostgresStore({
      connectionString: "postgres://vafa:vafa@127.0.0.1:1/none",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(String((error as Error).message)).toMatch(/reachable/);
  });
});
