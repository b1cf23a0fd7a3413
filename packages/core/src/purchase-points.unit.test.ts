import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, roundTo } from "./money.js";
import { parseTime } from "./primitives.js";
import type { Program } from "./program.js";
import { campaignsFor, levelOf, purchasePoints } from "./rules.js";
import { program as testProgram } from "./testing/program.js";

// Spec 5.2: points = round(amount * pointsPerUnit * tierMultiplier * product(campaign
// multipliers)), rounded once. purchasePoints computes it in safe integers when it can;
// the model below is the formula in Decimal, as written.

const DAY = 86_400_000;

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
    // Plain decimals of every size (a product past 2^53 goes to Decimal), and other spellings.
    const digits = fc.oneof(
      fc.bigInt({ min: 0n, max: 10n ** 40n }),
      fc.bigInt({ min: 10n ** 5n, max: 2n ** 53n + 10n }),
      fc.bigInt({ min: 0n, max: 1000n }),
    );
    const decimal = fc.oneof(
      fc.tuple(digits, fc.nat(12)).map(([n, scale]) => {
        const text = n.toString().padStart(scale + 1, "0");
        return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
      }),
      fc.constantFrom("1", "0.5", "1.5", "2", "0.1", "1e2", "2.5E-1", ".5", "3.", "0"),
    );
    const program = fc
      .record({
        pointsPerUnit: decimal,
        multipliers: fc.array(decimal, { minLength: 3, maxLength: 3 }),
        campaigns: fc.array(decimal, { minLength: 3, maxLength: 3 }),
        rounding: fc.constantFrom("floor", "half-up", "ceil" as const),
      })
      .map(
        ({ pointsPerUnit, multipliers, campaigns, rounding }): Program => ({
          ...base,
          earn: {
            ...base.earn,
            pointsPerUnit,
            rounding,
            campaigns: (base.earn.campaigns ?? []).map((c, i) => ({
              ...c,
              multiplier: campaigns[i] as string,
            })),
          },
          tiers: {
            ...base.tiers,
            levels: base.tiers.levels.map((l, i) => ({ ...l, multiplier: multipliers[i] as string })),
          },
        }),
      );
    // Campaign edges, a millisecond either side, and times around them.
    const edges = (base.earn.campaigns ?? []).flatMap((c) =>
      [c.from, c.to].map((x) => parseTime(x) as number),
    );
    const at = fc.oneof(
      fc.constantFrom(...edges).chain((e) => fc.integer({ min: e - 2, max: e + 2 })),
      fc.constantFrom(...edges).chain((e) => fc.integer({ min: e - 40 * DAY, max: e + 40 * DAY })),
    );
    const tier = fc.constantFrom("bronze", "silver", "gold", "platinum");
    fc.assert(
      fc.property(program, decimal, at, tier, (p, amount, when, level) => {
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
