import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type EventStore,
  eventIdFor,
  genesisHash,
  hashEvent,
  type Program,
  programSchema,
  toEnvelope,
} from "@vafa/core";
import { auditEvents } from "../audit/audit.js";
import type { AuditLine, AuditOptions, AuditReport } from "../audit/types.js";

// Test helpers: load a golden export, edit it, and make it consistent again
// (revisions, event ids, lot ids, hashes) so an edit reaches the content checks.

export type Calendar = "gregorian" | "jalali";

/** A loosely typed envelope: tests edit anything, on purpose. */
export interface Env {
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  // biome-ignore lint/suspicious/noExplicitAny: test data is edited freely
  data: any;
  metadata: { commandId: string; prevHash: string; hash: string; [k: string]: unknown };
}

const vectorPath = (calendar: Calendar, file: string): string =>
  fileURLToPath(new URL(`../../../../fixtures/vectors/${calendar}/${file}`, import.meta.url));

export const exportPath = (calendar: Calendar): string => vectorPath(calendar, "expected-events.ndjson");

export const exportText = (calendar: Calendar): string => readFileSync(exportPath(calendar), "utf8");

export const loadExport = (calendar: Calendar): Env[] =>
  exportText(calendar)
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Env);

export const loadProgram = (calendar: Calendar): Program =>
  programSchema.parse(JSON.parse(readFileSync(vectorPath(calendar, "program.json"), "utf8")));

export const clone = (events: Env[]): Env[] => structuredClone(events);

/** The event at stream/revision (throws in a test that names a missing one). */
export const find = (events: Env[], streamId: string, revision: number): Env => {
  const e = events.find((x) => x.streamId === streamId && x.revision === revision);
  if (!e) throw new Error(`no event ${streamId}@${revision}`);
  return e;
};

/** Recomputes prevHash and hash along each stream, in the order given. */
export const rechain = (events: Env[]): Env[] => {
  const last = new Map<string, string>();
  for (const e of events) {
    const prevHash = last.get(e.streamId) ?? genesisHash(e.streamId);
    e.metadata.prevHash = prevHash;
    e.metadata.hash = hashEvent(prevHash, e);
    last.set(e.streamId, e.metadata.hash);
  }
  return events;
};

/**
 * After inserting or removing events: renumbers revisions, re-derives event ids
 * (a PointsEarned's lotId follows its eventId, and allocations follow the lot),
 * then re-chains the hashes.
 */
export const normalize = (events: Env[]): Env[] => {
  const revision = new Map<string, number>();
  const counts = new Map<string, number>();
  const lotIds = new Map<string, string>();
  for (const e of events) {
    e.revision = revision.get(e.streamId) ?? 0;
    revision.set(e.streamId, e.revision + 1);
    const key = `${e.streamId}|${e.metadata.commandId}`;
    const index = counts.get(key) ?? 0;
    counts.set(key, index + 1);
    e.eventId = eventIdFor(e.streamId, e.metadata.commandId, index);
    if (e.type === "PointsEarned") {
      if (!lotIds.has(e.data.lotId)) lotIds.set(e.data.lotId, e.eventId);
      e.data.lotId = e.eventId;
    }
    if (e.type === "PointsExpired") e.data.lotId = lotIds.get(e.data.lotId) ?? e.data.lotId;
    for (const a of e.data.allocations ?? []) a.lotId = lotIds.get(a.lotId) ?? a.lotId;
  }
  return rechain(events);
};

export const toLines = (events: Env[]): AuditLine[] =>
  events.map((e, i) => ({ line: i + 1, text: JSON.stringify(e) }));

export const audit = (events: Env[], options?: AuditOptions): Promise<AuditReport> =>
  auditEvents(toLines(events), options);

/** Findings as "CODE stream@revision" strings: compact to compare in tests. */
export const where = (report: AuditReport): string[] =>
  report.findings.map((f) => `${f.code} ${f.streamId ?? "-"}@${f.revision ?? "-"}`);

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The export of a store (spec 8), as the lines the audit reads. */
export const exportLines = async (store: EventStore): Promise<AuditLine[]> => {
  const lines: AuditLine[] = [];
  for (const streamId of [...(await store.listStreams(""))].sort(byCodeUnits))
    for (const e of await store.readStream(streamId))
      lines.push({ line: lines.length + 1, text: JSON.stringify(toEnvelope(e)) });
  return lines;
};
