import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RefundMatcher, refundIdOf } from "./refund-matcher.js";
import { Exact } from "./row-rules.js";

// Which purchase a refund refunds (docs/analyst-guide.md#what-the-converter-decides):
// the one rule of `vafa convert csv` and scripts/make-slice.ts.
const d = (text: string) => new Exact(text);

describe("vafa convert csv: which purchase a refund refunds", () => {
  const matcher = () => {
    const m = new RefundMatcher();
    m.addPurchase("m1", "p1", 1000, d("100"));
    m.addPurchase("m1", "p2", 2000, d("30"));
    m.addPurchase("m2", "q1", 1500, d("50"));
    return m;
  };
  const parts = (r: ReturnType<RefundMatcher["match"]>) =>
    "parts" in r ? r.parts.map((p) => [p.purchaseId, p.amount.toFixed()]) : r.unmatched;

  it("the most recent earlier purchase with enough left; else spread, newest first; else unmatched", () => {
    const m = matcher();
    expect(parts(m.match("m1", 3000, d("20")))).toEqual([["p2", "20"]]);
    expect(parts(m.match("m1", 3000, d("20")))).toEqual([["p1", "20"]]);
    // p2 has 10 left, p1 80: 85 is spread over both.
    expect(parts(m.match("m1", 3000, d("85")))).toEqual([
      ["p2", "10"],
      ["p1", "75"],
    ]);
    expect(parts(m.match("m1", 3000, d("6")))).toMatch(/have only 5 left to refund in all, not 6/);
    // Unmatched takes nothing.
    expect(parts(m.match("m1", 3000, d("5")))).toEqual([["p1", "5"]]);
    expect(parts(m.match("m1", 3000, d("0.01")))).toMatch(
      /has no earlier purchase in the file with money left/,
    );
  });

  it("only purchases at or before the refund, only the member's own", () => {
    const m = matcher();
    expect(parts(m.match("m1", 1500, d("40")))).toEqual([["p1", "40"]]);
    expect(parts(m.match("m2", 1000, d("1")))).toMatch(/no earlier purchase/);
    expect(parts(m.match("m3", 9000, d("1")))).toMatch(/member m3 has no earlier purchase/);
  });

  it("a refund that names its purchase (columns.refundOf) refunds that one or nothing", () => {
    const m = matcher();
    expect(parts(m.match("m1", 3000, d("30"), "p1"))).toEqual([["p1", "30"]]);
    expect(parts(m.match("m1", 3000, d("80"), "p1"))).toMatch(
      /purchase p1 has only 70 left to refund, not 80/,
    );
    expect(parts(m.match("m1", 3000, d("1"), "q1"))).toMatch(
      /purchase q1 of member m1, .* is not in the file/,
    );
  });

  it("cap-newest (the committed slices' rule): the newest purchase with anything left, capped", () => {
    const m = new RefundMatcher("cap-newest");
    m.addPurchase("m1", "p1", 1000, d("100"));
    m.addPurchase("m1", "p2", 2000, d("30"));
    expect(parts(m.match("m1", 3000, d("500")))).toEqual([["p2", "30"]]);
    expect(parts(m.match("m1", 3000, d("500")))).toEqual([["p1", "100"]]);
    expect(parts(m.match("m1", 3000, d("1")))).toMatch(/no earlier purchase/);
  });

  it("refund ids of a spread refund: the first keeps the invoice id", () => {
    expect([0, 1, 2].map((i) => refundIdOf("C536379", i))).toEqual(["C536379", "C536379.2", "C536379.3"]);
  });

  it("a match refunds exactly what was asked, never more than a purchase has left (property)", () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("buy" as const),
        member: fc.constantFrom("a", "b"),
        cents: fc.integer({ min: 1, max: 10_000 }),
      }),
      fc.record({
        kind: fc.constant("refund" as const),
        member: fc.constantFrom("a", "b"),
        cents: fc.integer({ min: 1, max: 15_000 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const m = new RefundMatcher();
        const bought = new Map<string, Exact>();
        const refunded = new Map<string, Exact>();
        const leftOf = (member: string) =>
          [...bought]
            .filter(([id]) => id.startsWith(member))
            .reduce((sum, [id, amount]) => sum.plus(amount).minus(refunded.get(id) ?? 0), d("0"));
        for (const [i, o] of ops.entries()) {
          const amount = d(o.cents.toString()).div(100);
          if (o.kind === "buy") {
            const id = `${o.member}-${i}`;
            bought.set(id, amount);
            m.addPurchase(o.member, id, i, amount);
            continue;
          }
          const before = leftOf(o.member);
          const r = m.match(o.member, i, amount);
          if ("unmatched" in r) {
            expect(before.lt(amount)).toBe(true);
            continue;
          }
          expect(r.parts.reduce((s, p) => s.plus(p.amount), d("0")).eq(amount)).toBe(true);
          for (const p of r.parts) {
            expect(p.purchaseId.startsWith(o.member)).toBe(true);
            expect(p.amount.gt(0)).toBe(true);
            refunded.set(p.purchaseId, (refunded.get(p.purchaseId) ?? d("0")).plus(p.amount));
            expect((refunded.get(p.purchaseId) as Exact).lte(bought.get(p.purchaseId) as Exact)).toBe(true);
          }
        }
      }),
    );
  });
});
