import {
  type AppendResult,
  type CheckpointStore,
  ConcurrencyError,
  type EventStore,
  type StoredEvent,
  type StreamAppend,
  VafaError,
} from "@vafa/core";
import { checkDistinctStreams, planAppend, type StoredLocation } from "../shared/append-plan.js";
import { decodeJson } from "../shared/decode.js";
import { Notifier, runSubscription } from "../shared/live-feed.js";
import { tableNames } from "./schema.js";
import type { SqlClient, SqlQueryable } from "./sql-client.js";

export interface SqlStoreOptions {
  schema: string;
  /** Clock for `recordedAt` (default: the system clock as `toISOString()`). */
  now?: () => string;
  /** How often an idle subscription looks for events appended by other processes (default 250 ms). */
  pollIntervalMs?: number;
  /** Take the store-wide append lock (needed with several connections; PGlite has one). */
  appendLock: boolean;
  /** NOTIFY listeners on other connections after each append. */
  notify: boolean;
}

/** An event store that also keeps checkpoints in the same database. */
export interface SqlEventStore extends EventStore {
  readonly checkpoints: CheckpointStore;
}

interface EventRow {
  pos: string;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  occurred_at: string;
  recorded_at: string;
  data_text: string;
  metadata_text: string;
}

const MAX_BATCH = 1000;
// `pos`, not `position`: ORDER BY position would then sort the text alias.
const COLUMNS =
  "position::text AS pos, stream_id, revision, event_id, type, occurred_at, recorded_at, data_text, metadata_text";

const toStored = (row: EventRow): StoredEvent =>
  ({
    streamId: row.stream_id,
    revision: Number(row.revision),
    eventId: row.event_id,
    type: row.type,
    occurredAt: row.occurred_at,
    data: decodeJson(row.data_text, `event ${row.revision} of stream ${row.stream_id}: data`),
    metadata: decodeJson(row.metadata_text, `event ${row.revision} of stream ${row.stream_id}: metadata`),
    recordedAt: row.recorded_at,
    position: BigInt(row.pos),
  }) as StoredEvent;

const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const isUniqueViolation = (error: unknown): error is { code: string; constraint?: string } =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";

/**
 * The PostgreSQL event store (server via `pg` or embedded PGlite). Appends take one
 * store-wide transaction lock, so positions become visible in increasing order and
 * a reader that is caught up never skips an event committed later.
 */
export const createSqlEventStore = (client: SqlClient, options: SqlStoreOptions): SqlEventStore => {
  const t = tableNames(options.schema);
  const now = options.now ?? (() => new Date().toISOString());
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const channel = `vafa_events_${options.schema}`.slice(0, 63);
  const appendLockKey = `${options.schema}.vafa_append`;
  const notifier = new Notifier();
  let listening: Promise<(() => Promise<void>) | undefined> | undefined;
  let closed = false;

  /**
   * Appends to several streams in one transaction: one query reads every stream's
   * revision and the stored locations of every proposed id, each stream is
   * checked, then one statement inserts all rows and moves every stream's revision.
   */
  const appendIn = async (tx: SqlQueryable, appends: readonly StreamAppend[]): Promise<AppendResult[]> => {
    checkDistinctStreams(appends);
    if (options.appendLock) await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [appendLockKey]);
    const [state] = await tx.query<{ revisions: string | null; existing: string | null }>(
      `SELECT (SELECT json_agg(json_build_object('streamId', s.stream_id, 'revision', s.revision,
                        'position', (SELECT e.position::text FROM ${t.events} e
                                      WHERE e.stream_id = s.stream_id AND e.revision = s.revision)))::text
                 FROM ${t.streams} s WHERE s.stream_id IN (SELECT json_array_elements_text($1::json))) AS revisions,
              (SELECT json_agg(json_build_object('eventId', event_id, 'streamId', stream_id,
                        'revision', revision, 'position', position::text))::text
                 FROM ${t.events} WHERE event_id IN (SELECT json_array_elements_text($2::json))) AS existing`,
      [
        JSON.stringify(appends.map((a) => a.streamId)),
        JSON.stringify(appends.flatMap((a) => a.events.map((e) => e.eventId))),
      ],
    );
    const revisions = new Map<string, number>();
    const heads = new Map<string, bigint>();
    for (const row of JSON.parse(state?.revisions ?? "[]") as {
      streamId: string;
      revision: number;
      position: string | null;
    }[]) {
      revisions.set(row.streamId, Number(row.revision));
      heads.set(row.streamId, BigInt(row.position ?? "0"));
    }
    const existing = new Map<string, StoredLocation>();
    const found = JSON.parse(state?.existing ?? "[]") as {
      eventId: string;
      streamId: string;
      revision: number;
      position: string;
    }[];
    for (const row of found) {
      existing.set(row.eventId, {
        streamId: row.streamId,
        revision: row.revision,
        position: BigInt(row.position),
      });
    }
    // Every stream is checked before anything is written; a ConcurrencyError rolls all back.
    const plans = appends.map((a) => {
      const currentRevision = revisions.get(a.streamId) ?? -1;
      const plan = planAppend({
        streamId: a.streamId,
        events: a.events,
        expectedRevision: a.expectedRevision,
        currentRevision,
        existing,
      });
      return { currentRevision, plan };
    });
    const toWrite = appends.filter((a, i) => plans[i]?.plan.kind === "append" && a.events.length > 0);
    const lastPositions = new Map<string, bigint>();
    if (toWrite.length > 0) {
      const recordedAt = now();
      let n = 0;
      const rows = toWrite.flatMap((a) =>
        a.events.map((e) => ({
          n: n++,
          streamId: a.streamId,
          revision: e.revision,
          eventId: e.eventId,
          type: e.type,
          occurredAt: e.occurredAt,
          dataText: JSON.stringify(e.data),
          metadataText: JSON.stringify(e.metadata),
        })),
      );
      const newHeads = toWrite.map((a) => ({ streamId: a.streamId, revision: a.events.at(-1)?.revision }));
      // one statement: every event, every stream's new revision and (on a server) the wake-up notice
      const inserted = await tx.query<{ position: string; stream_id: string }>(
        `WITH inserted AS (
           INSERT INTO ${t.events}
             (stream_id, revision, event_id, type, occurred_at, recorded_at, data_text, metadata_text)
           SELECT "streamId", revision, "eventId", type, "occurredAt", $1, "dataText", "metadataText"
             FROM json_to_recordset($2::json) AS batch(n integer, "streamId" text, revision integer,
                    "eventId" text, type text, "occurredAt" text, "dataText" text, "metadataText" text)
            ORDER BY n
           RETURNING position, stream_id),
         stream AS (
           INSERT INTO ${t.streams} (stream_id, revision)
           SELECT "streamId", revision FROM json_to_recordset($3::json) AS heads("streamId" text, revision integer)
           ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision)
         SELECT position::text AS position, stream_id${options.notify ? ", (SELECT pg_notify($4, '')) AS notified" : ""}
           FROM inserted`,
        options.notify
          ? [recordedAt, JSON.stringify(rows), JSON.stringify(newHeads), channel]
          : [recordedAt, JSON.stringify(rows), JSON.stringify(newHeads)],
      );
      for (const row of inserted) {
        const position = BigInt(row.position);
        const before = lastPositions.get(row.stream_id);
        if (before === undefined || position > before) lastPositions.set(row.stream_id, position);
      }
    }
    const results: AppendResult[] = [];
    for (const [i, a] of appends.entries()) {
      const { currentRevision, plan } = plans[i] as (typeof plans)[number];
      if (plan.kind === "duplicate")
        results.push({ nextExpectedRevision: currentRevision, position: plan.position });
      else if (a.events.length > 0)
        results.push({
          nextExpectedRevision: a.events.at(-1)?.revision ?? currentRevision,
          position: lastPositions.get(a.streamId) ?? 0n,
        });
      else results.push({ nextExpectedRevision: currentRevision, position: heads.get(a.streamId) ?? 0n });
    }
    return results;
  };

  /** Runs `appendIn` in a transaction and maps driver errors to the port's. */
  const appendMany = async (appends: readonly StreamAppend[]): Promise<AppendResult[]> => {
    if (closed) throw closedError();
    try {
      const results = await client.transaction((tx) => appendIn(tx, appends));
      notifier.notify();
      return results;
    } catch (error) {
      if (error instanceof VafaError) throw error;
      if (isUniqueViolation(error)) {
        // Only a writer that skips the store lock (another tool) can get here: name a stream that moved.
        let conflict: ConcurrencyError | undefined;
        for (const a of appends) {
          const actual = (await store.readStream(a.streamId)).at(-1)?.revision ?? "no_stream";
          conflict ??= new ConcurrencyError(a.streamId, a.expectedRevision, actual);
          if (a.expectedRevision !== "any" && a.expectedRevision !== actual)
            throw new ConcurrencyError(a.streamId, a.expectedRevision, actual);
        }
        if (conflict) throw conflict;
      }
      throw unavailable(error);
    }
  };

  const readBatch = async (after: bigint | undefined, limit: number): Promise<StoredEvent[]> => {
    const rows = await client.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${t.events} WHERE position > $1::bigint ORDER BY position LIMIT $2`,
      [(after ?? 0n).toString(), limit],
    );
    return rows.map(toStored);
  };

  const startListening = () => {
    if (listening === undefined && options.notify && client.listen !== undefined) {
      listening = client.listen(channel, () => notifier.notify()).catch(() => undefined);
    }
  };

  const store: SqlEventStore = {
    async appendToStream(streamId, events, { expectedRevision }) {
      const [result] = await appendMany([{ streamId, events, expectedRevision }]);
      return result as AppendResult;
    },
    appendToStreams: appendMany,
    async readStreams(reads) {
      const result = new Map<string, StoredEvent[]>();
      for (const { streamId } of reads) result.set(streamId, []);
      if (reads.length === 0) return result;
      const rows = await client
        .query<EventRow>(
          `SELECT ${COLUMNS} FROM ${t.events} e
             JOIN json_to_recordset($1::json) AS r("streamId" text, "fromRevision" integer)
               ON e.stream_id = r."streamId" AND e.revision >= r."fromRevision"
            ORDER BY e.stream_id, e.revision`,
          [
            JSON.stringify(
              reads.map((r) => ({ streamId: r.streamId, fromRevision: Math.max(0, r.fromRevision ?? 0) })),
            ),
          ],
        )
        .catch((error: unknown) => {
          throw unavailable(error);
        });
      for (const row of rows) result.get(row.stream_id)?.push(toStored(row));
      return result;
    },
    async readStream(streamId, readOptions = {}) {
      const rows = await client
        .query<EventRow>(
          `SELECT ${COLUMNS} FROM ${t.events} WHERE stream_id = $1 AND revision >= $2 ORDER BY revision`,
          [streamId, Math.max(0, readOptions.fromRevision ?? 0)],
        )
        .catch((error: unknown) => {
          throw unavailable(error);
        });
      return rows.map(toStored);
    },
    async *readAll(readOptions = {}) {
      const limit = Math.min(Math.max(1, readOptions.batchSize ?? 500), MAX_BATCH);
      let after = readOptions.after;
      for (;;) {
        const batch = await readBatch(after, limit).catch((error: unknown) => {
          throw unavailable(error);
        });
        for (const event of batch) yield event;
        if (batch.length < limit) return;
        after = batch.at(-1)?.position;
      }
    },
    async listStreams(prefix) {
      const rows = await client.query<{ stream_id: string }>(
        `SELECT stream_id FROM ${t.streams} WHERE stream_id LIKE $1`,
        [likePrefix(prefix)],
      );
      // sorted by UTF-16 code units as the port says (the C collation sorts UTF-8 bytes)
      return rows.map((row) => row.stream_id).sort();
    },
    subscribe(subscribeOptions) {
      startListening();
      return runSubscription(subscribeOptions, {
        readBatch: (after) => readBatch(after, 500),
        wait: (signal) => notifier.wait(signal, pollIntervalMs),
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const unlisten = await listening;
      await unlisten?.();
      await client.close();
    },
    checkpoints: {
      async load(name) {
        const [row] = await client.query<{ position: string }>(
          `SELECT position::text AS position FROM ${t.checkpoints} WHERE name = $1`,
          [name],
        );
        return row === undefined ? undefined : BigInt(row.position);
      },
      async save(name, position) {
        await client.query(
          `INSERT INTO ${t.checkpoints} (name, position) VALUES ($1, $2::bigint)
           ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
          [name, position.toString()],
        );
      },
    },
  };
  return store;
};

const closedError = () =>
  new VafaError("STORE_UNAVAILABLE", "the event store is closed", "open the store again before using it");

export const unavailable = (error: unknown): VafaError =>
  error instanceof VafaError
    ? error
    : new VafaError(
        "STORE_UNAVAILABLE",
        `the PostgreSQL store failed: ${error instanceof Error ? error.message : String(error)}`,
        "check that the database is reachable and its schema is a Vafa schema",
        { cause: error },
      );
