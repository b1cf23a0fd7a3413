import type { RefundCommand } from "../commands.js";
import { type Rejection, reject } from "../errors.js";
import { allocate, clawbackLots, clawbackPoints } from "../lots.js";
import { Dec } from "../money.js";
import type { Purchase } from "../state.js";
import type { Draft } from "./draft.js";

/** Step 6 of a refund (spec 5.3): the refund, then the clawback it calls for. */
export const decideRefund = (c: RefundCommand, out: Draft, now: number): Rejection | undefined => {
  const before = out.state.purchases.get(c.purchaseId);
  if (!before)
    return reject("UNKNOWN_PURCHASE", `purchaseId: ${c.purchaseId} is not a purchase of this member`);
  const left = new Dec(before.amount).minus(before.refunded);
  if (new Dec(c.amount).gt(left))
    return reject(
      "REFUND_EXCEEDS_PURCHASE",
      `amount: ${c.amount} exceeds what is left to refund (${left.toFixed()})`,
    );
  out.emit("PurchaseRefunded", now, { purchaseId: c.purchaseId, refundId: c.refundId, amount: c.amount });
  const p = out.state.purchases.get(c.purchaseId) as Purchase; // the entry after the refund
  const take = clawbackPoints(p, p.refunded);
  if (take <= 0) return undefined;
  const { allocations, rest } = allocate(clawbackLots(out.state, p.lotId, now), take);
  out.emit("PointsClawedBack", now, {
    purchaseId: c.purchaseId,
    refundId: c.refundId,
    points: take,
    allocations,
    debtIncurred: rest,
  });
  return undefined;
};
