import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, type Purchase, tierMetric, toUnits } from "./index.js";
import { baseProgram } from "./testing/harness.js";

// 5.7 metric(t): the integer fast path must equal exact decimal arithmetic, IRR billions included.
const money = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.integer({ min: 0, max: 99_999_999 }))
  .map(([whole, frac]) =>
    frac === 0 ? whole.toString() : `${whole}.${String(frac).padStart(8, "0").replace(/0+$/, "")}`,
  );

describe("5.7 tier metric arithmetic", () => {
  it("spend metric equals the exact decimal sum of net amounts in the window", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(money, fc.integer({ min: 0, max: 400 }), fc.boolean()), { maxLength: 30 }),
        (rows) => {
          const t = 1_000 * 86_400_000;
          const purchases: Purchase[] = rows.map(([amount, daysAgo, refundHalf], i) => {
            const refund = refundHalf
              ? new Dec(amount).div(2).toDecimalPlaces(8, Dec.ROUND_DOWN).toFixed()
              : undefined;
            return {
              purchaseId: `p${i}`,
              amount,
              amountUnits: toUnits(amount),
              at: t - daysAgo * 86_400_000,
              refunded: refund ?? "0",
              refundedUnits: refund ? toUnits(refund) : 0n,
              refunds: refund ? [{ refundId: `c${i}`, amount: refund, units: toUnits(refund), at: t }] : [],
              earned: 0,
              clawed: 0,
            };
          });
          const program = baseProgram();
          let expected = new Dec(0);
          for (const p of purchases)
            if (p.at > t - program.tiers.windowDays * 86_400_000)
              expected = expected.plus(p.amount).minus(p.refunded);
          expect(tierMetric(program, purchases, t).eq(expected)).toBe(true);
        },
      ),
    );
  });
});
