import type { MemberState, ProposedEvent } from "@vafa/core";
import type { EventLocation, Findings } from "./findings.js";
import { iso, repeated } from "./member-findings.js";

type Ev<T extends ProposedEvent["type"]> = ProposedEvent<T>;

/**
 * club-v1 §2 coupons: issued by a reward redemption, used once while valid,
 * voided by its reversal. Checked against the state before the event.
 */
export const checkCoupon = (
  findings: Findings,
  s: MemberState,
  e: ProposedEvent,
  loc: EventLocation,
  now: number,
): void => {
  if (e.type === "CouponIssued") {
    const d = (e as Ev<"CouponIssued">).data;
    const r = s.redemptions.get(d.couponId);
    if (s.coupons.has(d.couponId)) repeated(findings, loc, "couponId", d.couponId);
    else if (!r || r.rewardId !== d.rewardId || s.lastCommand.id !== `redeem:${d.couponId}`)
      findings.at(
        loc,
        "COUPON_MISMATCH",
        `coupon ${d.couponId} does not follow its redemption of ${d.rewardId}`,
      );
    else if (Date.parse(d.validUntil) <= now)
      findings.at(
        loc,
        "COUPON_MISMATCH",
        `coupon ${d.couponId} is valid until ${d.validUntil}, not after its issue`,
      );
  } else if (e.type === "CouponUsed") {
    const d = (e as Ev<"CouponUsed">).data;
    const c = s.coupons.get(d.couponId);
    const problem = !c
      ? "no such coupon was issued"
      : c.usedAt !== undefined
        ? "it was already used"
        : c.voidedAt !== undefined
          ? "it was voided"
          : now >= c.validUntil
            ? `it expired at ${iso(c.validUntil)}`
            : s.redemptions.get(d.couponId)?.reversedAt !== undefined
              ? "its redemption was reversed"
              : undefined;
    if (problem) findings.at(loc, "COUPON_MISMATCH", `use of coupon ${d.couponId}: ${problem}`);
  } else {
    const d = (e as Ev<"CouponVoided">).data;
    const c = s.coupons.get(d.couponId);
    const problem = !c
      ? "no such coupon was issued"
      : c.usedAt !== undefined
        ? "it was used"
        : c.voidedAt !== undefined
          ? "it was already voided"
          : s.redemptions.get(d.couponId)?.reversedAt === undefined
            ? "its redemption stands"
            : undefined;
    if (problem) findings.at(loc, "COUPON_MISMATCH", `void of coupon ${d.couponId}: ${problem}`);
  }
};
