/**
 * Input of the HTML report (`vafa report`). Plain JSON-able data: points are integers,
 * money is a decimal string (spec 1), times are ISO strings, rates are numbers.
 * The pieces follow the projection shapes of spec section 6 and the audit of section 7,
 * so the CLI can pass the projections' output through unchanged.
 */

export type Calendar = "gregorian" | "jalali";
export type ReportLang = "en" | "fa";

// The pieces are the projections' own shapes (spec 6), re-exported under report names.
import type { BalanceRow, Kpis, Liability, LiabilityBucket, RfmRow, Rollforward } from "@vafa/projections";
import { SEGMENTS } from "@vafa/projections";

/** One row of `balances` as of T (spec 6). */
type ReportBalance = BalanceRow;

export const RFM_SEGMENTS = SEGMENTS;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** One row of `rfm` as of T (spec 6). `segment` is kept a string so unknown input cannot crash the report. */
type ReportRfmRow = Omit<RfmRow, "r" | "f" | "m" | "segment"> & {
  r: number;
  f: number;
  m: number;
  segment: string;
};

/** `kpis` for the period [from, to) (spec 6). */
type ReportKpis = Kpis;

export const LIABILITY_BUCKETS = [
  "le30",
  "d31_90",
  "d91_180",
  "d181_365",
  "gt365",
  "never",
] as const satisfies readonly LiabilityBucket[];
export type LiabilityBucketKey = LiabilityBucket;

/** `liability` as of T (spec 6). */
type ReportLiability = Liability;

/** `rollforward` for [from, to) (spec 6). */
type ReportRollforward = Rollforward;

/** One audit finding (spec 7 / `audit --json`); a line that is not JSON has no stream. */
interface ReportAuditFinding {
  streamId: string | null;
  revision: number | null;
  eventId: string | null;
  code: string;
  message: string;
}

interface ReportAudit {
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

interface ReportTierCount {
  id: string;
  members: number;
}

/** Coupons of one reward as of T by state (club-v1 §2); `issued` counts them all, `open` the still usable ones. */
export interface ReportCouponCounts {
  issued: number;
  open: number;
  used: number;
  void: number;
  expired: number;
}

/** One reward of the catalogue as of T (club-v1 §2). */
export interface ReportReward {
  id: string;
  cost: number;
  /** Redemptions standing at T (not reversed). */
  redeemed: number;
  reversed: number;
  /** null: the reward has no stock limit. */
  stock: number | null;
  /** Claims held (claimed minus released) at T; null without stock. */
  claimed: number | null;
  stockLeft: number | null;
  /** null: the reward issues no coupon. */
  coupons: ReportCouponCounts | null;
}

/** One draw of the program as of T (club-v1 §3). */
export interface ReportDraw {
  id: string;
  entryFrom: string;
  entryTo: string;
  /** Ticket purchases (DrawEntered) up to T, and their tickets. */
  entries: number;
  ticketsBought: number;
  /** null until the draw is held (at or before T). */
  heldAt: string | null;
  entrants: number | null;
  tickets: number | null;
  winners: { rank: number; memberId: string; tickets: number; prizePoints: number }[];
}

/** The rewards & draws section; absent when the program has neither. */
export interface ReportClub {
  rewards: ReportReward[];
  draws: ReportDraw[];
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
  /** Rewards and draws as of T (club-v1 §2, §3); only when the program has any. */
  club?: ReportClub;
}

export interface ReportOptions {
  lang: ReportLang;
  /** How many audit findings the table lists (the rest are counted). Default 50. */
  maxFindings?: number;
}
