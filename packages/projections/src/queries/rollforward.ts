import type { LedgerView } from "../ledger-view.js";
import { queryPeriod } from "../time.js";
import { memberPeriod } from "./period.js";

/** Spec 6 rollforward. */
export interface Rollforward {
  from: string;
  to: string;
  opening: number;
  earned: number;
  redeemed: number;
  reversed: number;
  expired: number;
  clawedBack: number;
  debited: number;
  closing: number;
}

/**
 * Spec 6 rollforward for [from, to): opening and closing net balances summed
 * over members, and the flows in between; the identity
 * `opening + earned - redeemed + reversed - expired - clawedBack - debited = closing`
 * holds exactly (each member's flows are the difference of its two cuts).
 */
export const rollforward = (ledger: LedgerView, from: string, to: string): Rollforward => {
  const period = queryPeriod(from, to);
  const r: Rollforward = {
    from: period.from,
    to: period.to,
    opening: 0,
    earned: 0,
    redeemed: 0,
    reversed: 0,
    expired: 0,
    clawedBack: 0,
    debited: 0,
    closing: 0,
  };
  for (const rec of ledger.members()) {
    const p = memberPeriod(rec, period.from, period.to);
    r.opening += p.opening;
    r.earned += p.earned;
    r.redeemed += p.redeemed;
    r.reversed += p.reversed;
    r.expired += p.expired;
    r.clawedBack += p.clawedBack;
    r.debited += p.debited;
    r.closing += p.closing;
  }
  return r;
};
