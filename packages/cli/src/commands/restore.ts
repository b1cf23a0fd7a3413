import type { EventEnvelope, EventStore, ProposedEvent } from "@vafa/core";
import { CliError, failure, usageError } from "../errors.js";
import { chainCheck, checkReadableFile, exportLines, parseEnvelope } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { displayStoreUrl, openStore, parseStoreUrl } from "../stores.js";
import { countOf } from "./audit.js";

export interface RestoreOptions {
  store: string;
  /** The export file (`vafa export`). */
  input: string;
  json?: boolean;
}

export interface RestoreSummary {
  events: number;
  streams: number;
}

/** Events of one stream appended at one time: one append, so recordedAt is kept per batch. */
const MAX_BATCH = 1000;

/** The export's envelopes in file order, each with its hash link checked (the first break stops). */
async function* verifiedEnvelopes(
  path: string,
  after = " (nothing was loaded)",
): AsyncGenerator<EventEnvelope> {
  const check = chainCheck(path, true, { what: `restore ${path}`, after });
  for await (const { line, text } of exportLines(path)) {
    const envelope = parseEnvelope(path, line, text);
    if (typeof envelope.recordedAt !== "string" || typeof envelope.eventId !== "string")
      throw usageError(
        `${path} line ${line}: the envelope has no recordedAt or eventId; give a file written by vafa export`,
      );
    check?.(line, envelope);
    yield envelope;
  }
}

/** Pass 1: the whole file verifies before anything is written. */
const verifyExport = async (path: string): Promise<RestoreSummary> => {
  const streams = new Set<string>();
  let events = 0;
  for await (const e of verifiedEnvelopes(path)) {
    streams.add(e.streamId);
    events++;
  }
  return { events, streams: streams.size };
};

const proposed = (e: EventEnvelope): ProposedEvent =>
  ({
    streamId: e.streamId,
    revision: e.revision,
    eventId: e.eventId,
    type: e.type,
    occurredAt: e.occurredAt,
    data: e.data,
    metadata: e.metadata,
  }) as ProposedEvent;

/**
 * Loads a verified export into an empty store, stream batch by stream batch
 * in file order; `setRecordedAt` makes the store's clock return each batch's
 * exported recordedAt (consecutive events of a stream recorded at the same
 * time are one batch, as they were one append).
 */
export const loadExport = async (
  store: EventStore,
  path: string,
  setRecordedAt: (recordedAt: string) => void,
): Promise<number> => {
  let batch: EventEnvelope[] = [];
  let loaded = 0;
  const flush = async () => {
    const first = batch[0];
    if (first === undefined) return;
    setRecordedAt(first.recordedAt);
    await store.appendToStream(first.streamId, batch.map(proposed), {
      expectedRevision: first.revision === 0 ? "no_stream" : first.revision - 1,
    });
    loaded += batch.length;
    batch = [];
  };
  // Checked again as it loads: a file changed since the first pass stops the load.
  const changed =
    "; the file changed during the restore and the store holds part of it: delete the store and run the restore again";
  for await (const e of verifiedEnvelopes(path, changed)) {
    const last = batch.at(-1);
    if (
      last !== undefined &&
      (last.streamId !== e.streamId || last.recordedAt !== e.recordedAt || batch.length >= MAX_BATCH)
    )
      await flush();
    batch.push(e);
  }
  await flush();
  return loaded;
};

/**
 * `vafa restore` (docs/stores.md, "Backup and restore"): verifies every hash
 * of an export, then loads it into an EMPTY store, keeping each event's bytes
 * and recordedAt, so `export -> restore -> export` is byte-identical. A file
 * that fails verification loads nothing (exit 1, HASH_MISMATCH); a store that
 * holds events is refused (exit 1, STORE_NOT_EMPTY).
 */
export const runRestore = async (options: RestoreOptions, io: CliIo): Promise<number> => {
  const location = parseStoreUrl(options.store);
  const shown = displayStoreUrl(options.store);
  if (location.kind === "esdb")
    throw usageError(
      `--store ${shown}: EventStoreDB sets its own recorded times, so a restore there could not keep recordedAt; restore into pglite:, postgres:// or memory:`,
    );
  await checkReadableFile("restore", options.input);
  const summary = await verifyExport(options.input);
  let recordedAt = "";
  const store = await openStore(options.store, { intent: "write", now: () => recordedAt });
  try {
    const existing = await store.listStreams("");
    if (existing.length > 0)
      throw failure(
        `STORE_NOT_EMPTY: store ${shown} already holds ${countOf(existing.length, "stream")}; restore loads only into an empty store: give a new --store (nothing was loaded)`,
      );
    try {
      await loadExport(store, options.input, (at) => {
        recordedAt = at;
      });
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw failure(
        `restore into ${shown} stopped: ${error instanceof Error ? error.message : String(error)}; the store holds part of the export: delete it and run the restore again`,
        error,
      );
    }
  } finally {
    await store.close().catch(() => undefined);
  }
  await writeOut(
    io.stdout,
    options.json
      ? `${JSON.stringify(summary)}\n`
      : `restored ${countOf(summary.events, "event")} in ${countOf(summary.streams, "stream")} into ${shown}\n`,
  );
  return 0;
};
