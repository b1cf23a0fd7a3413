/**
 * Analyst: RFM segments and KPIs at every month end of a year, as CSV.
 *
 *   node --import tsx examples/analyst/main.ts [--year 1997] [--out ./analyst-out]
 *
 * Runs the CDNOW club (fixtures/cdnow) on a memory store, rebuilds one ledger
 * projection from the event log, and asks it, for each month of the year:
 * - KPIs for the month [first day, first day of next month);
 * - RFM as of the month end (the last millisecond of the month), counted by segment;
 * and the full RFM table at the year end. Every answer is an as-of query on the
 * same projection: nothing is recomputed from the commands.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, type EventStore, type Program } from "@vafa/core";
import {
  createLedgerProjection,
  type Kpis,
  type LedgerProjection,
  type RfmRow,
  SEGMENTS,
} from "@vafa/projections";
import { stringify } from "csv-stringify/sync";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/cdnow/${name}`, import.meta.url));

export { SEGMENTS };

export interface MonthRow {
  month: string;
  kpis: Kpis;
  segments: Record<string, number>;
}

/** The 12 months of `year`: KPIs for each month and RFM segment counts at each month end. */
export const monthlyAnswers = (projection: LedgerProjection, year: number): MonthRow[] =>
  Array.from({ length: 12 }, (_, m) => {
    const from = new Date(Date.UTC(year, m, 1)).toISOString();
    const to = new Date(Date.UTC(year, m + 1, 1)).toISOString();
    const monthEnd = new Date(Date.UTC(year, m + 1, 1) - 1).toISOString();
    const segments: Record<string, number> = Object.fromEntries(SEGMENTS.map((s) => [s, 0]));
    for (const row of projection.rfmAsOf(monthEnd)) segments[row.segment] = (segments[row.segment] ?? 0) + 1;
    return { month: from.slice(0, 7), kpis: projection.kpis(from, to), segments };
  });

export const kpisCsv = (rows: MonthRow[], tierIds: readonly string[]): string => {
  const header = [
    "month",
    "members",
    "newMembers",
    "activeMembers",
    "repeatRate",
    "revenue",
    "pointsEarned",
    "pointsRedeemed",
    "pointsExpired",
    "pointsClawedBack",
    "redemptionRate",
    "breakageRate",
    "top20RevenueShare",
    "nps",
    ...tierIds.map((t) => `tier_${t}`),
  ];
  const body = rows.map(({ month, kpis: k }) => [
    month,
    k.members,
    k.newMembers,
    k.activeMembers,
    k.repeatRate,
    k.revenue,
    k.pointsEarned,
    k.pointsRedeemed,
    k.pointsExpired,
    k.pointsClawedBack,
    k.redemptionRate,
    k.breakageRate,
    k.top20RevenueShare,
    k.nps,
    ...tierIds.map((t) => k.tiers[t] ?? 0),
  ]);
  return stringify([header, ...body]);
};

export const segmentsCsv = (rows: MonthRow[]): string =>
  stringify([
    ["monthEnd", ...SEGMENTS],
    ...rows.map((r) => [r.month, ...SEGMENTS.map((s) => r.segments[s] ?? 0)]),
  ]);

export const rfmCsv = (rows: RfmRow[]): string =>
  stringify(rows, {
    header: true,
    columns: ["memberId", "recencyDays", "frequency", "monetary", "r", "f", "m", "segment"],
  });

/** Imports the CDNOW slice into `store` (rejections are counted, as in real life some redemptions fail). */
export const importCdnow = async (store: EventStore): Promise<{ program: Program; rejected: number }> => {
  const program = JSON.parse(readFileSync(fixture("program.json"), "utf8")) as Program;
  const lines = readFileSync(fixture("slice-commands.ndjson"), "utf8").trimEnd().split("\n");
  const ledger = createLedger({ store, program });
  await ledger.publishProgram((JSON.parse(lines[0] as string) as { at: string }).at);
  let rejected = 0;
  for (const line of lines) if ((await ledger.execute(JSON.parse(line))).status === "rejected") rejected += 1;
  return { program, rejected };
};

/** Writes kpis-<year>.csv, segments-<year>.csv and rfm-<year>-12-31.csv; returns their paths. */
export const runAnalyst = async (options: { year: number; outDir: string }): Promise<string[]> => {
  const store = createMemoryStore();
  const { program } = await importCdnow(store);
  const projection = createLedgerProjection({ program });
  for await (const event of store.readAll()) projection.apply(event);
  await store.close();

  const rows = monthlyAnswers(projection, options.year);
  const yearEnd = new Date(Date.UTC(options.year + 1, 0, 1) - 1).toISOString();
  mkdirSync(options.outDir, { recursive: true });
  const files: [string, string][] = [
    [
      `kpis-${options.year}.csv`,
      kpisCsv(
        rows,
        program.tiers.levels.map((l) => l.id),
      ),
    ],
    [`segments-${options.year}.csv`, segmentsCsv(rows)],
    [`rfm-${options.year}-12-31.csv`, rfmCsv(projection.rfmAsOf(yearEnd))],
  ];
  return files.map(([name, text]) => {
    const path = join(options.outDir, name);
    writeFileSync(path, text);
    return path;
  });
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { year: { type: "string", default: "1997" }, out: { type: "string", default: "./analyst-out" } },
  });
  const year = Number(values.year);
  if (!Number.isInteger(year)) {
    console.error(`--year must be a year like 1997, got ${values.year}`);
    process.exit(2);
  }
  for (const path of await runAnalyst({ year, outDir: values.out })) console.log(`wrote ${path}`);
}
