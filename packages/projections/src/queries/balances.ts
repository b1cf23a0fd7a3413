import type { LedgerView } from "../ledger-view.js";
import { queryTime } from "../time.js";
import { memberAsOf } from "./member-asof.js";

/** One row of spec 6 `balances`. */
export interface BalanceRow {
  memberId: string;
  available: number;
  pending: number;
  debt: number;
  tier: string;
  tierSince: string;
  earned: number;
  redeemed: number;
  reversed: number;
  expired: number;
  clawedBack: number;
  debited: number;
}

/**
 * Spec 6 balances as of T: one row per member joined at or before T (prospects
 * included), sorted by memberId. `expired` includes the implied expiries of
 * lots with `expiresAt <= T` that no `PointsExpired` took yet.
 */
export const balancesAsOf = (ledger: LedgerView, asOf: string): BalanceRow[] => {
  const t = queryTime(asOf, "asOf");
  const rows: BalanceRow[] = [];
  let firstTier: string | undefined;
  for (const rec of ledger.members()) {
    const m = memberAsOf(rec, t);
    if (m.joinedAt === undefined || m.joinedAt > t) continue;
    if (m.tier === undefined && firstTier === undefined) firstTier = ledger.program().levelIds[0] ?? "";
    rows.push({
      memberId: rec.memberId,
      available: m.available,
      pending: m.pending,
      debt: m.debt,
      tier: m.tier ?? (firstTier as string),
      tierSince: m.tierSince as string,
      earned: m.earned,
      redeemed: m.redeemed,
      reversed: m.reversed,
      expired: m.expired,
      clawedBack: m.clawedBack,
      debited: m.debited,
    });
  }
  return rows;
};
