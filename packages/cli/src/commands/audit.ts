import type { Program } from "@vafa/core";
import {
  type AuditInput,
  type AuditLine,
  type AuditReport,
  auditEvents,
  HeadTracker,
} from "@vafa/projections";
import { EXIT, usageError } from "../errors.js";
import { exportLines } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
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
}

/** Feeds each item to the head tracker on its way to the audit (one pass over the source). */
async function* tracked(items: AsyncIterable<AuditInput>, head: HeadTracker): AsyncGenerator<AuditInput> {
  for await (const item of items) {
    if (typeof (item as AuditLine).text === "string") head.pushLine((item as AuditLine).text);
    else head.push(item as Parameters<HeadTracker["push"]>[0]);
    yield item;
  }
}

/** Audits the source (spec 7): raw export lines for `--events` (so damaged lines are findings), else the store's log. */
export const auditSource = async (options: {
  store: string;
  events?: string;
  programs: readonly Program[];
  /** Receives every event too, for the head digest. */
  head?: HeadTracker;
}): Promise<AuditReport> => {
  const auditOptions = { programs: options.programs };
  const follow = (items: AsyncIterable<AuditInput>) => (options.head ? tracked(items, options.head) : items);
  if (options.events !== undefined) return auditEvents(follow(exportLines(options.events)), auditOptions);
  const store = await openStore(options.store);
  try {
    return await auditEvents(follow(store.readAll() as AsyncIterable<AuditInput>), auditOptions);
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
  const report = await auditSource({ store: options.store, events: options.events, programs, head: tracker });
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
