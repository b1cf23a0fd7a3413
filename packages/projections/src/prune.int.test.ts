import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, type Program, type StoredEvent } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { LedgerProjection } from "./ledger.js";
import { asOfQueries, feed, iso } from "./testing/compare.js";

// 6 as of T without history: dropping lots that are empty and expired keeps
// memory to live lots and changes no answer, reversals into expired lots included.
const program: Program = {
  programId: "prune",
  version: 1,
  currency: "GBP",
  calendar: "gregorian",
  earn: {
    pointsPerUnit: "1",
    rounding: "floor",
    pendingDays: 2,
    signupBonus: 5,
    birthdayBonus: 0,
    referralBonus: 0,
  },
  expiry: { policy: "rolling", days: 10 },
  tiers: {
    metric: "spend",
    windowDays: 30,
    retentionDays: 0,
    levels: [{ id: "base", threshold: "0", multiplier: "1" }],
  },
  redemption: { minPoints: 1, pointValue: "0.01" },
  rfm: { windowDays: 60 },
};

const DAY = 86_400_000;
const START = Date.UTC(2011, 0, 1);

describe("6 projections without history drop spent lots", () => {
  it("answer as of the end exactly like the full projection", async () => {
    const store = createMemoryStore();
    const ledger = createLedger({ store, program });
    await ledger.publishProgram(iso(START));
    await ledger.execute({ type: "join", memberId: "m", at: iso(START), kind: "person" });
    for (let d = 1; d <= 200; d++) {
      const at = iso(START + d * DAY);
      await ledger.execute({
        type: "purchase",
        memberId: "m",
        at,
        purchaseId: `p${d}`,
        amount: String(10 + (d % 7)),
      });
      if (d % 3 === 0)
        await ledger.execute({ type: "redeem", memberId: "m", at, redemptionId: `r${d}`, points: 8 });
      // Reverse an old redemption: its points go back to lots that expired meanwhile, and expire at once.
      if (d % 25 === 0)
        await ledger.execute({ type: "reverse-redemption", memberId: "m", at, redemptionId: `r${d - 21}` });
      // And a recent one: back into lots that are empty but not expired (they must be kept).
      if (d % 30 === 0)
        await ledger.execute({ type: "reverse-redemption", memberId: "m", at, redemptionId: `r${d - 3}` });
      if (d % 40 === 0)
        await ledger.execute({
          type: "refund",
          memberId: "m",
          at,
          purchaseId: `p${d - 1}`,
          refundId: `c${d}`,
          amount: "5",
        });
    }
    // The last command gives back points of a recent redemption: the answer depends on those lots.
    await ledger.execute({
      type: "reverse-redemption",
      memberId: "m",
      at: iso(START + 201 * DAY),
      redemptionId: "r198",
    });
    const events: StoredEvent[] = [];
    for await (const e of store.readAll()) events.push(e);
    // Some reversals gave points back to lots already expired, which expired again at once.
    expect(
      events.filter(
        (e) => e.type === "PointsExpired" && e.metadata.commandId.startsWith("reverse-redemption:"),
      ).length,
    ).toBeGreaterThan(0);
    const recent = events.filter(
      (e) => e.type === "RedemptionReversed" && e.occurredAt.endsWith("T00:00:00.000Z"),
    );
    expect(recent.length).toBeGreaterThan(2);
    const end = iso(START + 205 * DAY);
    const full = feed(events);
    const lean = feed(events, new LedgerProjection({ keepHistory: false }));
    expect(asOfQueries(lean, end)).toEqual(asOfQueries(full, end));
    const last = events.at(-1)?.occurredAt as string;
    expect(asOfQueries(lean, last)).toEqual(asOfQueries(full, last));
  });
});

describe("MemberFold.dropSpentLots", () => {
  const earned = (lotId: string, points: number, at: string, expiresAt: string) => ({
    lotId,
    points,
    reason: "purchase",
    availableAt: at,
    expiresAt,
    debtRepaid: 0,
  });
  it("drops only lots that are empty and expired; a later reversal into a dropped lot changes only the sums", async () => {
    const { MemberFold } = await import("./member-fold.js");
    const f = new MemberFold("m");
    const lotId = (n: number) => `00000000-0000-5000-8000-00000000000${n}`;
    f.apply(
      "PointsEarned",
      "2011-01-01T00:00:00.000Z",
      earned(lotId(1), 10, "2011-01-01T00:00:00.000Z", "2011-01-05T00:00:00.000Z"),
    );
    f.apply(
      "PointsEarned",
      "2011-01-02T00:00:00.000Z",
      earned(lotId(2), 10, "2011-01-02T00:00:00.000Z", "2011-02-01T00:00:00.000Z"),
    );
    f.apply(
      "PointsEarned",
      "2011-01-02T00:00:00.000Z",
      earned(lotId(3), 10, "2011-01-02T00:00:00.000Z", "2011-01-06T00:00:00.000Z"),
    );
    f.apply("PointsRedeemed", "2011-01-03T00:00:00.000Z", {
      redemptionId: "r",
      points: 20,
      allocations: [
        { lotId: lotId(1), points: 10 },
        { lotId: lotId(2), points: 10 },
      ],
    });
    f.apply("PointsExpired", "2011-01-06T00:00:00.000Z", { lotId: lotId(3), points: 10 });
    f.dropSpentLots("2011-01-10T00:00:00.000Z");
    // Lot 1 (empty, expired) and lot 3 (expired to 0) go; lot 2 is empty but live and stays.
    expect(f.lots.map((l) => l.lotId)).toEqual([lotId(2)]);
    f.apply("RedemptionReversed", "2011-01-10T00:00:00.000Z", {
      redemptionId: "r",
      points: 20,
      debtRepaid: 0,
      allocations: [
        { lotId: lotId(1), points: 10 },
        { lotId: lotId(2), points: 10 },
      ],
    });
    f.apply("PointsExpired", "2011-01-10T00:00:00.000Z", { lotId: lotId(1), points: 10 });
    expect(f.lots.map((l) => [l.lotId, l.remaining])).toEqual([[lotId(2), 10]]);
    expect({ reversed: f.reversed, expired: f.expired }).toEqual({ reversed: 20, expired: 20 });
  });
});
