import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { Program } from "@vafa/core";
import { type AuditInput, type AuditReport, auditEvents, auditNdjsonFileParallel } from "@vafa/projections";
import { EXIT } from "../errors.js";
import { checkReadableFile, exportLines } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { loadProgram } from "../program-file.js";
import { openStore } from "../stores.js";

export interface AuditCommandOptions {
  store: string;
  events?: string;
  program?: string;
  json?: boolean;
  /** Threads for an `--events` file; undefined: every core for a large file, else this thread. */
  workers?: number;
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
  workers?: number;
}): Promise<AuditReport> => {
  const auditOptions = { programs: options.programs };
  if (options.events !== undefined) {
    // Worker threads give the same report, finding for finding (spec 7; audit.parallel.test.ts).
    await checkReadableFile("--events", options.events);
    const workers = await workersFor(options.events, options.workers);
    if (workers > 1) return auditNdjsonFileParallel(options.events, { ...auditOptions, workers });
    return auditEvents(exportLines(options.events), auditOptions);
  }
  const store = await openStore(options.store);
  try {
    return await auditEvents(store.readAll() as AsyncIterable<AuditInput>, auditOptions);
  } finally {
    await store.close().catch(() => undefined);
  }
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

/** `vafa audit` (spec 7, 8): exit 0 when clean, 1 with findings. */
export const runAudit = async (options: AuditCommandOptions, io: CliIo): Promise<number> => {
  const programs = options.program ? [await loadProgram(options.program)] : [];
  const report = await auditSource({
    store: options.store,
    events: options.events,
    programs,
    workers: options.workers,
  });
  await writeOut(io.stdout, options.json ? `${JSON.stringify(report)}\n` : describeReport(report));
  return report.ok ? EXIT.ok : EXIT.failure;
};
