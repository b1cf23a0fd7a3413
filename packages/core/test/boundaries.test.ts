import { describe, expect, it } from "vitest";
import type { ProposedEvent } from "../src/index.js";
import { adjust, club, join, program, purchase, redeem, refund } from "./harness.js";

// Boundary cases that a hand mutation review (issue 9) found untested: each
// test here fails under the mutant named in its title.

const data = (events: ProposedEvent[], type: string) =>
  events.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);

describe("5.4 FIFO across lots whose expiry order differs from creation order", () => {
  // v1 keeps points a year; v2 (5.10) shortens expiry to 30 days, so a lot made
  // later under v2 expires before an older v1 lot. Mutant: no sort by fifoCompare.
  const v1 = program({ expiry: { policy: "rolling", days: 365 } });
  const v2 = { ...v1, version: 2, expiry: { policy: "rolling" as const, days: 30 } };

  const setUp = async () => {
    const c1 = club(v1);
    await c1.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-01-02T10:00:00Z", "p1", "100"));
    const c2 = club(v2, c1.store);
    await c2.ok(purchase("a", "2011-01-03T10:00:00Z", "p2", "50"));
    const lots = (await c2.state("a")).lots.map((l) => l.lotId);
    return { c2, older: lots[0] as string, newer: lots[1] as string };
  };

  it("5.5 a redemption takes the lot that expires first, not the one made first", async () => {
    const { c2, newer, older } = await setUp();
    const [redeemed] = data(await c2.ok(redeem("a", "2011-01-04T10:00:00Z", "r1", 70)), "PointsRedeemed");
    expect(redeemed?.allocations).toEqual([
      { lotId: newer, points: 50 },
      { lotId: older, points: 20 },
    ]);
  });

  it("5.5 a debit (negative adjust) takes the lot that expires first", async () => {
    const { c2, newer } = await setUp();
    const [debited] = data(await c2.ok(adjust("a", "2011-01-04T10:00:00Z", "d1", -30)), "PointsDebited");
    expect(debited?.allocations).toEqual([{ lotId: newer, points: 30 }]);
  });

  it("5.3 a clawback whose own lot expired takes the other lots in FIFO order", async () => {
    const { c2, older } = await setUp();
    // p3's lot (made last) expires 2011-03-31, before p1's (2012-01-02).
    await c2.ok(purchase("a", "2011-03-01T10:00:00Z", "p3", "20"));
    const p3Lot = (await c2.state("a")).lots[2]?.lotId as string;
    // p2's own lot expired on 2011-02-02 (recorded by p3's step 5): the clawback takes from the others.
    const events = await c2.ok(refund("a", "2011-03-05T10:00:00Z", "p2", "c1", "50"));
    expect(events.map((e) => e.type)).toEqual(["PurchaseRefunded", "PointsClawedBack"]);
    expect(data(events, "PointsClawedBack")[0]).toMatchObject({
      points: 50,
      allocations: [
        { lotId: p3Lot, points: 20 },
        { lotId: older, points: 30 },
      ],
      debtIncurred: 0,
    });
  });
});

describe("5.3 clawback rounding", () => {
  it("a partial refund with a remainder claws back floor(earned * refunded / amount), cumulatively", async () => {
    // Mutant: ceil instead of floor. 10 points; 2.50 of 10.00 refunded is 2.5 points -> 2.
    const c = club();
    await c.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-01-02T10:00:00Z", "p1", "10.00"));
    const first = data(
      await c.ok(refund("a", "2011-01-03T10:00:00Z", "p1", "c1", "2.50")),
      "PointsClawedBack",
    );
    expect(first.map((d) => d.points)).toEqual([2]);
    // The rest: the total is exactly what the purchase earned (10), so 8 now.
    const rest = data(
      await c.ok(refund("a", "2011-01-04T10:00:00Z", "p1", "c2", "7.50")),
      "PointsClawedBack",
    );
    expect(rest.map((d) => d.points)).toEqual([8]);
  });

  it("a refund worth less than one point claws back nothing until the total reaches one", async () => {
    const c = club();
    await c.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-01-02T10:00:00Z", "p1", "10.00"));
    const a = await c.ok(refund("a", "2011-01-03T10:00:00Z", "p1", "c1", "0.60"));
    expect(a.map((e) => e.type)).toEqual(["PurchaseRefunded"]);
    const b = await c.ok(refund("a", "2011-01-03T11:00:00Z", "p1", "c2", "0.40"));
    expect(data(b, "PointsClawedBack").map((d) => d.points)).toEqual([1]);
  });
});

describe("5.5 redemption limits at their boundaries", () => {
  const c = () => club(program({ redemption: { minPoints: 500, pointValue: "0.01" } }));

  it("a redemption of exactly minPoints is accepted; one point less is BELOW_MIN_REDEMPTION", async () => {
    // Mutant: `<=` for `<` in the minimum check.
    const k = c();
    await k.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-01-02T10:00:00Z", "p1", "1200"));
    expect(await k.code(redeem("a", "2011-01-03T10:00:00Z", "r0", 499))).toBe("BELOW_MIN_REDEMPTION");
    expect(await k.code(redeem("a", "2011-01-03T10:00:00Z", "r1", 500))).toBe("ACCEPTED");
  });

  it("exactly the available points are redeemable; one more is INSUFFICIENT_POINTS", async () => {
    const k = c();
    await k.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-01-02T10:00:00Z", "p1", "700"));
    expect(await k.code(redeem("a", "2011-01-03T10:00:00Z", "r1", 701))).toBe("INSUFFICIENT_POINTS");
    expect(await k.code(redeem("a", "2011-01-03T10:00:00Z", "r2", 700))).toBe("ACCEPTED");
    expect(await k.balance("a", "2011-01-03T10:00:00Z")).toMatchObject({ available: 0, debt: 0 });
  });

  it("a debit of exactly the available points is accepted; one more is INSUFFICIENT_POINTS", async () => {
    const k = c();
    await k.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-01-02T10:00:00Z", "p1", "40"));
    expect(await k.code(adjust("a", "2011-01-03T10:00:00Z", "d1", -41))).toBe("INSUFFICIENT_POINTS");
    expect(await k.code(adjust("a", "2011-01-03T10:00:00Z", "d2", -40))).toBe("ACCEPTED");
  });
});
