import { readFileSync } from "node:fs";
import type { AuditReport } from "../audit/types.js";
import { clone, type Env, find, normalize, rechain } from "./audit-export.js";

// Rows of damaged input (spec 7): a log edited in one place, and its findings
// written out in full so a row pins code, stream@revision and message.

/** Each finding as "CODE stream@revision: message". */
export const full = (report: AuditReport): string[] =>
  report.findings.map((f) => `${f.code} ${f.streamId ?? "-"}@${f.revision ?? "-"}: ${f.message}`);

/** The events of one stream. */
export const only = (id: string, events: Env[]): Env[] => events.filter((e) => e.streamId === id);

/** A copy of `log` with streamId@revision changed, re-chained so no HASH_MISMATCH hides the change. */
export const changeAt = (log: Env[], streamId: string, revision: number, change: (e: Env) => void): Env[] => {
  const copy = clone(log);
  change(find(copy, streamId, revision));
  return rechain(copy);
};

/** A copy of `log` with a changed copy of streamId@revision right after it, renumbered and re-chained. */
export const insertAfter = (
  log: Env[],
  streamId: string,
  revision: number,
  change: (e: Env) => void,
): Env[] => {
  const copy = clone(log);
  const i = copy.findIndex((e) => e.streamId === streamId && e.revision === revision);
  const e = structuredClone(find(copy, streamId, revision));
  change(e);
  copy.splice(i + 1, 0, e);
  return normalize(copy);
};

/** The events of a vector under fixtures/ (`fixtures/<path>/expected-events.ndjson`). */
export const loadFixtureEvents = (path: string): Env[] =>
  readFileSync(new URL(`../../../../fixtures/${path}/expected-events.ndjson`, import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Env);

/** The club vectors' export (club-v1: sealed personal values, coupons, a draw, a forgotten member). */
export const loadClubExport = (calendar: "gregorian" | "jalali"): Env[] =>
  loadFixtureEvents(`vectors/club-${calendar}`);
