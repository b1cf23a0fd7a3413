import type {
  DrawEntered,
  EventType,
  FeedbackSubmitted,
  PointsClawedBack,
  PointsDebited,
  PointsEarned,
  PointsExpired,
  PointsRedeemed,
  RedemptionReversed,
} from "@vafa/core";
import type { MemberRecord } from "../ledger-view.js";
import { MemberFold, num, snapshotLots } from "../member-fold.js";

/** One member over a period [from, to) of spec 6. */
export interface MemberPeriod {
  /** Of the fold of the events before `to` (what kpis reads). */
  joinedAt: string | undefined;
  tier: string | undefined;
  /** Purchases at or after `from` whose net (amount minus refunds before `to`) is positive, and the sum of those nets (1e-8 units). */
  purchases: number;
  revenue: bigint;
  /** Net balance immediately before `from` (events and expiries strictly earlier). */
  opening: number;
  /** Net balance immediately before `to`. */
  closing: number;
  earned: number;
  redeemed: number;
  reversed: number;
  /** Recorded `PointsExpired` in the period plus the implied expiries that the period adds. */
  expired: number;
  clawedBack: number;
  debited: number;
  promoters: number;
  detractors: number;
  responses: number;
  /** `MessageSent` in the period (club-v1 §5). */
  messagesSent: number;
  /** Purchases, redemptions, feedback, draw entries and coupon uses in the period (club-v1 §5). */
  interactions: number;
}

/**
 * Folds one member's events through a period in one pass (stream order, which
 * spec 2 makes non-decreasing in time). Expired in the period is
 * recorded-in-period + implied(before to) - implied(before from): for a clean
 * ledger that is exactly the spec's "implied expiries of lots with expiresAt
 * in it not recorded before to", and it keeps the roll-forward identity exact
 * on any input.
 */
export const memberPeriod = (rec: MemberRecord, from: string, to: string): MemberPeriod =>
  rec.periodOf(from, to, (r) => computePeriod(r, from, to));

const EMPTY_FOLD = new MemberFold("");

const computePeriod = (rec: MemberRecord, from: string, to: string): MemberPeriod => {
  let f: MemberFold = EMPTY_FOLD;
  const result: MemberPeriod = {
    joinedAt: undefined,
    tier: undefined,
    purchases: 0,
    revenue: 0n,
    opening: 0,
    closing: 0,
    earned: 0,
    redeemed: 0,
    reversed: 0,
    expired: 0,
    clawedBack: 0,
    debited: 0,
    promoters: 0,
    detractors: 0,
    responses: 0,
    messagesSent: 0,
    interactions: 0,
  };
  let impliedOpening: number;
  if (rec.lastAt < from) {
    // Nothing in the period: both cuts read the live fold.
    f = rec.live();
    const open = snapshotLots(f, from, false);
    result.opening = open.available + open.pending - f.debt;
    impliedOpening = open.impliedExpired;
  } else {
    if (!rec.keepHistory) rec.foldAt(from, false); // throws the "no history" error
    f = new MemberFold(rec.memberId);
    const history = rec.history;
    let opened = false;
    impliedOpening = 0;
    for (let i = 0; i < history.length; i += 3) {
      const at = history[i + 1] as string;
      if (at >= to) continue;
      const type = history[i] as EventType;
      const data = history[i + 2];
      if (at >= from) {
        if (!opened) {
          opened = true;
          const open = snapshotLots(f, from, false);
          result.opening = open.available + open.pending - f.debt;
          impliedOpening = open.impliedExpired;
        }
        countFlow(result, type, data);
      }
      f.apply(type, at, data);
    }
    if (!opened) {
      const open = snapshotLots(f, from, false);
      result.opening = open.available + open.pending - f.debt;
      impliedOpening = open.impliedExpired;
    }
  }
  const close = snapshotLots(f, to, false);
  result.closing = close.available + close.pending - f.debt;
  result.expired += close.impliedExpired - impliedOpening;
  result.joinedAt = f.joinedAt;
  result.tier = f.tier;
  for (const purchase of f.purchases) {
    if (purchase.at < from) continue;
    const n = purchase.amount - purchase.refunded;
    if (n > 0n) {
      result.purchases++;
      result.revenue += n;
    }
  }
  return result;
};

const countFlow = (p: MemberPeriod, type: EventType, data: unknown): void => {
  if (data === null || typeof data !== "object") return;
  switch (type) {
    case "PurchaseRecorded":
    case "CouponUsed":
      p.interactions++;
      return;
    case "MessageSent":
      p.messagesSent++;
      return;
    case "PointsEarned":
      p.earned += num((data as PointsEarned).points);
      return;
    case "PointsRedeemed":
      p.redeemed += num((data as PointsRedeemed).points);
      p.interactions++;
      return;
    case "DrawEntered": // draw tickets count as redeemed (club spec §3)
      p.redeemed += num((data as DrawEntered).points);
      p.interactions++;
      return;
    case "RedemptionReversed":
      p.reversed += num((data as RedemptionReversed).points);
      return;
    case "PointsExpired":
      p.expired += num((data as PointsExpired).points);
      return;
    case "PointsClawedBack":
      p.clawedBack += num((data as PointsClawedBack).points);
      return;
    case "PointsDebited":
      p.debited += num((data as PointsDebited).points);
      return;
    case "FeedbackSubmitted": {
      const score = (data as FeedbackSubmitted).score;
      p.responses++;
      p.interactions++;
      if (score >= 9) p.promoters++;
      else if (score <= 6) p.detractors++;
      return;
    }
    default:
      return;
  }
};
