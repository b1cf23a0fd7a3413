import type { AppendResult, StreamAppend } from "@vafa/core";
import { checkDistinctStreams, planAppend, type StoredLocation } from "../shared/append-plan.js";
import type { tableNames } from "./schema.js";
import type { SqlQueryable } from "./sql-client.js";

/** What an append needs from its store: table names, clock, lock and notice settings. */
export interface AppendContext {
  t: ReturnType<typeof tableNames>;
  now: () => string;
  options: { appendLock: boolean; notify: boolean };
  /** The NOTIFY channel woken after each append (when `options.notify`). */
  channel: string;
  /** The advisory lock key taken by every append (when `options.appendLock`). */
  appendLockKey: string;
}

/**
 * Appends to several streams in one transaction: one query reads every stream's
 * revision and the stored locations of every proposed id (ids are distinct:
 * `checkDistinctStreams`), each stream is
 * checked, then one statement inserts all rows and moves every stream's revision.
 */
export const appendIn = async (
  tx: SqlQueryable,
  appends: readonly StreamAppend[],
  context: AppendContext,
): Promise<AppendResult[]> => {
  const { t, now, options, channel, appendLockKey } = context;
  checkDistinctStreams(appends);
  if (options.appendLock) await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [appendLockKey]);
  // Index lookups driven by the batch's lists; a stream's head position only where the
  // append is empty (the only result that needs it).
  const [state] = await tx.query<{ revisions: string | null; existing: string | null }>(
    `SELECT (SELECT json_agg(json_build_object('streamId', s.stream_id, 'revision', s.revision,
                      'position', CASE WHEN a.head THEN (SELECT e.position::text FROM ${t.events} e
                                    WHERE e.stream_id = s.stream_id AND e.revision = s.revision) END))::text
               FROM json_to_recordset($1::json) AS a("streamId" text, head boolean)
               JOIN ${t.streams} s ON s.stream_id = a."streamId") AS revisions,
            (SELECT json_agg(json_build_object('eventId', e.event_id, 'streamId', e.stream_id,
                      'revision', e.revision, 'position', e.position::text,
                      'hash', e.metadata_text::json->>'hash'))::text
               FROM json_array_elements_text($2::json) AS proposed(id)
               JOIN ${t.events} e ON e.event_id = proposed.id) AS existing`,
    [
      JSON.stringify(appends.map((a) => ({ streamId: a.streamId, head: a.events.length === 0 }))),
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
    hash: string | null;
  }[];
  for (const row of found) {
    existing.set(row.eventId, {
      streamId: row.streamId,
      revision: row.revision,
      position: BigInt(row.position),
      hash: row.hash ?? undefined,
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
    // `data`/`metadata` go in as JSON values, not strings: a `json` field keeps its exact
    // text (`::text` gives back JSON.stringify's bytes) and nothing is escaped twice.
    const rows = toWrite.flatMap((a) =>
      a.events.map((e) => ({
        n: n++,
        streamId: a.streamId,
        revision: e.revision,
        eventId: e.eventId,
        type: e.type,
        occurredAt: e.occurredAt,
        data: e.data,
        metadata: e.metadata,
      })),
    );
    const newHeads = toWrite.map((a) => ({ streamId: a.streamId, revision: a.events.at(-1)?.revision }));
    // one statement: every event, every stream's new revision and (on a server) the wake-up
    // notice; it returns one text, each stream's last position, not a row per event
    const [inserted] = await tx.query<{ last: string | null }>(
      `WITH inserted AS (
         INSERT INTO ${t.events}
           (stream_id, revision, event_id, type, occurred_at, recorded_at, data_text, metadata_text)
         SELECT "streamId", revision, "eventId", type, "occurredAt", $1, data::text, metadata::text
           FROM json_to_recordset($2::json) AS batch(n integer, "streamId" text, revision integer,
                  "eventId" text, type text, "occurredAt" text, data json, metadata json)
          ORDER BY n
         RETURNING position, stream_id),
       stream AS (
         INSERT INTO ${t.streams} (stream_id, revision)
         SELECT "streamId", revision FROM json_to_recordset($3::json) AS heads("streamId" text, revision integer)
         ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision)
       SELECT (SELECT json_agg(json_build_array(stream_id, last::text))::text
                 FROM (SELECT stream_id, max(position) AS last FROM inserted GROUP BY stream_id) AS l) AS last
              ${options.notify ? ", (SELECT pg_notify($4, '')) AS notified" : ""}`,
      options.notify
        ? [recordedAt, JSON.stringify(rows), JSON.stringify(newHeads), channel]
        : [recordedAt, JSON.stringify(rows), JSON.stringify(newHeads)],
    );
    for (const [streamId, last] of JSON.parse(inserted?.last ?? "[]") as [string, string][])
      lastPositions.set(streamId, BigInt(last));
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
