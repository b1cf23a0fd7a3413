import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, type Program, parseTime, type StoredEvent } from "../index.js";
import { createTestKeyStore } from "./key-store.js";
import { nonAtomicStore } from "./non-atomic-store.js";

// Runs a golden vector folder the way `vafa import` does (spec 8) on the memory store.
// The club vectors (club-v1) need the coupon secret and the test data keys of
// their README: every run gets them; the ledger-v1 vectors use neither. A folder
// with `crashes.json` ({"lines": [...]}) runs on a store without atomic
// multi-stream appends (as EventStoreDB) and, on those lines, the process
// "dies" after the claim and before the member's events (club-v1 §2): the line
// is counted as `crashed`, neither accepted nor rejected.

const vectorsRoot = join(import.meta.dirname, "../../../../fixtures/vectors");
/** The coupon secret of the club vectors (club-v1 §2). */
export const VECTOR_COUPON_SECRET = "vafa-test-secret";

/** `batchSize` runs the commands through `executeMany` in batches of that many lines. */
export const runVector = async (name: string, batchSize?: number) => {
  const dir = join(vectorsRoot, name);
  const program = JSON.parse(readFileSync(join(dir, "program.json"), "utf8")) as Program;
  const lines = readFileSync(join(dir, "commands.ndjson"), "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const crashFile = join(dir, "crashes.json");
  const crashLines = new Set<number>(
    existsSync(crashFile) ? (JSON.parse(readFileSync(crashFile, "utf8")) as { lines: number[] }).lines : [],
  );
  const crash: { streamPrefix?: string | undefined } = {};
  const store = crashLines.size > 0 ? nonAtomicStore(createMemoryStore(), crash) : createMemoryStore();
  const keyStore = createTestKeyStore();
  const ledger = createLedger({ store, program, couponSecret: VECTOR_COUPON_SECRET, keyStore });
  let crashed = 0;
  /** A crash line alone: armed, run, disarmed whatever happened (a rejection appends nothing). */
  const runCrashing = async (value: unknown) => {
    crash.streamPrefix = "member-";
    try {
      return await ledger.execute(value);
    } catch {
      crashed++;
      return undefined;
    } finally {
      crash.streamPrefix = undefined;
    }
  };
  const parsed = lines.map((l) => {
    try {
      return JSON.parse(l) as unknown;
    } catch {
      return undefined;
    }
  });
  const firstAt = parsed.find(
    (v): v is { at: string } =>
      typeof v === "object" &&
      v !== null &&
      typeof (v as { at?: unknown }).at === "string" &&
      parseTime((v as { at: string }).at) !== undefined,
  );
  const published = await ledger.publishProgram(firstAt ? firstAt.at : "1970-01-01T00:00:00.000Z");
  let events = published.events.length;
  let accepted = 0;
  const rejects: { line: number; code: string; message: string }[] = [];
  const record = (i: number, outcome: Awaited<ReturnType<typeof ledger.execute>>) => {
    if (outcome.status === "accepted") {
      accepted++;
      events += outcome.events.length;
    } else rejects.push({ line: i + 1, code: outcome.rejection.code, message: outcome.rejection.message });
  };
  const notJson = {
    status: "rejected" as const,
    rejection: { code: "VALIDATION", message: "line: not valid JSON" },
  };
  let batch: number[] = [];
  const flush = async () => {
    const valid = batch.filter((i) => parsed[i] !== undefined);
    const outcomes = await ledger.executeMany(valid.map((i) => parsed[i]));
    for (const i of batch)
      record(i, parsed[i] === undefined ? notJson : (outcomes.shift() as typeof notJson));
    batch = [];
  };
  for (const [i, line] of lines.entries()) {
    if (/^[ \t]*$/.test(line)) continue;
    if (crashLines.has(i + 1)) {
      if (batch.length > 0) await flush();
      const outcome = await runCrashing(parsed[i]);
      if (outcome) record(i, outcome);
      continue;
    }
    if (batchSize !== undefined) {
      batch.push(i);
      if (batch.length >= batchSize) await flush();
      continue;
    }
    const value = parsed[i];
    record(i, value === undefined ? notJson : await ledger.execute(value));
  }
  if (batch.length > 0) await flush();
  const exported: StoredEvent[] = [];
  for (const streamId of [...(await store.listStreams(""))].sort())
    exported.push(...(await store.readStream(streamId)));
  // Events of a crashed line that reached the store (its claim) count too.
  if (crashLines.size > 0) events = exported.length;
  return {
    dir,
    accepted,
    rejected: rejects.length,
    events,
    rejects,
    exported,
    keyStore,
    store,
    program,
    ...(crashLines.size > 0 ? { crashed } : {}),
  };
};
