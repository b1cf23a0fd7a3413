import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, roundTo } from "./money.js";
import { parseTime } from "./primitives.js";
import type { Program } from "./program.js";
import { campaignsFor, levelOf, purchasePoints } from "./rules.js";
import { earnDecimal, earnFactorPrograms, timesAroundCampaigns } from "./testing/earn-arbitraries.js";
import { program as testProgram } from "./testing/program.js";

// Spec 5.2: points = round(amount * pointsPerUnit * tierMultiplier * product(campaign
// multipliers)), rounded once. purchasePoints computes it in safe integers when it can;
// the model below is the formula in Decimal, as written.

const model = (p: Program, amount: string, at: number, tier: string): Dec => {
  let value = new Dec(amount).times(p.earn.pointsPerUnit).times(levelOf(p, tier)?.multiplier ?? "1");
  for (const c of campaignsFor(p, at, tier)) value = value.times(c.multiplier);
  return roundTo(value, p.earn.rounding);
};

const base = testProgram({
  tiers: {
    levels: [
      { id: "bronze", threshold: "0", multiplier: "1" },
      { id: "silver", threshold: "500", multiplier: "1.5" },
      { id: "gold", threshold: "1000", multiplier: "2" },
    ],
  },
  earn: {
    campaigns: [
      { id: "spring", from: "2011-03-01T00:00:00Z", to: "2011-04-01T00:00:00Z", multiplier: "2" },
      {
        id: "gold-week",
        from: "2011-03-20T00:00:00Z",
        to: "2011-03-27T00:00:00Z",
        multiplier: "3",
        tiers: ["gold"],
      },
      { id: "summer", from: "2011-06-01T00:00:00Z", to: "2011-07-01T00:00:00Z", multiplier: "1.25" },
    ],
  },
});

describe("5.2 purchasePoints", () => {
  it("equals the formula in Decimal, to the digit, for plain decimals of every size and other spellings", () => {
    const program = earnFactorPrograms(base);
    const at = timesAroundCampaigns(base);
    const tier = fc.constantFrom("bronze", "silver", "gold", "platinum");
    fc.assert(
      fc.property(program, earnDecimal(), at, tier, (p, amount, when, level) => {
        const expected = model(p, amount, when, level);
        const got = purchasePoints(p, amount, when, level);
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(got.eq(expected)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("rounds an exact half up, and floors and ceils what is left over", () => {
    const at = parseTime("2011-01-10T00:00:00Z") as number;
    const half = { ...base, earn: { ...base.earn, pointsPerUnit: "0.5" } };
    expect(
      purchasePoints({ ...half, earn: { ...half.earn, rounding: "half-up" } }, "3", at, "bronze").toFixed(),
    ).toBe("2");
    expect(
      purchasePoints({ ...half, earn: { ...half.earn, rounding: "floor" } }, "3", at, "bronze").toFixed(),
    ).toBe("1");
    expect(
      purchasePoints({ ...half, earn: { ...half.earn, rounding: "ceil" } }, "2.2", at, "bronze").toFixed(),
    ).toBe("2");
    expect(
      purchasePoints(
        { ...half, earn: { ...half.earn, rounding: "half-up" } },
        "2.98",
        at,
        "bronze",
      ).toFixed(),
    ).toBe("1");
  });
});
