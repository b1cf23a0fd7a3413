import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import {
  balancesAsOf,
  kpis,
  LedgerProjection,
  liabilityAsOf,
  type RebuildOptions,
  RFM_EVENT_TYPES,
  rebuildFromNdjson,
  rebuildFromStore,
  rfmAsOf,
  rfmFromNdjsonParallel,
  rollforward,
} from "@vafa/projections";
import { checkReadableFile, type EventSourceOptions, sourceEvents } from "../event-source.js";
import { type JsonValue, type OutputFormat, render } from "../format.js";
import { type CliIo, writeOut } from "../io.js";
import { openStore } from "../stores.js";

import type { QueryName } from "./query-names.js";

export interface QueryOptions extends EventSourceOptions {
  /** Normalised ISO times; `asOf` for balances, rfm, liability; `from` and `to` for kpis, rollforward. */
  asOf?: string;
  from?: string;
  to?: string;
  format: OutputFormat;
}

/** Folds every event of the source into the ledger projection (spec 6). */
export const projectSource = async (source: EventSourceOptions): Promise<LedgerProjection> => {
  const projection = new LedgerProjection();
  for await (const event of sourceEvents(source)) projection.apply(event);
  return projection;
};

/**
 * The projection one query needs, and no more (spec 6): a query as of T folds
 * only the member events up to T and keeps no history (memory per member,
 * lots and purchases, not per event); RFM reads only the event types it uses,
 * and skips the other lines of a file unparsed. A period query keeps the
 * history of events before its end, to open the period.
 */
export const projectForQuery = async (name: QueryName, options: QueryOptions): Promise<LedgerProjection> => {
  const period = name === "kpis" || name === "rollforward";
  const projection = new LedgerProjection({ keepHistory: period });
  const rebuild: RebuildOptions = {
    until: period ? options.to : options.asOf,
    ...(name === "rfm" ? { types: RFM_EVENT_TYPES } : {}),
  };
  if (options.events === undefined) {
    const store = await openStore(options.store);
    try {
      await rebuildFromStore(store, projection, rebuild);
    } finally {
      await store.close().catch(() => undefined);
    }
    return projection;
  }
  await checkReadableFile("--events", options.events);
  if (period) {
    // An export lists streams one after another: each member is reduced to the
    // period's answer when its stream ends, so memory follows members.
    const from = options.from as string;
    const to = options.to as string;
    const settled = new LedgerProjection({ keepHistory: true });
    const result = await rebuildFromNdjson(options.events, settled, {
      ...rebuild,
      onStreamEnd: (streamId) => settled.settleStream(streamId, from, to),
    });
    if (!settled.reopened) {
      if (result.badLineCount > 0) for await (const _ of sourceEvents(options));
      return settled;
    }
    // Streams interleaved (not an export): read again keeping every member's history.
  }
  if (!period) {
    // When its stream ends, each member is reduced to what the query reads:
    // its purchases' times and nets (rfm), or its lots holding points (balances, liability).
    const settled = new LedgerProjection({ keepHistory: false });
    const result = await rebuildFromNdjson(options.events, settled, {
      ...rebuild,
      onStreamEnd: (streamId) =>
        name === "rfm" ? settled.settleRfmStream(streamId) : settled.settleAsOfStream(streamId),
    });
    if (!settled.reopened) {
      if (result.badLineCount > 0) for await (const _ of sourceEvents(options));
      return settled;
    }
  }
  const result = await rebuildFromNdjson(options.events, projection, rebuild);
  if (result.badLineCount > 0) {
    // Rare: read the file again the strict way, which names the first bad line as usual.
    for await (const _ of sourceEvents(options));
  }
  return projection;
};

/** The spec 6 result of one query over a projection, as plain JSON. */
export const queryResult = (name: QueryName, ledger: LedgerProjection, options: QueryOptions): JsonValue => {
  const asOf = options.asOf as string;
  const from = options.from as string;
  const to = options.to as string;
  switch (name) {
    case "balances":
      return balancesAsOf(ledger, asOf) as unknown as JsonValue;
    case "rfm":
      return rfmAsOf(ledger, asOf) as unknown as JsonValue;
    case "liability":
      return liabilityAsOf(ledger, asOf) as unknown as JsonValue;
    case "kpis":
      return kpis(ledger, from, to) as unknown as JsonValue;
    case "rollforward":
      return rollforward(ledger, from, to) as unknown as JsonValue;
  }
};

/** Below this size a file is read in this thread: starting workers costs more than it saves. */
const PARALLEL_MIN_BYTES = 16 * 2 ** 20;

/**
 * `vafa rfm --events` on a large file, on every core, each reading its part
 * of the file: rows equal to the single-threaded ones (rfm-parallel.test.ts).
 * Undefined when one thread is the better choice (small file, one core) or
 * the only one that is exact (streams interleaved).
 */
const rfmOnWorkers = async (options: QueryOptions): Promise<JsonValue | undefined> => {
  const path = options.events as string;
  const workers = availableParallelism();
  await checkReadableFile("--events", path);
  if (workers < 2 || (await stat(path)).size < PARALLEL_MIN_BYTES) return undefined;
  const { rows, badLineCount } = await rfmFromNdjsonParallel(path, options.asOf as string, workers);
  // Rare: read the file again the strict way, which names the first bad line as usual.
  if (badLineCount > 0) for await (const _ of sourceEvents(options));
  // Undefined when streams are not one after another (not an export): one thread reads it.
  return rows as unknown as JsonValue | undefined;
};

/** `vafa balances | rfm | liability | kpis | rollforward` (spec 8). */
export const runQuery = async (name: QueryName, options: QueryOptions, io: CliIo): Promise<number> => {
  const parallel = name === "rfm" && options.events !== undefined ? await rfmOnWorkers(options) : undefined;
  const result = parallel ?? queryResult(name, await projectForQuery(name, options), options);
  await writeOut(io.stdout, render(result, options.format));
  return 0;
};
