import type { Program } from "@vafa/core";
import { type AuditInput, type AuditReport, auditEvents } from "@vafa/projections";
import { EXIT } from "../errors.js";
import { exportLines } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { loadProgram } from "../program-file.js";
import { openStore } from "../stores.js";

export interface AuditCommandOptions {
  store: string;
  events?: string;
  program?: string;
  json?: boolean;
}

/** Audits the source (spec 7): raw export lines for `--events` (so damaged lines are findings), else the store's log. */
export const auditSource = async (options: {
  store: string;
  events?: string;
  programs: readonly Program[];
}): Promise<AuditReport> => {
  const auditOptions = { programs: options.programs };
  if (options.events !== undefined) return auditEvents(exportLines(options.events), auditOptions);
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
  const report = await auditSource({ store: options.store, events: options.events, programs });
  await writeOut(io.stdout, options.json ? `${JSON.stringify(report)}\n` : describeReport(report));
  return report.ok ? EXIT.ok : EXIT.failure;
};
