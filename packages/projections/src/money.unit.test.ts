import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoneyUnits, formatScaled, parseDecimal, parseMoney, pointsValue, ratio } from "./money.js";

const Big = Decimal.clone({ precision: 200 });

describe("money (spec 1)", () => {
  it("1 money: outputs are plain decimals without trailing zeros or exponent", () => {
    expect(formatMoneyUnits(parseMoney("1250.00"))).toBe("1250");
    expect(formatMoneyUnits(parseMoney("3.30"))).toBe("3.3");
    expect(formatMoneyUnits(parseMoney("0"))).toBe("0");
    expect(formatMoneyUnits(parseMoney("0.00000001"))).toBe("0.00000001");
    expect(formatMoneyUnits(parseMoney("1250000000.00"))).toBe("1250000000");
    expect(formatMoneyUnits(-parseMoney("2.5"))).toBe("-2.5");
    expect(pointsValue(1011, parseDecimal("0.01"))).toBe("10.11");
    expect(pointsValue(3704, parseDecimal("10"))).toBe("37040");
    expect(pointsValue(3, parseDecimal("0.333333333333"))).toBe("0.999999999999");
  });

  it("1 money: parse then format equals the decimal value, for any valid money string", () => {
    const money = fc
      .tuple(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.option(fc.stringMatching(/^[0-9]{1,8}$/), { nil: undefined }),
      )
      .map(([i, f]) => (f === undefined ? i.toString() : `${i}.${f}`));
    fc.assert(
      fc.property(money, (m) => {
        expect(new Big(formatMoneyUnits(parseMoney(m))).eq(new Big(m))).toBe(true);
        expect(formatMoneyUnits(parseMoney(m))).toBe(new Big(m).toFixed());
      }),
    );
  });

  it("6 rates: 0 when the denominator is 0; IEEE division when both are exact doubles", () => {
    expect(ratio(5, 0)).toBe(0);
    expect(ratio(0n, 7n)).toBe(0);
    expect(ratio(2, 3)).toBe(2 / 3);
    expect(ratio(-130000, 30370)).toBe(-130000 / 30370);
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.maxSafeInteger(), (a, b) => {
        expect(ratio(a, b)).toBe(b === 0 || a === 0 ? 0 : a / b); // never -0
      }),
    );
  });

  it("6 rates: the exact quotient of big operands is rounded once (scaling both leaves it unchanged)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.bigInt({ min: 2n ** 60n, max: 2n ** 200n }),
        (a, b, k) => {
          expect(ratio(BigInt(a) * k, BigInt(b) * k)).toBe(a / b);
        },
      ),
    );
    // Agrees with a 200-digit decimal quotient converted to the nearest double.
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 40n }),
        fc.bigInt({ min: 1n, max: 10n ** 40n }),
        (a, b) => {
          expect(ratio(a, b)).toBe(new Big(a.toString()).div(b.toString()).toNumber());
        },
      ),
    );
  });

  it("formatScaled pads small values", () => {
    expect(formatScaled(5n, 3)).toBe("0.005");
    expect(formatScaled(5000n, 3)).toBe("5");
    expect(formatScaled(0n, 8)).toBe("0");
  });
});
