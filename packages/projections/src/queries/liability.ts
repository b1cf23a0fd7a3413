import type { LedgerView } from "../ledger-view.js";
import { pointsValue } from "../money.js";
import { queryTime } from "../time.js";
import { memberAsOf } from "./member-asof.js";

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
 * `floorDays(expiresAt - T)` (see `MemberAsOf`).
 */
export const liabilityAsOf = (ledger: LedgerView, asOf: string): Liability => {
  const t = queryTime(asOf, "asOf");
  let le30 = 0;
  let d31 = 0;
  let d91 = 0;
  let d181 = 0;
  let gt365 = 0;
  let never = 0;
  let debt = 0;
  // Sums of members' sums: points are integers (ledger-v1 §1), so the order of additions does not matter.
  for (const rec of ledger.members()) {
    const m = memberAsOf(rec, t);
    debt += m.debt;
    le30 += m.le30;
    d31 += m.d31_90;
    d91 += m.d91_180;
    d181 += m.d181_365;
    gt365 += m.gt365;
    never += m.never;
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
