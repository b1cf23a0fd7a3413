import { type Program, type StoredEvent, toIso } from "@vafa/core";
import {
  type AuditReport,
  balancesAsOf,
  kpis,
  LedgerProjection,
  liabilityAsOf,
  rfmAsOf,
  rollforward,
} from "@vafa/projections";
import { monthsEndingAt } from "../months.js";
import { ClubCollector } from "./club-data.js";
import type { ReportData, ReportLang } from "./types.js";

/** Months in the report's period (spec 6 KPIs and roll-forward run over the same months). */
const REPORT_MONTHS = 12;

/** The ledger projection plus the program of the highest published version (the report needs its currency). */
export interface ProjectedLedger {
  ledger: LedgerProjection;
  program: Program | undefined;
  /** Rewards and draws (club-v1 §2, §3); optional for callers that only have the ledger. */
  club?: ClubCollector;
}

/** A ledger projection that also remembers the highest published program. */
export class ReportProjection implements ProjectedLedger {
  readonly ledger = new LedgerProjection();
  readonly club = new ClubCollector();
  program: Program | undefined;

  apply(event: StoredEvent): void {
    this.ledger.apply(event);
    this.club.apply(event);
    if (event.type === "ProgramPublished") {
      const published = (event.data as { program?: Program }).program;
      if (published && (this.program === undefined || published.version > this.program.version))
        this.program = published;
    }
  }
}

/** Folds events into a projection, remembering the highest published program. */
export const projectEvents = async (events: AsyncIterable<StoredEvent>): Promise<ReportProjection> => {
  const projection = new ReportProjection();
  for await (const event of events) projection.apply(event);
  return projection;
};

/**
 * Fills the report's data from the projections (spec 6) and the audit (spec 7).
 * The period is the 12 program-calendar months ending at `asOf` (the last cut at
 * `asOf`); months are Jalali when the program's calendar is or the report is in Persian.
 * `monthly` has one row per month of the period (zeros included): `earned` sums `PointsEarned`,
 * `redeemed` sums `PointsRedeemed` (gross), `expired` counts points expired as in spec 6.
 * `generatedAt` is the caller's clock, read once in the CLI, never in the renderer.
 */
export const buildReportData = (input: {
  projected: ProjectedLedger;
  audit: AuditReport;
  asOf: string;
  lang: ReportLang;
  generatedAt: string;
}): ReportData => {
  const { ledger } = input.projected;
  const view = ledger.program();
  const asOfMs = Date.parse(input.asOf);
  const monthlyCalendar = view.calendar === "jalali" || input.lang === "fa" ? "jalali" : "gregorian";
  const months = monthsEndingAt(monthlyCalendar, asOfMs, REPORT_MONTHS);
  const from = toIso(months[0]?.fromMs ?? asOfMs);
  const to = input.asOf;
  const balances = balancesAsOf(ledger, input.asOf);
  const monthly = months.map((span) => {
    const r = rollforward(ledger, toIso(span.fromMs), toIso(span.toMs));
    return { month: span.month, earned: r.earned, redeemed: r.redeemed, expired: r.expired };
  });
  const data: ReportData = {
    programId: view.programId,
    programVersion: view.version,
    currency: input.projected.program?.currency ?? "",
    calendar: view.calendar,
    asOf: input.asOf,
    generatedAt: input.generatedAt,
    balances,
    rfm: rfmAsOf(ledger, input.asOf),
    rfmWindowDays: view.rfmWindowDays,
    kpis: kpis(ledger, from, to),
    liability: liabilityAsOf(ledger, input.asOf),
    rollforward: rollforward(ledger, from, to),
    audit: input.audit,
    monthly,
    monthlyCalendar,
    tiers: view.levelIds.map((id) => ({ id, members: balances.filter((b) => b.tier === id).length })),
  };
  const club = input.projected.club?.build(input.projected.program, input.asOf);
  return club === undefined ? data : { ...data, club };
};
