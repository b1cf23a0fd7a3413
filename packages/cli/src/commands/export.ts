import { type EventStore, toEnvelope } from "@vafa/core";
import { type CliIo, writeOut } from "../io.js";
import { openOutput } from "../output-file.js";
import { openStore } from "../stores.js";

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Writes every stored event as an envelope line (spec 2 key order), stream by stream. Returns the count. */
export const exportEvents = async (
  store: EventStore,
  write: (line: string) => Promise<void>,
): Promise<number> => {
  const streamIds = [...(await store.listStreams(""))].sort(byCodeUnits);
  let count = 0;
  for (const streamId of streamIds) {
    const events = await store.readStream(streamId);
    for (const event of events) {
      await write(`${JSON.stringify(toEnvelope(event))}\n`);
      count += 1;
    }
  }
  return count;
};

/** `vafa export` (spec 8): envelopes as NDJSON, streams sorted by id (code units), each in revision order. */
export const runExport = async (options: { store: string; out?: string }, io: CliIo): Promise<number> => {
  const output = await openOutput(options.out, io);
  const store = await openStore(options.store);
  try {
    await exportEvents(store, (line) => writeOut(output.stream, line));
  } finally {
    await store.close().catch(() => undefined);
    await output.close();
  }
  return 0;
};
