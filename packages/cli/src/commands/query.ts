import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import {
  balancesAsOf,
  ChainBrokenError,
  ChainVerifier,
  kpis,
  LedgerProjection,
  liabilityAsOf,
  type NdjsonRebuildResult,
  type Projection,
  type RebuildOptions,
  RFM_EVENT_TYPES,
  RFM_LEAN,
  RfmFold,
  rebuildFromNdjson,
  rebuildFromStore,
  rfmAsOf,
  rfmFromNdjsonParallel,
  rollforward,
} from "@vafa/projections";
import { checkReadableFile, type EventSourceOptions, sourceEvents } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { type JsonValue, type OutputFormat, render } from "../output-format.js";
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
 * Reads the file the strict way (`sourceEvents`): it throws at the first bad
 * line or break in the hash chain, named by its line, as every query does.
 */
const readStrictly = async (options: QueryOptions): Promise<void> => {
  for await (const _ of sourceEvents(options));
};

/**
 * One pass of `rebuildFromNdjson` over `--events`, verifying the hash chain
 * unless `--no-verify` (every line is then parsed; see docs/cli.md). A bad line
 * or a break sends the command to the strict reader, which names the first
 * of either by its line.
 */
const rebuildFile = async (
  options: QueryOptions,
  projection: Projection,
  rebuild: RebuildOptions,
): Promise<NdjsonRebuildResult> => {
  const path = options.events as string;
  let result: NdjsonRebuildResult;
  try {
    result = await rebuildFromNdjson(path, projection, {
      ...rebuild,
      // A fresh verifier for each pass: a file read again starts its streams again.
      ...(options.verify === false ? {} : { chain: new ChainVerifier() }),
    });
  } catch (error) {
    if (error instanceof ChainBrokenError) await readStrictly(options);
    throw error;
  }
  if (result.badLineCount > 0) await readStrictly(options);
  return result;
};

/**
 * The projection one query needs, and no more (spec 6): a query as of T folds
 * only the member events up to T and keeps no history (memory per member,
 * lots and purchases, not per event); RFM reads only the event types it uses,
 * and, with `--no-verify`, skips the other lines of a file unparsed. A period
 * query keeps the history of events before its end, to open the period.
 * A file's hash chain is verified as it is read, unless `--no-verify`.
 */
export const projectForQuery = async (name: QueryName, options: QueryOptions): Promise<LedgerProjection> => {
  const period = name === "kpis" || name === "rollforward";
  const projection = new LedgerProjection({ keepHistory: period });
  const rebuild: RebuildOptions = {
    until: period ? options.to : options.asOf,
    ...(name === "rfm" ? { types: RFM_EVENT_TYPES, lean: RFM_LEAN } : {}),
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
    await rebuildFile(options, settled, {
      ...rebuild,
      onStreamEnd: (streamId) => settled.settleStream(streamId, from, to),
    });
    if (!settled.reopened) return settled;
    // Streams interleaved (not an export): read again keeping every member's history.
  } else if (name !== "rfm") {
    // When its stream ends, each member is reduced to its answer as of T
    // (balances, liability). RFM from a file comes here only when `rfmInThread`
    // found streams interleaved: it is read the plain way at once.
    const settled = new LedgerProjection({ keepHistory: false });
    const asOf = options.asOf as string;
    await rebuildFile(options, settled, {
      ...rebuild,
      onStreamEnd: (streamId) => settled.settleAsOfStream(streamId, asOf),
    });
    if (!settled.reopened) return settled;
  }
  await rebuildFile(options, projection, rebuild);
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

/**
 * Below this size a file is read in this thread: starting workers costs more
 * than it saves (measured: a 32 MiB export, 0.64 CPU s in one thread, 0.96 on
 * two workers, and no faster on a busy machine).
 */
const PARALLEL_MIN_BYTES = 64 * 2 ** 20;

/**
 * `vafa rfm --events` on a large file, on every core, each reading its part
 * of the file: rows equal to the single-threaded ones (rfm-parallel.int.test.ts).
 * Each worker verifies the hash chain of its part (whole streams) unless
 * `--no-verify`. Undefined when one thread is the better choice (small file,
 * one core) or the only one that is exact (streams interleaved, or a break in
 * the chain, which one thread then names by its line).
 */
const rfmOnWorkers = async (options: QueryOptions): Promise<JsonValue | undefined> => {
  const path = options.events as string;
  const workers = availableParallelism();
  await checkReadableFile("--events", path);
  if (workers < 2 || (await stat(path)).size < PARALLEL_MIN_BYTES) return undefined;
  const { rows, badLineCount } = await rfmFromNdjsonParallel(path, options.asOf as string, workers, {
    verify: options.verify !== false,
  });
  // Rare: read the file again the strict way, which names the first bad line as usual.
  if (badLineCount > 0) await readStrictly(options);
  // Undefined when streams are not one after another (not an export): one thread reads it.
  return rows as unknown as JsonValue | undefined;
};

/**
 * `vafa rfm --events` in one thread, folding only what RFM reads (`RfmFold`,
 * each member reduced when its stream ends). Undefined when a member's stream
 * comes back (not an export): `projectForQuery` reads it the plain way.
 */
const rfmInThread = async (options: QueryOptions): Promise<JsonValue | undefined> => {
  const fold = new RfmFold();
  await rebuildFile(options, fold, {
    until: options.asOf,
    types: RFM_EVENT_TYPES,
    lean: RFM_LEAN,
    onStreamEnd: (streamId) => fold.settle(streamId),
  });
  return fold.reopened ? undefined : (fold.rows(options.asOf as string) as unknown as JsonValue);
};

/** `vafa balances | rfm | liability | kpis | rollforward` (spec 8). */
export const runQuery = async (name: QueryName, options: QueryOptions, io: CliIo): Promise<number> => {
  const rfmFile = name === "rfm" && options.events !== undefined;
  const fast = rfmFile ? ((await rfmOnWorkers(options)) ?? (await rfmInThread(options))) : undefined;
  const result = fast ?? queryResult(name, await projectForQuery(name, options), options);
  await writeOut(io.stdout, render(result, options.format));
  return 0;
};
