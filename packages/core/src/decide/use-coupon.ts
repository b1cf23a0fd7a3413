import type { UseCouponCommand } from "../commands.js";
import { sameCode } from "../coupon-code.js";
import { type Rejection, reject } from "../errors.js";
import { toIso } from "../primitives.js";
import type { Draft } from "./draft.js";

/** Step 6 of use-coupon (club-v1 §2): a used coupon was already refused in step 3. */
export const decideUseCoupon = (c: UseCouponCommand, out: Draft, now: number): Rejection | undefined => {
  const coupon = out.state.coupons.get(c.couponId);
  if (!coupon)
    return reject("UNKNOWN_COUPON", `couponId: ${c.couponId} is not a coupon of member ${c.memberId}`);
  if (!sameCode(c.code, coupon.code))
    return reject(
      "COUPON_CODE_MISMATCH",
      `code: does not match coupon ${c.couponId}; check the code as printed`,
    );
  if (coupon.voidedAt !== undefined)
    return reject("COUPON_VOID", `couponId: ${c.couponId} was voided when its redemption was reversed`);
  if (now >= coupon.validUntil)
    return reject("COUPON_EXPIRED", `at: coupon ${c.couponId} was valid until ${toIso(coupon.validUntil)}`);
  out.emit("CouponUsed", now, {
    couponId: c.couponId,
    ...(c.orderId !== undefined ? { orderId: c.orderId } : {}),
  });
  return undefined;
};
