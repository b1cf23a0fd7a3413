import type { LedgerView } from "../ledger-view.js";
import { snapshotLots } from "../member-fold.js";
import { queryTime } from "../time.js";

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
    const f = rec.foldAt(t, true);
    if (f.joinedAt === undefined || f.joinedAt > t) continue;
    const s = snapshotLots(f, t, true);
    if (f.tier === undefined && firstTier === undefined) firstTier = ledger.program().levelIds[0] ?? "";
    rows.push({
      memberId: rec.memberId,
      available: s.available,
      pending: s.pending,
      debt: f.debt,
      tier: f.tier ?? (firstTier as string),
      tierSince: f.tierSince ?? f.joinedAt,
      earned: f.earned,
      redeemed: f.redeemed,
      reversed: f.reversed,
      expired: f.expired + s.impliedExpired,
      clawedBack: f.clawedBack,
      debited: f.debited,
    });
  }
  return rows;
};
