import type { RedeemCommand } from "../commands.js";
import { couponCode } from "../coupon-code.js";
import { type Rejection, reject, VafaError } from "../errors.js";
import { allocate, availableLotsFifo } from "../lots.js";
import { DAY_MS, parseTime, toIso } from "../primitives.js";
import { findReward, type Reward } from "../program-rewards.js";
import { availablePoints, type MemberState, type Redemption } from "../state.js";
import { w } from "../working-copy.js";
import type { Draft } from "./draft.js";

/** 9999-12-31T23:59:59.999Z: the last time an event can carry. */
const LAST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Redemptions of `rewardId` that are not reversed, whatever their coupon's state (club-v1 §9 perMember). */
const heldRedemptions = (state: MemberState, rewardId: string): number => {
  let n = 0;
  for (const r of state.redemptions.values()) if (r.rewardId === rewardId && r.reversedAt === undefined) n++;
  return n;
};

/** The catalogue checks of club-v1 §2 before the points ones, first failing wins. */
const checkReward = (
  rewardId: string,
  out: Draft,
  now: number,
): { reward: Reward } | { rejection: Rejection } => {
  const reward = findReward(out.program.rewards, rewardId);
  if (!reward)
    return { rejection: reject("UNKNOWN_REWARD", `rewardId: ${rewardId} is not in the rewards catalogue`) };
  const from = reward.from === undefined ? undefined : (parseTime(reward.from) as number);
  const to = reward.to === undefined ? undefined : (parseTime(reward.to) as number);
  if ((from !== undefined && now < from) || (to !== undefined && now >= to))
    return {
      rejection: reject(
        "REWARD_NOT_AVAILABLE",
        `at: reward ${rewardId} can be redeemed from ${reward.from ?? "any time"} until before ${reward.to ?? "no end"}`,
      ),
    };
  if (reward.tiers !== undefined && !reward.tiers.includes(out.state.tier))
    return {
      rejection: reject(
        "TIER_NOT_ELIGIBLE",
        `rewardId: reward ${rewardId} is for tiers [${reward.tiers.join(", ")}]; the member is ${out.state.tier}`,
      ),
    };
  if (reward.perMember !== undefined && heldRedemptions(out.state, rewardId) >= reward.perMember)
    return {
      rejection: reject(
        "REWARD_LIMIT",
        `rewardId: the member already holds ${reward.perMember} redemption(s) of ${rewardId}; reverse one first`,
      ),
    };
  return { reward };
};

/**
 * Step 6 of a redemption (spec 5.5): FIFO from available lots. Against a
 * catalogue (club-v1 §2) the reward's checks come first and a coupon follows;
 * stock is the ledger's (it needs the reward stream).
 */
export const decideRedeem = (
  c: RedeemCommand,
  out: Draft,
  now: number,
  couponSecret: string | undefined,
): Rejection | undefined => {
  let reward: Reward | undefined;
  if (c.rewardId !== undefined && (out.program.rewards ?? []).length > 0) {
    const checked = checkReward(c.rewardId, out, now);
    if ("rejection" in checked) return checked.rejection;
    reward = checked.reward;
  }
  // validUntil must be a time events can carry (years up to 9999).
  if (reward?.coupon && now + reward.coupon.validDays * DAY_MS > LAST_TIME_MS)
    return reject(
      "VALIDATION",
      `rewardId: a coupon of ${reward.id} issued at ${toIso(now)} would be valid past 9999-12-31; shorten coupon.validDays`,
    );
  // Step 1 has checked that a given `points` equals the cost.
  const points = reward ? reward.cost : (c.points as number);
  const { minPoints } = out.program.redemption;
  if (points < minPoints)
    return reject("BELOW_MIN_REDEMPTION", `points: ${points} is below the minimum ${minPoints}`);
  const available = availablePoints(out.state, now);
  if (points > available)
    return reject("INSUFFICIENT_POINTS", `points: ${points} requested, ${available} available`);
  const { allocations } = allocate(availableLotsFifo(out.state, now), points);
  out.emit("PointsRedeemed", now, {
    redemptionId: c.redemptionId,
    points,
    ...(c.rewardId !== undefined ? { rewardId: c.rewardId } : {}),
    allocations,
  });
  if (reward) {
    // Step 3 of a later replay compares the form too (club-v1 §9); the event cannot say it.
    const redemptions = w(out.state, "redemptions");
    const stored = redemptions.get(c.redemptionId) as Redemption; // PointsRedeemed was just applied
    redemptions.set(c.redemptionId, { ...stored, pointsGiven: c.points !== undefined });
  }
  if (reward?.coupon) {
    if (!couponSecret) throw missingCouponSecret();
    out.emit("CouponIssued", now, {
      couponId: c.redemptionId,
      rewardId: reward.id,
      code: couponCode(couponSecret, c.memberId, c.redemptionId),
      validUntil: toIso(now + reward.coupon.validDays * DAY_MS),
    });
  }
  return undefined;
};

/** The configuration error of club-v1 §2: coupons need a secret. */
export const missingCouponSecret = (): VafaError =>
  new VafaError(
    "COUPON_SECRET_MISSING",
    "couponSecret: the program has rewards that issue coupons and no coupon secret was given",
    "set VAFA_COUPON_SECRET or pass --coupon-secret-file (couponSecret in createLedger)",
  );
