import { describe, expect, it } from "vitest";
import { LedgerProjection } from "../ledger.js";
import { memberEvents, programEvent } from "../testing/events.js";

// Spec 6 "as of T" and "period [from, to)" semantics on hand-made histories.

const build = () => {
  const p = new LedgerProjection();
  p.apply(programEvent({ pointValue: "0.01" }));
  const events = memberEvents("ann", [
    ["join", "2011-01-01T00:00:00.000Z"],
    // L1: 100 points, expires 2011-02-01 (no PointsExpired recorded until much later).
    ["earn", "2011-01-01T00:00:00.000Z", "L1", 100, "2011-02-01T00:00:00.000Z"],
    // L2: 40 points pending until 2011-01-10, never expire.
    ["earn", "2011-01-05T00:00:00.000Z", "L2", 40, null, "2011-01-10T00:00:00.000Z"],
    ["earn", "2011-01-06T00:00:00.000Z", "L3", 7, "2011-03-01T00:00:00.000Z"],
    ["redeem", "2011-01-20T00:00:00.000Z", 30, [["L1", 30]]],
    // Recorded at the lot's expiresAt (by a later command), matching the implied one.
    ["expire", "2011-02-01T00:00:00.000Z", "L1", 70],
  ]);
  for (const e of memberEvents("zoe", [["join", "2011-01-15T00:00:00.000Z"]])) p.apply(e);
  for (const e of events) p.apply(e);
  return p;
};

describe("as of T (spec 6)", () => {
  it("6 balances: members joined at or before T only, prospects included, sorted by memberId", () => {
    const p = build();
    expect(p.balancesAsOf("2011-01-14T23:59:59.999Z").map((r) => r.memberId)).toEqual(["ann"]);
    expect(p.balancesAsOf("2011-01-15T00:00:00Z").map((r) => r.memberId)).toEqual(["ann", "zoe"]);
    expect(p.balancesAsOf("2011-01-15T00:00:00Z")[1]).toEqual({
      memberId: "zoe",
      available: 0,
      pending: 0,
      debt: 0,
      tier: "bronze",
      tierSince: "2011-01-15T00:00:00.000Z",
      earned: 0,
      redeemed: 0,
      reversed: 0,
      expired: 0,
      clawedBack: 0,
      debited: 0,
    });
  });

  it("6 balances: pending until availableAt, then available", () => {
    const p = build();
    expect(p.balancesAsOf("2011-01-09T23:59:59.999Z")[0]).toMatchObject({ available: 107, pending: 40 });
    expect(p.balancesAsOf("2011-01-10T00:00:00Z")[0]).toMatchObject({ available: 147, pending: 0 });
  });

  it("6 balances: a lot with expiresAt <= T is expired even before its PointsExpired is applied", () => {
    const p = build();
    const atExpiry = p.balancesAsOf("2011-02-01T00:00:00Z")[0];
    expect(atExpiry).toMatchObject({ available: 47, expired: 70, redeemed: 30, earned: 147 });
    // Without the recorded event (a projection fed up to the day before it was written) the answer is the same.
    const early = new LedgerProjection();
    early.apply(programEvent());
    for (const e of memberEvents("ann", [
      ["join", "2011-01-01T00:00:00.000Z"],
      ["earn", "2011-01-01T00:00:00.000Z", "L1", 100, "2011-02-01T00:00:00.000Z"],
      ["earn", "2011-01-05T00:00:00.000Z", "L2", 40, null, "2011-01-10T00:00:00.000Z"],
      ["earn", "2011-01-06T00:00:00.000Z", "L3", 7, "2011-03-01T00:00:00.000Z"],
      ["redeem", "2011-01-20T00:00:00.000Z", 30, [["L1", 30]]],
    ]))
      early.apply(e);
    expect(early.balancesAsOf("2011-02-01T00:00:00Z")[0]).toEqual(atExpiry);
    expect(p.balancesAsOf("2011-01-31T23:59:59.999Z")[0]).toMatchObject({ available: 117, expired: 0 });
  });

  it("6 liability: buckets by floorDays(expiresAt - T), never for null, value at pointValue", () => {
    const p = build();
    // At 2011-01-01T00:00:00.001Z: L1 expires in 30.99 days (le30); at 2010-12-31T23:59:59.999Z... before the lot.
    const l = p.liabilityAsOf("2011-01-06T00:00:00Z");
    expect(l).toEqual({
      asOf: "2011-01-06T00:00:00.000Z",
      points: 147,
      value: "1.47",
      debt: 0,
      buckets: {
        le30: { points: 100, value: "1" }, // L1: 26 days
        d31_90: { points: 7, value: "0.07" }, // L3: 54 days
        d91_180: { points: 0, value: "0" },
        d181_365: { points: 0, value: "0" },
        gt365: { points: 0, value: "0" },
        never: { points: 40, value: "0.4" },
      },
    });
    // Exactly 31 days before expiry: floorDays = 31 -> d31_90; one ms later it is 30 -> le30.
    expect(p.liabilityAsOf("2011-01-29T00:00:00Z").buckets.d31_90.points).toBe(7);
    expect(p.liabilityAsOf("2011-01-29T00:00:00.001Z").buckets.le30.points).toBe(77);
  });
});

describe("periods [from, to) (spec 6)", () => {
  it("6 rollforward: an expiry implied in the period counts once, whether or not it is recorded", () => {
    const p = build();
    const r = p.rollforward("2011-01-15T00:00:00Z", "2011-02-15T00:00:00Z");
    expect(r).toEqual({
      from: "2011-01-15T00:00:00.000Z",
      to: "2011-02-15T00:00:00.000Z",
      opening: 147,
      earned: 0,
      redeemed: 30,
      reversed: 0,
      expired: 70,
      clawedBack: 0,
      debited: 0,
      closing: 47,
    });
    // Ending exactly at expiresAt: the lot is not expired "immediately before to".
    expect(p.rollforward("2011-01-15T00:00:00Z", "2011-02-01T00:00:00Z")).toMatchObject({
      expired: 0,
      closing: 117,
    });
    expect(p.rollforward("2011-01-15T00:00:00Z", "2011-02-01T00:00:00.001Z")).toMatchObject({
      expired: 70,
      closing: 47,
    });
  });

  it("6 kpis: members, new members, tiers just before to, nps over responses in the period", () => {
    const p = new LedgerProjection();
    p.apply(programEvent());
    for (const e of memberEvents("a", [
      ["join", "2011-01-01T00:00:00.000Z"],
      ["purchase", "2011-02-01T00:00:00.000Z", "p1", "10"],
      ["purchase", "2011-02-02T00:00:00.000Z", "p2", "5.5"],
      ["tier", "2011-02-02T00:00:00.000Z", "bronze", "silver", "up"],
      ["feedback", "2011-02-03T00:00:00.000Z", 10],
      ["feedback", "2011-02-04T00:00:00.000Z", 3],
      ["feedback", "2011-02-05T00:00:00.000Z", 9],
      ["feedback", "2011-03-05T00:00:00.000Z", 0],
    ]))
      p.apply(e);
    for (const e of memberEvents("b", [
      ["join", "2011-02-10T00:00:00.000Z"],
      ["purchase", "2011-02-11T00:00:00.000Z", "p1", "20"],
      ["refund", "2011-02-12T00:00:00.000Z", "p1", "20"],
      ["feedback", "2011-02-13T00:00:00.000Z", 7],
    ]))
      p.apply(e);
    for (const e of memberEvents("c", [["join", "2011-03-01T00:00:00.000Z"]])) p.apply(e);
    const k = p.kpis("2011-02-01T00:00:00Z", "2011-03-01T00:00:00Z");
    expect(k).toMatchObject({
      members: 2,
      newMembers: 1,
      activeMembers: 1,
      repeatRate: 1,
      revenue: "15.5",
      top20RevenueShare: 1,
      nps: 25, // 2 promoters, 1 detractor, 4 responses
      tiers: { bronze: 1, silver: 1, gold: 0 },
      redemptionRate: 0,
      breakageRate: 0,
    });
  });

  it("6 periods: from must be before to", () => {
    const p = build();
    expect(() => p.rollforward("2011-02-01T00:00:00Z", "2011-02-01T00:00:00Z")).toThrow(/before/);
    expect(() => p.kpis("nope", "2011-02-01T00:00:00Z")).toThrow(
      expect.objectContaining({ code: "VALIDATION" }),
    );
  });

  it("6 queries: times in any spec 1 form are normalised (offsets, fractions)", () => {
    const p = build();
    expect(p.balancesAsOf("2011-01-10T03:30:00+03:30")).toEqual(p.balancesAsOf("2011-01-10T00:00:00.000Z"));
    expect(p.liabilityAsOf("2011-01-10T00:00:00.0004Z").asOf).toBe("2011-01-10T00:00:00.000Z");
  });

  it("5.10 names and values come from the highest program version, whatever the order", () => {
    const p = build();
    p.apply(programEvent({ version: 3, pointValue: "2" }));
    p.apply(programEvent({ version: 2, pointValue: "5" }));
    expect(p.liabilityAsOf("2011-01-06T00:00:00Z").value).toBe("294");
  });
});
