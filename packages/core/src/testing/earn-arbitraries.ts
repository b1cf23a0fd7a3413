import fc from "fast-check";
import { parseTime } from "../primitives.js";
import type { Program } from "../program.js";

// Generators for the purchase points of spec 5.2, shared by core's property and the audit's.

/** Plain decimals of every size (a product past 2^53 leaves safe integers), and other spellings. */
export const earnDecimal = (): fc.Arbitrary<string> => {
  const digits = fc.oneof(
    fc.bigInt({ min: 0n, max: 10n ** 40n }),
    fc.bigInt({ min: 10n ** 5n, max: 2n ** 53n + 10n }),
    fc.bigInt({ min: 0n, max: 1000n }),
  );
  return fc.oneof(
    fc.tuple(digits, fc.nat(12)).map(([n, scale]) => {
      const text = n.toString().padStart(scale + 1, "0");
      return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
    }),
    fc.constantFrom("1", "0.5", "1.5", "2", "0.1", "1e2", "2.5E-1", ".5", "3.", "0"),
  );
};

/** `base` with random pointsPerUnit, rounding, level and campaign multipliers. */
export const earnFactorPrograms = (base: Program): fc.Arbitrary<Program> =>
  fc
    .record({
      pointsPerUnit: earnDecimal(),
      multipliers: fc.array(earnDecimal(), { minLength: 3, maxLength: 3 }),
      campaigns: fc.array(earnDecimal(), { minLength: 3, maxLength: 3 }),
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
            multiplier: campaigns[i % 3] as string,
          })),
        },
        tiers: {
          ...base.tiers,
          levels: base.tiers.levels.map((l, i) => ({ ...l, multiplier: multipliers[i % 3] as string })),
        },
      }),
    );

const DAY = 86_400_000;

/** `base`'s campaign edges, a millisecond either side, and times around them. */
export const timesAroundCampaigns = (base: Program): fc.Arbitrary<number> => {
  const edges = (base.earn.campaigns ?? []).flatMap((c) => [c.from, c.to].map((x) => parseTime(x) as number));
  return fc.oneof(
    fc.constantFrom(...edges).chain((e) => fc.integer({ min: e - 2, max: e + 2 })),
    fc.constantFrom(...edges).chain((e) => fc.integer({ min: e - 40 * DAY, max: e + 40 * DAY })),
  );
};
