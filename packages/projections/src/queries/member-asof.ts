import type { MemberRecord } from "../ledger-view.js";
import { type MemberFold, snapshotLots } from "../member-fold.js";
import { addDaysIso } from "../time.js";

/**
 * One member as of T: all that balances and liability read of its fold (spec
 * 6). A member whose stream has ended keeps only this (`settleAsOf`), about
 * twenty numbers instead of its lots and purchases.
 */
export interface MemberAsOf {
  joinedAt: string | undefined;
  /** `undefined` before a `TierChanged`: the program's first level (known only once the file is read). */
  tier: string | undefined;
  tierSince: string | undefined;
  debt: number;
  earned: number;
  redeemed: number;
  reversed: number;
  /** Recorded expiries plus the implied ones of lots with `expiresAt <= T`. */
  expired: number;
  clawedBack: number;
  debited: number;
  available: number;
  pending: number;
  /** Points of lots not expired at T by `floorDays(expiresAt - T)`: <= 30, 31-90, 91-180, 181-365, > 365, no expiry. */
  le30: number;
  d31_90: number;
  d91_180: number;
  d181_365: number;
  gt365: number;
  never: number;
}

/** The summary of a fold as of `t` (a query time in `toISOString` form). */
export type AsOfSummariser = (fold: MemberFold) => MemberAsOf;

const summariser = (t: string): AsOfSummariser => {
  // Bucket edges as ISO strings: `floorDays(e - T) <= 30` is `e < T + 31 days`.
  const e31 = addDaysIso(t, 31);
  const e91 = addDaysIso(t, 91);
  const e181 = addDaysIso(t, 181);
  const e366 = addDaysIso(t, 366);
  return (f) => {
    const s = snapshotLots(f, t, true);
    let le30 = 0;
    let d31 = 0;
    let d91 = 0;
    let d181 = 0;
    let gt365 = 0;
    let never = 0;
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
    return {
      joinedAt: f.joinedAt,
      tier: f.tier,
      tierSince: f.tierSince ?? f.joinedAt,
      debt: f.debt,
      earned: f.earned,
      redeemed: f.redeemed,
      reversed: f.reversed,
      expired: f.expired + s.impliedExpired,
      clawedBack: f.clawedBack,
      debited: f.debited,
      available: s.available,
      pending: s.pending,
      le30,
      d31_90: d31,
      d91_180: d91,
      d181_365: d181,
      gt365,
      never,
    };
  };
};

let last: { t: string; fn: AsOfSummariser } | undefined;

/** The summariser for `t` (one remembered: a query asks one T for every member). */
export const asOfSummariser = (t: string): AsOfSummariser => {
  if (last === undefined || last.t !== t) last = { t, fn: summariser(t) };
  return last.fn;
};

/** A member as of `t`: its settled summary, or one computed from its fold. */
export const memberAsOf = (rec: MemberRecord, t: string): MemberAsOf => rec.answerAt(t, asOfSummariser(t));
