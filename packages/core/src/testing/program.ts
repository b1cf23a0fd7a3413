import type { Program } from "../program.js";

/** A small GBP program; tests override what they exercise. */
export const baseProgram = (): Program => ({
  programId: "test",
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
    levels: [
      { id: "bronze", threshold: "0", multiplier: "1" },
      { id: "silver", threshold: "500", multiplier: "1.5" },
    ],
  },
  redemption: { minPoints: 1, pointValue: "0.01" },
  rfm: { windowDays: 365 },
});

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export const program = (patch: DeepPartial<Program> = {}): Program => {
  const p = baseProgram();
  return {
    ...p,
    ...patch,
    earn: { ...p.earn, ...patch.earn },
    tiers: { ...p.tiers, ...patch.tiers },
    redemption: { ...p.redemption, ...patch.redemption },
    expiry: (patch.expiry as Program["expiry"]) ?? p.expiry,
  } as Program;
};
