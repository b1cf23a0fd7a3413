/**
 * Input of the HTML report (`vafa report`). Plain JSON-able data: points are integers,
 * money is a decimal string (spec 1), times are ISO strings, rates are numbers.
 * The pieces follow the projection shapes of spec section 6 and the audit of section 7,
 * so the CLI can pass the projections' output through unchanged.
 */

export type Calendar = "gregorian" | "jalali";
export type ReportLang = "en" | "fa";

// The pieces are the projections' own shapes (spec 6), re-exported under report names.
import type {
  BalanceRow,
  Kpis,
  Liability,
  LiabilityBucket,
  PointsAndValue,
  RfmRow,
  Rollforward,
} from "@vafa/projections";
import { SEGMENTS } from "@vafa/projections";

/** One row of `balances` as of T (spec 6). */
export type ReportBalance = BalanceRow;

export const RFM_SEGMENTS = SEGMENTS;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** One row of `rfm` as of T (spec 6). `segment` is kept a string so unknown input cannot crash the report. */
export type ReportRfmRow = Omit<RfmRow, "r" | "f" | "m" | "segment"> & {
  r: number;
  f: number;
  m: number;
  segment: string;
};

/** `kpis` for the period [from, to) (spec 6). */
export type ReportKpis = Kpis;

export const LIABILITY_BUCKETS = [
  "le30",
  "d31_90",
  "d91_180",
  "d181_365",
  "gt365",
  "never",
] as const satisfies readonly LiabilityBucket[];
export type LiabilityBucketKey = LiabilityBucket;
export type ReportLiabilityBucket = PointsAndValue;

/** `liability` as of T (spec 6). */
export type ReportLiability = Liability;

/** `rollforward` for [from, to) (spec 6). */
export type ReportRollforward = Rollforward;

/** One audit finding (spec 7 / `audit --json`); a line that is not JSON has no stream. */
export interface ReportAuditFinding {
  streamId: string | null;
  revision: number | null;
  eventId: string | null;
  code: string;
  message: string;
}

export interface ReportAudit {
  ok: boolean;
  streams: number;
  events: number;
  findings: ReportAuditFinding[];
}

/** Points per month; `month` is `YYYY-MM` in `ReportData.monthlyCalendar` ("2011-03", or Jalali "1390-12"). */
export interface ReportMonth {
  month: string;
  earned: number;
  redeemed: number;
  expired: number;
}

export interface ReportTierCount {
  id: string;
  members: number;
}

export interface ReportData {
  programId: string;
  /** Highest published program version the projections used (spec 5.10); optional for older callers. */
  programVersion?: number;
  currency: string;
  /** The program calendar (spec 1). */
  calendar: Calendar;
  /** The `--as-of` time T of balances, rfm and liability. */
  asOf: string;
  /** When the report was made; passed in so rendering reads no clock. */
  generatedAt: string;
  balances: ReportBalance[];
  rfm: ReportRfmRow[];
  /** The RFM window of the program (`rfm.windowDays`), shown next to the concentration curve. */
  rfmWindowDays?: number;
  kpis: ReportKpis;
  liability: ReportLiability;
  rollforward: ReportRollforward;
  audit: ReportAudit;
  /** In ascending month order. */
  monthly: ReportMonth[];
  /** The calendar of the `monthly` keys; defaults to `calendar`. */
  monthlyCalendar?: Calendar;
  /** Every tier level in program order with its member count as of T. */
  tiers: ReportTierCount[];
}

export interface ReportOptions {
  lang: ReportLang;
  /** How many audit findings the table lists (the rest are counted). Default 50. */
  maxFindings?: number;
}

/**
 * Contract for the CLI (type only; the CLI fills it from `@vafa/projections`).
 *
 * - `balances`, `rfm`, `liability` as of `asOf`; `kpis`, `rollforward` and `monthly` over
 *   `[from, to)`, where the CLI picks the period (suggested: the 12 program-calendar months
 *   ending with the month of `asOf`, and `to = asOf`).
 * - `monthly`: one row per month of the period (months without activity included, zeros),
 *   bucketed by `occurredAt` in the Jalali calendar when the program calendar is jalali or
 *   `lang` is fa, else in the Gregorian calendar, by UTC day; `earned` sums `PointsEarned`,
 *   `redeemed` sums `PointsRedeemed` and `DrawEntered` points (gross, reversals not netted), `expired` counts the
 *   points expired in the month as in spec 6 (recorded and implied); `monthlyCalendar` names
 *   the calendar used.
 * - `tiers`: every level of the highest published program version in order, counting the
 *   balances' `tier` as of `asOf`.
 * - `audit`: the result of the audit (spec 7) of the same events.
 * - `generatedAt`: the caller's clock, read once in the CLI, never in the renderer.
 */
export interface BuildReportDataInput<Events, Program> {
  events: Events;
  program: Program;
  asOf: string;
  from: string;
  to: string;
  lang: ReportLang;
  generatedAt: string;
}

export type BuildReportData<Events, Program> = (
  input: BuildReportDataInput<Events, Program>,
) => Promise<ReportData>;
