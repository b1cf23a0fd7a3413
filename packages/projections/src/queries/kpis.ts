import type { LedgerView } from "../ledger-view.js";
import { formatMoneyUnits, ratio } from "../money.js";
import { queryPeriod } from "../time.js";
import { memberPeriod } from "./period.js";

/** Spec 6 kpis. */
export interface Kpis {
  from: string;
  to: string;
  members: number;
  newMembers: number;
  activeMembers: number;
  repeatRate: number;
  revenue: string;
  pointsEarned: number;
  pointsRedeemed: number;
  pointsExpired: number;
  pointsClawedBack: number;
  redemptionRate: number;
  breakageRate: number;
  top20RevenueShare: number;
  nps: number;
  tiers: Record<string, number>;
  /** Under a club program only (club-v1 §10): `MessageSent` events in the period. */
  messagesSent?: number;
  /** Under a club program only: purchases, redemptions, feedback, draw entries and coupon uses in the period. */
  interactions?: number;
}

/**
 * Spec 6 kpis for [from, to). Active members have a purchase in the period
 * whose net (amount minus refunds before `to`) is positive; revenue is the net
 * of those purchases. `pointsRedeemed` is net of reversals and `pointsExpired`
 * is the roll-forward's `expired`. Rates are exact quotients rounded once.
 */
export const kpis = (ledger: LedgerView, from: string, to: string): Kpis => {
  const period = queryPeriod(from, to);
  const view = ledger.program();
  const levelIds = view.levelIds;
  const tiers: Record<string, number> = {};
  for (const id of levelIds) tiers[id] = 0;
  let members = 0;
  let newMembers = 0;
  let repeaters = 0;
  let revenue = 0n;
  const memberRevenue: bigint[] = [];
  let earned = 0;
  let redeemed = 0;
  let expired = 0;
  let clawedBack = 0;
  let promoters = 0;
  let detractors = 0;
  let responses = 0;
  let messagesSent = 0;
  let interactions = 0;
  for (const rec of ledger.members()) {
    const p = memberPeriod(rec, period.from, period.to);
    earned += p.earned;
    redeemed += p.redeemed - p.reversed;
    expired += p.expired;
    clawedBack += p.clawedBack;
    promoters += p.promoters;
    detractors += p.detractors;
    responses += p.responses;
    messagesSent += p.messagesSent;
    interactions += p.interactions;
    if (p.joinedAt !== undefined) {
      members++;
      if (p.joinedAt >= period.from) newMembers++;
      const tier = p.tier ?? (levelIds[0] as string);
      tiers[tier] = (tiers[tier] ?? 0) + 1;
    }
    if (p.purchases > 0) {
      memberRevenue.push(p.revenue);
      revenue += p.revenue;
      if (p.purchases >= 2) repeaters++;
    }
  }
  const active = memberRevenue.length;
  memberRevenue.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  let top = 0n;
  const topCount = Math.ceil(active / 5);
  for (let i = 0; i < topCount; i++) top += memberRevenue[i] as bigint;
  return {
    from: period.from,
    to: period.to,
    members,
    newMembers,
    activeMembers: active,
    repeatRate: ratio(repeaters, active),
    revenue: formatMoneyUnits(revenue),
    pointsEarned: earned,
    pointsRedeemed: redeemed,
    pointsExpired: expired,
    pointsClawedBack: clawedBack,
    redemptionRate: ratio(redeemed, earned),
    breakageRate: ratio(expired, expired + redeemed),
    top20RevenueShare: ratio(top, revenue),
    nps: ratio((promoters - detractors) * 100, responses),
    tiers,
    // Only under a club program, so L1 outputs stay byte-identical (club-v1 §10).
    ...(view.club ? { messagesSent, interactions } : {}),
  };
};
