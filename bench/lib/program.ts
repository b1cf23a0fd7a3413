import type { Program } from "@vafa/core";

/** The loyalty program of the synthetic data sets: every rule of spec 3 is in play. */
export const BENCH_PROGRAM: Program = {
  programId: "bench",
  version: 1,
  currency: "EUR",
  calendar: "gregorian",
  earn: {
    pointsPerUnit: "1",
    rounding: "floor",
    pendingDays: 14,
    signupBonus: 100,
    birthdayBonus: 250,
    referralBonus: 500,
    campaigns: [
      { id: "xmas-2022", from: "2022-12-01T00:00:00Z", to: "2022-12-25T00:00:00Z", multiplier: "2" },
      {
        id: "xmas-2023",
        from: "2023-12-01T00:00:00Z",
        to: "2023-12-25T00:00:00Z",
        multiplier: "2",
        tiers: ["silver", "gold"],
      },
    ],
  },
  expiry: { policy: "rolling", days: 365 },
  tiers: {
    metric: "spend",
    windowDays: 365,
    retentionDays: 180,
    levels: [
      { id: "bronze", threshold: "0", multiplier: "1" },
      { id: "silver", threshold: "500", multiplier: "1.25" },
      { id: "gold", threshold: "2000", multiplier: "1.5" },
    ],
  },
  redemption: { minPoints: 100, pointValue: "0.01" },
  rfm: { windowDays: 365 },
};

/** The history spans two calendar years. */
export const HISTORY_START_MS = Date.UTC(2022, 0, 1);
export const HISTORY_END_MS = Date.UTC(2024, 0, 1);
/** The "as of" time of the queries: the end of the history. */
export const AS_OF = "2024-01-01T00:00:00.000Z";
/** The KPI period: the last calendar year. */
export const KPI_FROM = "2023-01-01T00:00:00.000Z";
export const KPI_TO = "2024-01-01T00:00:00.000Z";
