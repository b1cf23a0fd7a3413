/**
 * ReportData for the golden vectors (fixtures/vectors/<name>), for tests only: the projection
 * pieces are the expected-*.json files as they are; `monthly`, `tiers` and `audit` are derived
 * here from the expected export and program (the expected export audits clean, vectors README).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UTCDate } from "@date-fns/utc";
import { format as formatJalali } from "date-fns-jalali";
import type { Calendar, ReportData, ReportMonth } from "../report/types.js";

const VECTORS = fileURLToPath(new URL("../../../../fixtures/vectors/", import.meta.url));

export type VectorName = "gregorian" | "jalali" | "club-gregorian" | "club-jalali";

interface Envelope {
  streamId: string;
  type: string;
  occurredAt: string;
  data: { points?: number };
}

interface VectorProgram {
  programId: string;
  version: number;
  currency: string;
  calendar: Calendar;
  tiers: { levels: { id: string }[] };
  rfm: { windowDays: number };
}

function readJson<T>(name: VectorName, file: string): T {
  return JSON.parse(readFileSync(`${VECTORS}${name}/${file}`, "utf8")) as T;
}

function readEvents(name: VectorName): Envelope[] {
  return readFileSync(`${VECTORS}${name}/expected-events.ndjson`, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Envelope);
}

/** `YYYY-MM` of an instant in a calendar, by UTC day. */
function monthKey(iso: string, calendar: Calendar): string {
  return calendar === "jalali" ? formatJalali(new UTCDate(Date.parse(iso)), "yyyy-MM") : iso.slice(0, 7);
}

function nextMonth(key: string): string {
  const [y = 0, m = 1] = key.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** Recorded points per month from the first event's month to the month before `to` (test approximation: no implied expiries). */
function monthlyFromEvents(events: Envelope[], calendar: Calendar, to: string): ReportMonth[] {
  const inRange = events.filter((e) => e.occurredAt < to && e.streamId.startsWith("member-"));
  const sums = new Map<string, ReportMonth>();
  const first = inRange.map((e) => e.occurredAt).sort()[0];
  if (first === undefined) return [];
  const last = monthKey(new Date(Date.parse(to) - 1).toISOString(), calendar);
  for (let key = monthKey(first, calendar); key <= last; key = nextMonth(key)) {
    sums.set(key, { month: key, earned: 0, redeemed: 0, expired: 0 });
  }
  for (const e of inRange) {
    const row = sums.get(monthKey(e.occurredAt, calendar));
    const points = e.data.points ?? 0;
    if (!row) continue;
    if (e.type === "PointsEarned") row.earned += points;
    if (e.type === "PointsRedeemed") row.redeemed += points;
    if (e.type === "PointsExpired") row.expired += points;
  }
  return [...sums.values()];
}

export function vectorReportData(name: VectorName, generatedAt = "2024-01-02T09:30:00.000Z"): ReportData {
  const program = readJson<VectorProgram>(name, "program.json");
  const balances = readJson<ReportData["balances"]>(name, "expected-balances.json");
  const liability = readJson<ReportData["liability"]>(name, "expected-liability.json");
  const kpis = readJson<ReportData["kpis"]>(name, "expected-kpis.json");
  const events = readEvents(name);
  const tierCounts = new Map<string, number>();
  for (const b of balances) tierCounts.set(b.tier, (tierCounts.get(b.tier) ?? 0) + 1);
  return {
    programId: program.programId,
    programVersion: program.version,
    currency: program.currency,
    calendar: program.calendar,
    asOf: liability.asOf,
    generatedAt,
    balances,
    rfm: readJson(name, "expected-rfm.json"),
    rfmWindowDays: program.rfm.windowDays,
    kpis,
    liability,
    rollforward: readJson(name, "expected-rollforward.json"),
    audit: {
      ok: true,
      streams: new Set(events.map((e) => e.streamId)).size,
      events: events.length,
      findings: [],
    },
    monthly: monthlyFromEvents(events, program.calendar, kpis.to),
    monthlyCalendar: program.calendar,
    tiers: program.tiers.levels.map((level) => ({ id: level.id, members: tierCounts.get(level.id) ?? 0 })),
  };
}
