import { quoteIdent, type SqlClient } from "./sql-client.js";

/** Table names inside one schema; every statement goes through these. */
export const tableNames = (schema: string) => {
  const s = quoteIdent(schema);
  return {
    schema: s,
    migrations: `${s}.vafa_migrations`,
    events: `${s}.vafa_events`,
    eventsJson: `${s}.vafa_events_json`,
    streams: `${s}.vafa_streams`,
    checkpoints: `${s}.vafa_checkpoints`,
    memberKeys: `${s}.vafa_member_keys`,
  };
};

/**
 * The key table of club-v1 §6 (one data key per member). A destroyed member
 * keeps its row with `key` NULL and `destroyed_at` set: the tombstone that makes
 * `create` refuse. Idempotent, so a key store alone (an EventStoreDB
 * deployment's, `createPostgresKeyStore`) creates it without the event tables.
 */
const keyTableSql = (t: Pick<ReturnType<typeof tableNames>, "memberKeys">): string => `
      CREATE TABLE IF NOT EXISTS ${t.memberKeys} (
        member_id text COLLATE "C" PRIMARY KEY,
        key bytea NULL CHECK (key IS NULL OR octet_length(key) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz NULL,
        CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))
      );
`;

interface Migration {
  version: number;
  name: string;
  sql: (t: ReturnType<typeof tableNames>) => string;
}

/**
 * Numbered migrations; applied ones are recorded in `vafa_migrations`. Append new
 * ones at the end, never edit an applied one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "events, streams, checkpoints",
    sql: (t) => `
      CREATE TABLE ${t.events} (
        position bigserial PRIMARY KEY,
        stream_id text COLLATE "C" NOT NULL,
        revision integer NOT NULL CHECK (revision >= 0),
        event_id text NOT NULL UNIQUE,
        type text NOT NULL,
        -- ISO strings exactly as appended (spec 1 output form); not hashed by the store
        occurred_at text NOT NULL,
        recorded_at text NOT NULL,
        -- the JSON text as appended: key order survives (exports compare byte for byte)
        data_text text NOT NULL,
        metadata_text text NOT NULL,
        data jsonb GENERATED ALWAYS AS (data_text::jsonb) STORED,
        metadata jsonb GENERATED ALWAYS AS (metadata_text::jsonb) STORED,
        UNIQUE (stream_id, revision)
      );
      CREATE TABLE ${t.streams} (
        stream_id text COLLATE "C" PRIMARY KEY,
        revision integer NOT NULL
      );
      CREATE TABLE ${t.checkpoints} (
        name text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE FUNCTION ${t.schema}.vafa_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'vafa_events is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
      END
      $fn$;
      CREATE TRIGGER vafa_events_append_only BEFORE UPDATE OR DELETE ON ${t.events}
        FOR EACH ROW EXECUTE FUNCTION ${t.schema}.vafa_refuse_change();
      CREATE TRIGGER vafa_events_no_truncate BEFORE TRUNCATE ON ${t.events}
        FOR EACH STATEMENT EXECUTE FUNCTION ${t.schema}.vafa_refuse_change();
    `,
  },
  {
    version: 2,
    name: "member data keys (club-v1 section 6)",
    sql: (t) => keyTableSql(t),
  },
  {
    // The stored jsonb copies cost about a quarter of every append's insert and
    // nothing reads them; queries get the same columns from a view instead.
    version: 3,
    name: "jsonb columns become the vafa_events_json view",
    sql: (t) => `
      ALTER TABLE ${t.events} DROP COLUMN data, DROP COLUMN metadata;
      CREATE VIEW ${t.eventsJson} AS
        SELECT position, stream_id, revision, event_id, type, occurred_at, recorded_at,
               data_text, metadata_text, data_text::jsonb AS data, metadata_text::jsonb AS metadata
          FROM ${t.events};
    `,
  },
];

/**
 * Creates the schema or brings it up to date; safe to run from several processes at once.
 * `migrations` is for tests that build a database as an older release left it.
 */
export const migrate = async (
  client: SqlClient,
  schema: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> => {
  const t = tableNames(schema);
  return client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`${schema}.vafa_migrations`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${t.schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${t.migrations} (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const rows = await tx.query<{ version: number }>(`SELECT version FROM ${t.migrations}`);
    const applied = new Set(rows.map((row) => Number(row.version)));
    const newlyApplied: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      for (const statement of splitStatements(migration.sql(t))) await tx.query(statement);
      await tx.query(`INSERT INTO ${t.migrations} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      newlyApplied.push(migration.version);
    }
    return newlyApplied;
  });
};

/** Splits on `;` at line ends outside `$fn$` bodies (extended protocol runs one statement at a time). */
const splitStatements = (sql: string): string[] => {
  const statements: string[] = [];
  let current = "";
  let inBody = false;
  for (const line of sql.split("\n")) {
    current += `${line}\n`;
    if ((line.match(/\$fn\$/g) ?? []).length % 2 === 1) inBody = !inBody;
    if (!inBody && line.trimEnd().endsWith(";")) {
      statements.push(current.trim());
      current = "";
    }
  }
  if (current.trim() !== "") statements.push(current.trim());
  return statements;
};

/** Whether the schema holds the Vafa event table (a store to open without creating one). */
export const hasVafaTables = async (client: SqlClient, schema: string): Promise<boolean> => {
  const [row] = await client.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [
    tableNames(schema).events,
  ]);
  return row?.found === true;
};

/** Creates the key table alone (a key store without an event store), under the migrations' lock. */
export const ensureKeyTable = async (client: SqlClient, schema: string): Promise<void> => {
  const t = tableNames(schema);
  await client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`${schema}.vafa_migrations`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${t.schema}`);
    await tx.query(keyTableSql(t).trim().replace(/;$/, ""));
  });
};
