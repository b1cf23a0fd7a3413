import type { Program } from "@vafa/core";

/** The plain GBP club of the rewards and coupon tests (club-v1 §1): one tier, nothing pending or expiring. */
export const clubProgram = (rewards: NonNullable<Program["rewards"]>): Program => ({
  programId: "club",
  version: 1,
  currency: "GBP",
  calendar: "gregorian",
  earn: {
    pointsPerUnit: "1",
    rounding: "floor",
    pendingDays: 0,
    signupBonus: 0,
    birthdayBonus: 0,
    referralBonus: 0,
  },
  expiry: { policy: "never" },
  tiers: {
    metric: "spend",
    windowDays: 365,
    retentionDays: 0,
    levels: [{ id: "base", threshold: "0", multiplier: "1" }],
  },
  redemption: { minPoints: 1, pointValue: "0.01" },
  rfm: { windowDays: 365 },
  rewards,
});
