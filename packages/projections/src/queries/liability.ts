import type { LedgerView } from "../ledger-view.js";
import { pointsValue } from "../money.js";
import { addDaysIso, queryTime } from "../time.js";

export interface PointsAndValue {
  points: number;
  value: string;
}

export type LiabilityBucket = "le30" | "d31_90" | "d91_180" | "d181_365" | "gt365" | "never";

/** Spec 6 liability. */
export interface Liability {
  asOf: string;
  points: number;
  value: string;
  debt: number;
  buckets: Record<LiabilityBucket, PointsAndValue>;
}

/**
 * Spec 6 liability as of T: points in lots not expired at T (available and
 * pending), valued at the program's pointValue, bucketed by
 * `floorDays(expiresAt - T)`. Bucket edges are compared as ISO strings:
 * `floorDays(e - T) <= 30` is `e < T + 31 days`.
 */
export const liabilityAsOf = (ledger: LedgerView, asOf: string): Liability => {
  const t = queryTime(asOf, "asOf");
  const e31 = addDaysIso(t, 31);
  const e91 = addDaysIso(t, 91);
  const e181 = addDaysIso(t, 181);
  const e366 = addDaysIso(t, 366);
  let le30 = 0;
  let d31 = 0;
  let d91 = 0;
  let d181 = 0;
  let gt365 = 0;
  let never = 0;
  let debt = 0;
  for (const rec of ledger.members()) {
    const f = rec.foldAt(t, true);
    debt += f.debt;
    for (const lot of f.lots) {
      const r = lot.remaining;
      if (r <= 0) continue;
      const e = lot.expiresAt;
      if (e === null) never += r;
      else if (e <= t) continue;
      else if (e < e31) le30 += r;
      else if (e < e91) d31 += r;
      else if (e < e181) d91 += r;
      else if (e < e366) d181 += r;
      else gt365 += r;
    }
  }
  const pointValue = ledger.program().pointValue;
  const pv = (points: number): PointsAndValue => ({ points, value: pointsValue(points, pointValue) });
  const total = le30 + d31 + d91 + d181 + gt365 + never;
  return {
    asOf: t,
    points: total,
    value: pointsValue(total, pointValue),
    debt,
    buckets: {
      le30: pv(le30),
      d31_90: pv(d31),
      d91_180: pv(d91),
      d181_365: pv(d181),
      gt365: pv(gt365),
      never: pv(never),
    },
  };
};
