import type { Allocation } from "./events.js";
import { Dec } from "./money.js";
import { fifoCompare, isExpired, isPending, type Lot, type MemberState, type Purchase } from "./state.js";

// The lot arithmetic of spec 5.3 to 5.5, in one place: the decider takes
// points with it and the audit (projections) checks recorded events with it.

/** Takes `points` from `lots` in the order given; returns the allocations and what is left untaken. */
export const allocate = (
  lots: readonly Pick<Lot, "lotId" | "remaining">[],
  points: number,
): { allocations: Allocation[]; rest: number } => {
  const allocations: Allocation[] = [];
  let rest = points;
  for (const lot of lots) {
    if (rest === 0) break;
    const take = Math.min(lot.remaining, rest);
    if (take > 0) {
      allocations.push({ lotId: lot.lotId, points: take });
      rest -= take;
    }
  }
  return { allocations, rest };
};

/** Lots a redemption or a debit takes from (spec 5.4): available at `now`, FIFO. */
export const availableLotsFifo = (s: MemberState, now: number): Lot[] =>
  s.lots.filter((l) => l.remaining > 0 && !isExpired(l, now) && !isPending(l, now)).sort(fifoCompare);

/**
 * Lots a clawback takes from (spec 5.3): the purchase's own lot first, then
 * the other lots that are not expired (pending ones too), FIFO.
 */
export const clawbackLots = (s: MemberState, ownLotId: string | undefined, now: number): Lot[] => {
  const index = ownLotId === undefined ? undefined : s.lotIndex.get(ownLotId);
  const own = index === undefined ? undefined : s.lots[index];
  const ownLive = own !== undefined && own.remaining > 0 && !isExpired(own, now) ? own : undefined;
  const others = s.lots.filter((l) => l !== own && l.remaining > 0 && !isExpired(l, now)).sort(fifoCompare);
  return ownLive ? [ownLive, ...others] : others;
};

/**
 * Points a refund claws back (spec 5.3, cumulative): once refunds reach
 * `refundedTotal`, the purchase has lost floor(earned * refunded / amount);
 * a full refund takes back exactly what the purchase earned.
 */
export const clawbackPoints = (
  p: Pick<Purchase, "amount" | "earned" | "clawed">,
  refundedTotal: Dec | string,
): number => new Dec(p.earned).times(refundedTotal).div(p.amount).floor().toNumber() - p.clawed;

/** Debt a new lot or a reversal of `points` repays first (spec 5.4, 5.5). */
export const debtRepaid = (points: number, debt: number): number => Math.min(points, debt);

/**
 * What a reversal gives back to each lot (spec 5.5): the first `debtRepaid`
 * points of the allocations, in order, repay debt; the rest go back.
 */
export const reversalReturns = (allocations: readonly Allocation[], repaid: number): Allocation[] => {
  let toDebt = repaid;
  return allocations.map((a) => {
    const share = Math.min(a.points, toDebt);
    toDebt -= share;
    return { lotId: a.lotId, points: a.points - share };
  });
};
