import {
  type AppendResult,
  type CheckpointStore,
  ConcurrencyError,
  type EventStore,
  type KeyStore,
  type StoredEvent,
  type StreamAppend,
  VafaError,
} from "@vafa/core";
import { decodeJson } from "../shared/decode.js";
import { Notifier, runSubscription } from "../shared/live-feed.js";
import { createSqlKeyStore, type SqlKeyStoreOptions } from "./key-store.js";
import { tableNames } from "./schema.js";
import { appendIn } from "./sql-append.js";
import type { SqlClient } from "./sql-client.js";
import { unavailable } from "./sql-errors.js";

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

/** An event store that also keeps checkpoints and members' data keys in the same database. */
export interface SqlEventStore extends EventStore {
  readonly checkpoints: CheckpointStore;
  /**
   * The members' data keys (club-v1 §6) in this database's `vafa_member_keys`,
   * through this store's connection (a PGlite folder has one holder). Closing
   * the key store does nothing: the event store's `close` ends the connection.
   */
  keyStore(options?: SqlKeyStoreOptions): KeyStore;
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

  /** Runs `appendIn` in a transaction and maps driver errors to the port's. */
  const appendMany = async (appends: readonly StreamAppend[]): Promise<AppendResult[]> => {
    if (closed) throw closedError();
    try {
      const results = await client.transaction((tx) =>
        appendIn(tx, appends, { t, now, options, channel, appendLockKey }),
      );
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
    keyStore: (keyOptions) => createSqlKeyStore(client, options.schema, keyOptions),
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
