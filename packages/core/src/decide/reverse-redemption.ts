import type { ReverseRedemptionCommand } from "../commands.js";
import { type Rejection, reject } from "../errors.js";
import { debtRepaid } from "../lots.js";
import { isExpired } from "../state.js";
import type { Draft } from "./draft.js";

/** Step 6 of a reversal (spec 5.5): the points go back, debt first; those in expired lots expire at once. */
export const decideReverseRedemption = (
  c: ReverseRedemptionCommand,
  out: Draft,
  now: number,
): Rejection | undefined => {
  const r = out.state.redemptions.get(c.redemptionId);
  if (!r)
    return reject("UNKNOWN_REDEMPTION", `redemptionId: ${c.redemptionId} is not a redemption of this member`);
  // A reversed redemption never gets here: step 3 makes it a replay or ALREADY_REVERSED.
  // club-v1 §2: a used coupon keeps its redemption.
  const coupon = out.state.coupons.get(c.redemptionId);
  if (coupon?.usedAt !== undefined)
    return reject("COUPON_USED", `redemptionId: the coupon of ${c.redemptionId} was already used`);
  out.emit("RedemptionReversed", now, {
    redemptionId: r.redemptionId,
    points: r.points,
    debtRepaid: debtRepaid(r.points, out.state.debt),
    allocations: r.allocations.map((a) => ({ lotId: a.lotId, points: a.points })),
  });
  // Points returned to lots already past their expiry expire at once, in allocation order.
  const seen = new Set<string>();
  for (const a of r.allocations) {
    const lot = out.state.lots.find((l) => l.lotId === a.lotId);
    if (!lot || seen.has(lot.lotId) || lot.remaining <= 0 || !isExpired(lot, now)) continue;
    seen.add(lot.lotId);
    out.emit("PointsExpired", now, { lotId: lot.lotId, points: lot.remaining });
  }
  // club-v1 §9: voided after the expiries, also when already past validUntil.
  if (coupon) out.emit("CouponVoided", now, { couponId: coupon.couponId });
  return undefined;
};
