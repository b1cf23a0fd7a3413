import { DAY_MS, floorDays } from "@vafa/core";
import type { LedgerView } from "../ledger-view.js";
import type { MemberFold } from "../member-fold.js";
import { formatMoneyUnits } from "../money.js";
import { queryTime } from "../time.js";

export const SEGMENTS = [
  "champions",
  "loyal_customers",
  "potential_loyalists",
  "new_customers",
  "promising",
  "need_attention",
  "about_to_sleep",
  "at_risk",
  "cant_lose",
  "hibernating",
] as const;
export type Segment = (typeof SEGMENTS)[number];
export type Score = 1 | 2 | 3 | 4 | 5;

/** Spec 6 segment table, indexed [r - 1][f - 1]. */
const SEGMENT_TABLE: readonly (readonly Segment[])[] = [
  ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
  ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
  ["about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers", "loyal_customers"],
  ["promising", "potential_loyalists", "potential_loyalists", "loyal_customers", "loyal_customers"],
  ["new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"],
];

export const segmentOf = (r: Score, f: Score): Segment => SEGMENT_TABLE[r - 1]?.[f - 1] as Segment;

/** One member's raw RFM values; `monetary` in 1e-8 money units. */
export interface RfmInput {
  memberId: string;
  recencyDays: number;
  frequency: number;
  monetary: bigint;
}

/** One row of spec 6 `rfm`. */
export interface RfmRow {
  memberId: string;
  recencyDays: number;
  frequency: number;
  monetary: string;
  r: Score;
  f: Score;
  m: Score;
  segment: Segment;
}

const compareBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Count of sorted values strictly below `x` (ascending `sorted`). */
const countBelow = <V>(sorted: readonly V[], x: V, cmp: (a: V, b: V) => number): number => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(sorted[mid] as V, x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Count of sorted values strictly above `x` (ascending `sorted`). */
const countAbove = <V>(sorted: readonly V[], x: V, cmp: (a: V, b: V) => number): number => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(sorted[mid] as V, x) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
};

const score = (worse: number, n: number): Score => (1 + Math.floor((5 * worse) / n)) as Score;

/**
 * Spec 6 scores: `1 + floor(5 * worse / n)` where `worse` counts members with a
 * strictly worse value (larger recency, smaller frequency, smaller monetary);
 * ties share a score. Rows keep the order of `inputs`.
 */
export const scoreRfm = (inputs: readonly RfmInput[]): RfmRow[] => {
  const n = inputs.length;
  const byNumber = (a: number, b: number): number => a - b;
  const recency = inputs.map((i) => i.recencyDays).sort(byNumber);
  const frequency = inputs.map((i) => i.frequency).sort(byNumber);
  const monetary = inputs.map((i) => i.monetary).sort(compareBig);
  return inputs.map((i) => {
    const r = score(countAbove(recency, i.recencyDays, byNumber), n);
    const f = score(countBelow(frequency, i.frequency, byNumber), n);
    const m = score(countBelow(monetary, i.monetary, compareBig), n);
    return {
      memberId: i.memberId,
      recencyDays: i.recencyDays,
      frequency: i.frequency,
      monetary: formatMoneyUnits(i.monetary),
      r,
      f,
      m,
      segment: segmentOf(r, f),
    };
  });
};

/**
 * A member's RFM values as of T from a fold of its events up to T, or
 * undefined when it has no purchase with a positive net amount.
 */
export const rfmInputOf = (f: MemberFold, tMs: number, windowStart: string): RfmInput | undefined => {
  let last: string | undefined;
  let frequency = 0;
  let monetary = 0n;
  for (const p of f.purchases) {
    const net = p.amount - p.refunded;
    if (net <= 0n) continue;
    if (last === undefined || p.at > last) last = p.at;
    if (p.at > windowStart) {
      frequency++;
      monetary += net;
    }
  }
  if (last === undefined) return undefined;
  return { memberId: f.memberId, recencyDays: floorDays(tMs - Date.parse(last)), frequency, monetary };
};

/** `rfmInputOf` over a settled member's purchases (canonical times, so ms order is text order). */
export const compactRfmInput = (
  memberId: string,
  p: { atMs: Float64Array; net: BigInt64Array },
  tMs: number,
  windowStartMs: number,
): RfmInput | undefined => {
  if (p.atMs.length === 0) return undefined;
  let last = Number.NEGATIVE_INFINITY;
  let frequency = 0;
  let monetary = 0n;
  for (let i = 0; i < p.atMs.length; i++) {
    const at = p.atMs[i] as number;
    if (at > last) last = at;
    if (at > windowStartMs) {
      frequency++;
      monetary += p.net[i] as bigint;
    }
  }
  return { memberId, recencyDays: floorDays(tMs - last), frequency, monetary };
};

/**
 * Spec 6 rfm as of T over members with a purchase at or before T whose net
 * amount is positive; the window `(T - windowDays, T]` comes from the program
 * of the highest version. Sorted by memberId.
 */
export const rfmAsOf = (ledger: LedgerView, asOf: string): RfmRow[] => scoreRfm(rfmInputs(ledger, asOf));

/** The raw RFM values as of T of the members that have some (sorted by memberId): what `rfmAsOf` scores. */
export const rfmInputs = (ledger: LedgerView, asOf: string): RfmInput[] => {
  const t = queryTime(asOf, "asOf");
  const tMs = Date.parse(t);
  const windowStart = new Date(tMs - ledger.program().rfmWindowDays * DAY_MS).toISOString();
  const inputs: RfmInput[] = [];
  const windowStartMs = Date.parse(windowStart);
  for (const rec of ledger.members()) {
    const compact = rec.rfmPurchases;
    const input =
      compact === undefined
        ? rfmInputOf(rec.foldAt(t, true), tMs, windowStart)
        : compactRfmInput(rec.memberId, compact, tMs, windowStartMs);
    if (input !== undefined) inputs.push(input);
  }
  return inputs;
};
