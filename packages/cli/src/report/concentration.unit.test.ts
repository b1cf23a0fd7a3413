import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concentration } from "./concentration.js";

describe("revenue concentration", () => {
  it("6 kpis: the top 20% is the top ceil(n / 5) members, shares exact", () => {
    // jalali vector rfm monetary: sara 4918911334, nima 987654321, reza 34567222
    const c = concentration(["987654321", "34567222", "4918911334"]);
    expect(c.population).toBe(3);
    expect(c.total).toBe("5941132877");
    expect(c.topCount).toBe(1);
    expect(c.topShare).toBe(4918911334 / 5941132877);
    expect(c.curve[0]).toEqual([0, 0]);
    expect(c.curve[3]).toEqual([1, 1]);
  });

  it("adds money exactly (no binary float sums)", () => {
    const c = concentration(["0.1", "0.2", "0.3", "0.4", "0.5", "0.6"]);
    expect(c.total).toBe("2.1");
    expect(c.topCount).toBe(2);
    expect(c.topShare).toBe(11 / 21);
  });

  it("has no share when there is no revenue, and skips text that is not money", () => {
    expect(concentration([]).curve).toEqual([[0, 0]]);
    const zero = concentration(["0", "0", "oops"]);
    expect(zero.population).toBe(2);
    expect(zero.topShare).toBe(0);
  });

  it("the curve rises from (0, 0) to (1, 1), never falls, and stays on or above equal shares (property)", () => {
    const money = fc
      .tuple(fc.nat({ max: 10_000_000 }), fc.nat({ max: 99 }))
      .map(([w, f]) => (f === 0 ? String(w) : `${w}.${String(f).padStart(2, "0")}`));
    fc.assert(
      fc.property(fc.array(money, { minLength: 1, maxLength: 40 }), (values) => {
        const c = concentration(values);
        if (c.total === "0") return;
        for (let i = 1; i < c.curve.length; i++) {
          const [x, y] = c.curve[i] ?? [0, 0];
          const [, prev] = c.curve[i - 1] ?? [0, 0];
          expect(y).toBeGreaterThanOrEqual(prev);
          expect(y).toBeGreaterThanOrEqual(x - 1e-12);
        }
        expect(c.curve[c.curve.length - 1]).toEqual([1, 1]);
        expect(c.topShare).toBeGreaterThanOrEqual(c.topCount / c.population - 1e-12);
      }),
    );
  });
});
