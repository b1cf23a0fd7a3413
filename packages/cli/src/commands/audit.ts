import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { type EventStore, type Program, testDataKey } from "@vafa/core";
import {
  type AuditInput,
  type AuditLine,
  type AuditOptions,
  type AuditReport,
  auditEvents,
  auditNdjsonFileParallel,
  auditReadable,
  HeadTracker,
  programsPublishedIn,
} from "@vafa/projections";
import { EXIT, usageError } from "../errors.js";
import { checkReadableFile, exportLines } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { openKeyStore, usesTestDataKeys } from "../key-stores.js";
import { loadProgram } from "../program-file.js";
import { openStore } from "../stores.js";

export interface AuditCommandOptions {
  store: string;
  events?: string;
  program?: string;
  json?: boolean;
  /** `--expect-head`: the head digest the log must still reach (64 hex digits). */
  expectHead?: string;
  /** `--head-at`: compute the head over events recorded at or before this (normalised) time. */
  headAt?: string;
  /** Threads for an `--events` file; undefined: every core for a large file, else this thread. */
  workers?: number;
  /** `--key-store` (club-v1 §6): sealed birth dates are opened and their birthdays re-derived. */
  keyStore?: string;
  /** `--test-data-keys`: the golden vectors' derived keys. */
  testDataKeys?: boolean;
}

/** Feeds each item to the head tracker on its way to the audit (one pass over the source). */
async function* tracked(items: AsyncIterable<AuditInput>, head: HeadTracker): AsyncGenerator<AuditInput> {
  for await (const item of items) {
    if (typeof (item as AuditLine).text === "string") head.pushLine((item as AuditLine).text);
    else head.push(item as Parameters<HeadTracker["push"]>[0]);
    yield item;
  }
}

/** Below this size a file is audited in this thread: starting workers costs more than it saves. */
const PARALLEL_MIN_BYTES = 16 * 2 ** 20;

/** How many threads audit an export: the given count, else every core for a large file. */
const workersFor = async (path: string, workers: number | undefined): Promise<number> => {
  if (workers !== undefined) return workers;
  const { size } = await stat(path);
  return size >= PARALLEL_MIN_BYTES ? availableParallelism() : 1;
};

/** Audits the source (spec 7): raw export lines for `--events` (so damaged lines are findings), else the store's log. */
export const auditSource = async (options: {
  store: string;
  events?: string;
  programs: readonly Program[];
  /** Receives every event too, for the head digest. */
  head?: HeadTracker;
  workers?: number;
  keyStore?: string;
  testDataKeys?: boolean;
}): Promise<AuditReport> => {
  // club-v1 §10 "Audit": keys are optional; a sealed birth date without one is counted, not judged.
  const testKeys = usesTestDataKeys(options);
  const auditOptions: AuditOptions = {
    programs: options.programs,
    ...(testKeys ? { dataKeys: testDataKey } : {}),
  };
  if (options.keyStore !== undefined && !testKeys && options.events !== undefined)
    throw usageError(
      "--key-store: give it with --store (the audit reads the members' keys from the store's members)",
    );
  const follow = (items: AsyncIterable<AuditInput>) => (options.head ? tracked(items, options.head) : items);
  if (options.events !== undefined) {
    // Worker threads give the same report, finding for finding, and the same
    // head (each shard tracks the heads of its streams; spec 7; audit.parallel.int.test.ts).
    await checkReadableFile("--events", options.events);
    const workers = await workersFor(options.events, options.workers);
    if (workers > 1)
      return auditNdjsonFileParallel(options.events, {
        ...auditOptions,
        workers,
        ...(options.head ? { head: options.head } : {}),
      });
    // Read twice at most: memory per stream for an export (projections' file-audit.ts).
    const path = options.events;
    return auditReadable(() => follow(exportLines(path)), auditOptions, await programsPublishedIn(path));
  }
  const store = await openStore(options.store);
  try {
    if (!testKeys && options.keyStore !== undefined)
      auditOptions.dataKeys = await preloadKeys(store, options.keyStore, options.store);
    return await auditEvents(follow(store.readAll() as AsyncIterable<AuditInput>), auditOptions);
  } finally {
    await store.close().catch(() => undefined);
  }
};

/** Every member's key from `--key-store`, read before the audit (which looks keys up synchronously). */
const preloadKeys = async (store: EventStore, keyStore: string, storeUrl: string) => {
  const keys = await openKeyStore({ keyStore, store: storeUrl, eventStore: store });
  const found = new Map<string, Uint8Array>();
  try {
    for (const streamId of await store.listStreams("member-")) {
      const memberId = streamId.slice("member-".length);
      const key = await keys?.get(memberId);
      if (key) found.set(memberId, key);
    }
  } finally {
    await keys?.close?.().catch(() => undefined);
  }
  return (memberId: string) => found.get(memberId);
};

export const countOf = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

const describeReport = (report: AuditReport): string => {
  const head = `${report.streams} streams, ${report.events} events: `;
  if (report.ok) return `${head}clean\n`;
  const lines = report.findings.map(
    (f) =>
      `${f.code} ${f.streamId ?? "(no stream)"} revision ${f.revision ?? "-"} ${f.eventId ?? "-"}: ${f.message}`,
  );
  return `${head}${countOf(report.findings.length, "finding")}\n${lines.join("\n")}\n`;
};

const HEX_64 = /^[0-9a-f]{64}$/;

/**
 * `vafa audit` (spec 7, 8): exit 0 when clean, 1 with findings. Prints the
 * head digest (docs/auditing.md); with `--expect-head`, a log that no longer
 * reaches that head is `HEAD_MISMATCH`, exit 1.
 */
export const runAudit = async (options: AuditCommandOptions, io: CliIo): Promise<number> => {
  const expected = options.expectHead?.toLowerCase();
  if (expected !== undefined && !HEX_64.test(expected))
    throw usageError(
      `--expect-head ${options.expectHead}: give the 64 hex digits vafa audit printed as head`,
    );
  const programs = options.program ? [await loadProgram(options.program)] : [];
  const tracker = new HeadTracker(options.headAt !== undefined ? { recordedUntil: options.headAt } : {});
  const report = await auditSource({
    store: options.store,
    events: options.events,
    programs,
    head: tracker,
    workers: options.workers,
    ...(options.keyStore !== undefined ? { keyStore: options.keyStore } : {}),
    ...(options.testDataKeys ? { testDataKeys: true } : {}),
  });
  const head = tracker.digest();
  const headOk = expected === undefined || head === expected;
  const at = options.headAt !== undefined ? ` (events recorded at or before ${options.headAt})` : "";
  if (options.json) {
    const json = {
      ...report,
      ok: report.ok && headOk,
      head,
      ...(options.headAt !== undefined ? { headAt: options.headAt } : {}),
      ...(expected !== undefined ? { expectedHead: expected, headMatches: headOk } : {}),
    };
    await writeOut(io.stdout, `${JSON.stringify(json)}\n`);
  } else {
    const mismatch = headOk
      ? ""
      : `HEAD_MISMATCH: the log no longer reaches head ${expected}${at}: events were removed, changed or rolled back since that head was taken; compare with the export filed with it\n`;
    await writeOut(io.stdout, `${describeReport(report)}head ${head}${at}\n${mismatch}`);
  }
  return report.ok && headOk ? EXIT.ok : EXIT.failure;
};
