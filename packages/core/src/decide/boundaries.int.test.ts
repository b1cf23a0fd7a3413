import { describe, expect, it } from "vitest";
import type { ProposedEvent } from "../index.js";
import { adjust, club, join, program, purchase, redeem, refund } from "../testing/harness.js";

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

describe("5.3, 5.4 which lots an allocation may take", () => {
  it("a redemption skips a pending lot even when it expires first", async () => {
    // Mutant: availableLotsFifo's filter removed or its pending test made true.
    const v1 = program({ expiry: { policy: "rolling", days: 365 } });
    const v2 = { ...v1, version: 2, expiry: { policy: "rolling" as const, days: 30 } };
    v2.earn = { ...v1.earn, pendingDays: 14 };
    const c1 = club(v1);
    await c1.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-01-02T10:00:00Z", "p1", "100"));
    const c2 = club(v2, c1.store);
    await c2.ok(purchase("a", "2011-01-03T10:00:00Z", "p2", "50")); // pending until 01-17, expires 02-02
    const older = (await c2.state("a")).lots[0]?.lotId;
    const [redeemed] = data(await c2.ok(redeem("a", "2011-01-04T10:00:00Z", "r1", 70)), "PointsRedeemed");
    expect(redeemed?.allocations).toEqual([{ lotId: older, points: 70 }]);
  });

  it("a clawback takes its purchase's own lot once, then the others", async () => {
    // Mutant: `l !== own` made true in clawbackLots (the own lot listed twice).
    const c = club();
    await c.ok(
      join("a", "2011-01-01T10:00:00Z"),
      purchase("a", "2011-01-02T10:00:00Z", "p1", "100"),
      purchase("a", "2011-01-02T11:00:00Z", "p2", "100"),
      redeem("a", "2011-01-03T10:00:00Z", "r1", 60),
    );
    const [own, other] = (await c.state("a")).lots.map((l) => l.lotId);
    const events = await c.ok(refund("a", "2011-01-04T10:00:00Z", "p1", "c1", "100"));
    expect(data(events, "PointsClawedBack")[0]).toMatchObject({
      points: 100,
      allocations: [
        { lotId: own, points: 40 },
        { lotId: other, points: 60 },
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

const feedback = (memberId: string, at: string, feedbackId: string) => ({
  type: "feedback",
  memberId,
  at,
  feedbackId,
  score: 7,
});

describe("5.6 due items at their boundaries", () => {
  const rolling30 = (earn = {}) => program({ expiry: { policy: "rolling", days: 30 }, earn });

  it("a lot expires at exactly expiresAt, not one millisecond before", async () => {
    const c = club(rolling30());
    await c.ok(join("a", "2011-01-01T00:00:00Z"), purchase("a", "2011-01-01T00:00:00Z", "p1", "10"));
    const before = await c.ok(feedback("a", "2011-01-30T23:59:59.999Z", "f1"));
    expect(before.map((e) => e.type)).toEqual(["FeedbackSubmitted"]);
    const at = await c.ok(feedback("a", "2011-01-31T00:00:00.000Z", "f2"));
    expect(at.map((e) => [e.type, e.occurredAt])).toEqual([
      ["PointsExpired", "2011-01-31T00:00:00.000Z"],
      ["FeedbackSubmitted", "2011-01-31T00:00:00.000Z"],
    ]);
  });

  it("an expiry and a birthday at the same instant: the expiry first", async () => {
    const c = club(rolling30({ birthdayBonus: 5 }));
    await c.ok(
      join("a", "2011-01-01T00:00:00Z", { birthDate: "1980-01-31" }),
      purchase("a", "2011-01-01T00:00:00Z", "p1", "10"),
    );
    const events = await c.ok(feedback("a", "2011-02-01T00:00:00Z", "f1"));
    expect(events.map((e) => [e.type, e.occurredAt, (e.data as { reason?: string }).reason])).toEqual([
      ["PointsExpired", "2011-01-31T00:00:00.000Z", undefined],
      ["PointsEarned", "2011-01-31T00:00:00.000Z", "birthday"],
      ["FeedbackSubmitted", "2011-02-01T00:00:00.000Z", undefined],
    ]);
  });

  it("lots expiring at the same instant expire in creation order", async () => {
    const c = club(rolling30({ signupBonus: 5 }));
    await c.ok(join("a", "2011-01-01T00:00:00Z"), purchase("a", "2011-01-01T00:00:00Z", "p1", "10"));
    const lots = (await c.state("a")).lots.map((l) => l.lotId);
    const events = await c.ok(feedback("a", "2011-02-01T00:00:00Z", "f1"));
    expect(data(events, "PointsExpired")).toEqual([
      { lotId: lots[0], points: 5 },
      { lotId: lots[1], points: 10 },
    ]);
  });
});

describe("5.6 due items across program versions (5.10)", () => {
  it("a lot that never expires stays when a lot of a later version expires", async () => {
    // Mutant: `lot.expiresAt !== null` made true in step 5 (null <= now).
    const v1 = program();
    const v2 = { ...v1, version: 2, expiry: { policy: "rolling" as const, days: 30 } };
    const c1 = club(v1);
    await c1.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-01-02T10:00:00Z", "p1", "100"));
    const c2 = club(v2, c1.store);
    await c2.ok(purchase("a", "2011-01-03T10:00:00Z", "p2", "50"));
    const lots = (await c2.state("a")).lots.map((l) => l.lotId);
    const events = await c2.ok(feedback("a", "2011-03-01T00:00:00Z", "f1"));
    expect(data(events, "PointsExpired")).toEqual([{ lotId: lots[1], points: 50 }]);
    expect(await c2.balance("a", "2011-03-01T00:00:00Z")).toMatchObject({ available: 100 });
  });

  it("lots due together expire in expiry order, not creation order", async () => {
    // Mutant: the fifoCompare pick in step 5 removed (first due lot in creation order).
    const v1 = program({ expiry: { policy: "rolling", days: 365 } });
    const v2 = { ...v1, version: 2, expiry: { policy: "rolling" as const, days: 30 } };
    const c1 = club(v1);
    await c1.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-01-02T10:00:00Z", "p1", "100"));
    const c2 = club(v2, c1.store);
    await c2.ok(purchase("a", "2011-01-03T10:00:00Z", "p2", "50"));
    const lots = (await c2.state("a")).lots.map((l) => l.lotId);
    const events = await c2.ok(feedback("a", "2012-02-01T00:00:00Z", "f1"));
    expect(events.filter((e) => e.type === "PointsExpired").map((e) => [e.occurredAt, e.data])).toEqual([
      ["2011-02-02T10:00:00.000Z", { lotId: lots[1], points: 50 }],
      ["2012-01-02T10:00:00.000Z", { lotId: lots[0], points: 100 }],
    ]);
  });
});

describe("5.2 earning at its boundaries", () => {
  it("a purchase that earns 0 points records the purchase and no lot", async () => {
    const c = club();
    await c.ok(join("a", "2011-01-01T00:00:00Z"));
    const events = await c.ok(purchase("a", "2011-01-02T00:00:00Z", "p1", "0.99"));
    expect(events.map((e) => e.type)).toEqual(["PurchaseRecorded"]);
  });

  it("a campaign counts from `from` inclusive to `to` exclusive (spec 3)", async () => {
    const c = club(
      program({
        earn: {
          campaigns: [{ id: "x", from: "2011-02-01T00:00:00Z", to: "2011-02-02T00:00:00Z", multiplier: "2" }],
        },
      }),
    );
    await c.ok(join("a", "2011-01-01T00:00:00Z"));
    const earned = async (at: string, id: string) =>
      data(await c.ok(purchase("a", at, id, "10")), "PointsEarned").map((d) => d.points);
    expect(await earned("2011-01-31T23:59:59.999Z", "p0")).toEqual([10]);
    expect(await earned("2011-02-01T00:00:00.000Z", "p1")).toEqual([20]);
    expect(await earned("2011-02-01T23:59:59.999Z", "p2")).toEqual([20]);
    expect(await earned("2011-02-02T00:00:00.000Z", "p3")).toEqual([10]);
  });
});

describe("5.7 tiers at their boundaries", () => {
  it("a purchase leaves the window (t - windowDays, t] exactly windowDays later", async () => {
    const c = club();
    await c.ok(join("a", "2011-01-01T00:00:00Z"), purchase("a", "2011-01-01T00:00:00Z", "p1", "600"));
    expect((await c.state("a")).tier).toBe("silver");
    const inside = await c.ok(feedback("a", "2011-12-31T23:59:59.999Z", "f1"));
    expect(inside.map((e) => e.type)).toEqual(["FeedbackSubmitted"]);
    const out = await c.ok(feedback("a", "2012-01-01T00:00:00.000Z", "f2"));
    expect(data(out, "TierChanged")).toEqual([
      { from: "silver", to: "bronze", direction: "down", metric: "0" },
    ]);
  });

  it("a move down waits retentionDays from the move up, to the millisecond", async () => {
    const c = club(program({ tiers: { retentionDays: 10 } }));
    await c.ok(join("a", "2011-01-01T00:00:00Z"), purchase("a", "2011-01-01T00:00:00Z", "p1", "600"));
    await c.ok(refund("a", "2011-01-02T00:00:00Z", "p1", "c1", "600"));
    const early = await c.ok(feedback("a", "2011-01-10T23:59:59.999Z", "f1"));
    expect(data(early, "TierChanged")).toEqual([]);
    const due = await c.ok(feedback("a", "2011-01-11T00:00:00.000Z", "f2"));
    expect(data(due, "TierChanged").map((d) => d.to)).toEqual(["bronze"]);
  });
});

describe("5.7 the metric over a window with purchases on both sides", () => {
  it.each(["spend", "points"] as const)(
    "%s: a purchase out of the window does not count, one inside does",
    async (metric) => {
      // Mutants: the window test or the sum in tierMetric (the state's running sum does not apply here).
      const c = club(program({ tiers: { metric } }));
      await c.ok(
        join("a", "2011-01-01T00:00:00Z"),
        purchase("a", "2011-01-01T00:00:00Z", "p1", "600"),
        purchase("a", "2011-12-01T00:00:00Z", "p2", "100"),
      );
      const events = await c.ok(feedback("a", "2012-01-01T00:00:00.000Z", "f1"));
      expect(data(events, "TierChanged")).toEqual([
        { from: "silver", to: "bronze", direction: "down", metric: "100" },
      ]);
    },
  );

  it("5.2 a tier the new program version no longer has counts with multiplier 1", async () => {
    // Mutant: `levelOf(...)?.multiplier` as `.multiplier` (throws on a dropped tier).
    const v1 = program();
    const c1 = club(v1);
    await c1.ok(join("a", "2011-01-01T00:00:00Z"), purchase("a", "2011-01-01T00:00:00Z", "p1", "600"));
    expect((await c1.state("a")).tier).toBe("silver");
    const v2 = { ...v1, version: 2 };
    v2.tiers = {
      ...v1.tiers,
      levels: [
        { id: "bronze", threshold: "0", multiplier: "1" },
        { id: "gold", threshold: "500", multiplier: "2" },
      ],
    };
    const c2 = club(v2, c1.store);
    const events = await c2.ok(purchase("a", "2011-01-02T00:00:00Z", "p2", "10"));
    expect(data(events, "PointsEarned").map((d) => d.points)).toEqual([10]);
    expect(data(events, "TierChanged")).toMatchObject([{ from: "silver", to: "gold", direction: "up" }]);
  });
});

describe("5.6 birthdays count from the join day", () => {
  it("a birthday earlier in the join year is not paid; the next year's is", async () => {
    // Mutant: `b >= joinDay` made true in dueBirthdays.
    const c = club(program({ earn: { birthdayBonus: 9 } }));
    await c.ok(join("a", "2011-03-01T00:00:00Z", { birthDate: "1980-01-10" }));
    expect(data(await c.ok(feedback("a", "2011-04-01T00:00:00Z", "f1")), "PointsEarned")).toEqual([]);
    expect(data(await c.ok(feedback("a", "2012-01-10T00:00:00Z", "f2")), "PointsEarned")).toMatchObject([
      { reason: "birthday", birthdayYear: 2012 },
    ]);
  });
});

describe("5.2 the referral reaction's time", () => {
  it("is max(the referee's purchase, the referrer's last event)", async () => {
    const c = club(program({ earn: { referralBonus: 25 } }));
    await c.ok(
      join("a", "2011-01-01T00:00:00Z"),
      join("b", "2011-01-01T01:00:00Z", { referredBy: "a" }),
      purchase("a", "2011-01-01T03:00:00Z", "pa", "5"),
      purchase("b", "2011-01-01T02:00:00Z", "pb", "5"),
    );
    const bonus = (await c.stream("a")).filter((e) => (e.data as { reason?: string }).reason === "referral");
    expect(bonus.map((e) => e.occurredAt)).toEqual(["2011-01-01T03:00:00.000Z"]);
  });
});

describe("5 step 1: Jalali birth dates", () => {
  it.each([
    ["0559-12-31", "VALIDATION"],
    ["0560-01-01", "ACCEPTED"],
    ["3798-12-31", "ACCEPTED"],
    ["3799-01-01", "VALIDATION"],
  ])("birthDate %s under a Jalali program: %s", async (birthDate, code) => {
    const c = club(program({ calendar: "jalali" }));
    expect(await c.code(join("a", "2011-01-01T00:00:00Z", { birthDate }))).toBe(code);
  });
});

describe("5.8 rejection messages name the field and the cause", () => {
  const message = async (c: ReturnType<typeof club>, command: Record<string, unknown>) => {
    const outcome = await c.run(command);
    return outcome.status === "rejected"
      ? `${outcome.rejection.code} ${outcome.rejection.message}`
      : "ACCEPTED";
  };

  it("each rejection of spec 5.8 says what is wrong", async () => {
    const c = club(program({ redemption: { minPoints: 10, pointValue: "0.01" } }));
    expect(await message(c, purchase("x", "2011-01-02T00:00:00Z", "p0", "5"))).toBe(
      "UNKNOWN_MEMBER memberId: member x has not joined",
    );
    await c.ok(join("a", "2011-01-02T00:00:00Z"), purchase("a", "2011-01-02T00:00:00Z", "p1", "20"));
    expect(await message(c, join("a", "2011-01-02T00:00:00Z", { kind: "organization" }))).toBe(
      "MEMBER_EXISTS memberId: member a already joined",
    );
    expect(await message(c, join("s", "2011-01-02T00:00:00Z", { referredBy: "s" }))).toBe(
      "SELF_REFERRAL referredBy: a member cannot refer themself",
    );
    expect(await message(c, join("n", "2011-01-02T00:00:00Z", { referredBy: "nobody" }))).toBe(
      "REFERRER_NOT_FOUND referredBy: member nobody has not joined",
    );
    expect(await message(c, purchase("a", "2011-01-01T00:00:00Z", "p2", "5"))).toBe(
      "OUT_OF_ORDER at: 2011-01-01T00:00:00.000Z is before the member's last event 2011-01-02T00:00:00.000Z",
    );
    expect(await message(c, refund("a", "2011-01-03T00:00:00Z", "p9", "c1", "1"))).toBe(
      "UNKNOWN_PURCHASE purchaseId: p9 is not a purchase of this member",
    );
    expect(await message(c, refund("a", "2011-01-03T00:00:00Z", "p1", "c1", "20.01"))).toBe(
      "REFUND_EXCEEDS_PURCHASE amount: 20.01 exceeds what is left to refund (20)",
    );
    expect(await message(c, redeem("a", "2011-01-03T00:00:00Z", "r1", 9))).toBe(
      "BELOW_MIN_REDEMPTION points: 9 is below the minimum 10",
    );
    expect(await message(c, redeem("a", "2011-01-03T00:00:00Z", "r1", 21))).toBe(
      "INSUFFICIENT_POINTS points: 21 requested, 20 available",
    );
    expect(await message(c, adjust("a", "2011-01-03T00:00:00Z", "d1", -21))).toBe(
      "INSUFFICIENT_POINTS points: 21 to debit, 20 available",
    );
    expect(
      await message(c, {
        type: "reverse-redemption",
        memberId: "a",
        at: "2011-01-03T00:00:00Z",
        redemptionId: "r9",
      }),
    ).toBe("UNKNOWN_REDEMPTION redemptionId: r9 is not a redemption of this member");
  });

  it("VALIDATION of step 6 names the field: a Jalali birth date, a purchase past safe points", async () => {
    const j = club(program({ calendar: "jalali" }));
    expect(await message(j, join("a", "2011-01-01T00:00:00Z", { birthDate: "0559-12-31" }))).toBe(
      "VALIDATION birthDate: outside the range of the Jalali calendar",
    );
    const c = club();
    await c.ok(join("a", "2011-01-01T00:00:00Z"));
    expect(await message(c, purchase("a", "2011-01-02T00:00:00Z", "p1", "9007199254740992"))).toBe(
      "VALIDATION amount: 9007199254740992 would earn more points than a safe integer",
    );
  });

  it("IDEMPOTENCY_CONFLICT names the id field of each command type; a second reversal is ALREADY_REVERSED", async () => {
    const c = club();
    const t = "2011-01-02T00:00:00Z";
    await c.ok(
      join("a", t),
      purchase("a", t, "p1", "20"),
      refund("a", t, "p1", "c1", "1"),
      redeem("a", t, "r1", 5),
      adjust("a", t, "d1", 3),
      feedback("a", t, "f1"),
      { type: "reverse-redemption", memberId: "a", at: t, redemptionId: "r1" },
    );
    const conflicts = [
      purchase("a", t, "p1", "21"),
      refund("a", t, "p1", "c1", "2"),
      redeem("a", t, "r1", 6),
      adjust("a", t, "d1", 4),
      { ...feedback("a", t, "f1"), score: 1 },
    ];
    const messages = [];
    for (const command of conflicts) messages.push(await message(c, command));
    expect(messages).toEqual([
      "IDEMPOTENCY_CONFLICT purchaseId: p1 was already used by another purchase command",
      "IDEMPOTENCY_CONFLICT refundId: c1 was already used by another refund command",
      "IDEMPOTENCY_CONFLICT redemptionId: r1 was already used by another redeem command",
      "IDEMPOTENCY_CONFLICT adjustmentId: d1 was already used by another adjust command",
      "IDEMPOTENCY_CONFLICT feedbackId: f1 was already used by another feedback command",
    ]);
    expect(
      await message(c, { type: "reverse-redemption", memberId: "a", at: t, redemptionId: "r1", extra: 1 }),
    ).toMatch(/^VALIDATION/);
  });
});

describe("5 feedback", () => {
  it("without a comment records no comment field", async () => {
    const c = club();
    await c.ok(join("a", "2011-01-01T00:00:00Z"));
    const [e] = await c.ok(feedback("a", "2011-01-02T00:00:00Z", "f1"));
    expect(Object.keys(e?.data ?? {})).toEqual(["feedbackId", "score"]);
  });
});

describe("5.6 sweeps at their boundaries", () => {
  it("a sweep before the member's last event appends nothing for it; a later one expires what is due", async () => {
    const c = club(program({ expiry: { policy: "rolling", days: 1 } }));
    await c.ok(join("a", "2011-01-01T00:00:00Z"), purchase("a", "2011-01-01T00:00:00Z", "p1", "10"));
    await c.ok(feedback("a", "2011-01-05T00:00:00Z", "f1")); // expires the lot
    await c.ok(purchase("a", "2011-01-05T00:00:00Z", "p2", "10"));
    const early = await c.run({ type: "sweep", at: "2011-01-04T00:00:00Z" });
    expect(early).toMatchObject({ status: "accepted", events: [] });
    const same = await c.run({ type: "sweep", at: "2011-01-06T00:00:00Z" });
    expect(same.status === "accepted" && same.events.map((e) => e.type)).toEqual(["PointsExpired"]);
  });

  it("a sweep before the member's last event moves no tier, even where the tier at that time differs", async () => {
    // Mutant: the `now < lastEventAt` skip removed. Silver at 01-01, bronze again
    // at the refund (01-03); at 01-02 the metric still counts the 600.
    const c = club();
    await c.ok(join("a", "2011-01-01T00:00:00Z"), purchase("a", "2011-01-01T00:00:00Z", "p1", "600"));
    await c.ok(refund("a", "2011-01-03T00:00:00Z", "p1", "c1", "600"));
    expect((await c.state("a")).tier).toBe("bronze");
    expect(await c.run({ type: "sweep", at: "2011-01-02T00:00:00Z" })).toMatchObject({
      status: "accepted",
      events: [],
    });
    expect((await c.state("a")).tier).toBe("bronze");
  });
});

describe("5.6, 5.7 rules at their boundaries", () => {
  it("a birthday is due at exactly its instant; with birthdayBonus 0 there is none", async () => {
    const c = club(program({ earn: { birthdayBonus: 9 } }));
    await c.ok(join("a", "2011-01-01T00:00:00Z", { birthDate: "1980-01-10" }));
    const events = await c.ok(feedback("a", "2011-01-10T00:00:00Z", "f1"));
    expect(data(events, "PointsEarned")).toMatchObject([
      { reason: "birthday", points: 9, birthdayYear: 2011 },
    ]);
    const none = club();
    await none.ok(join("a", "2011-01-01T00:00:00Z", { birthDate: "1980-01-10" }));
    expect((await none.ok(feedback("a", "2011-01-10T00:00:00Z", "f1"))).map((e) => e.type)).toEqual([
      "FeedbackSubmitted",
    ]);
  });

  it("the points metric leaves the window exactly windowDays after the purchase", async () => {
    const c = club(program({ tiers: { metric: "points" } }));
    await c.ok(join("a", "2011-01-01T00:00:00Z"), purchase("a", "2011-01-01T00:00:00Z", "p1", "600"));
    expect((await c.state("a")).tier).toBe("silver");
    expect(data(await c.ok(feedback("a", "2011-12-31T23:59:59.999Z", "f1")), "TierChanged")).toEqual([]);
    expect(data(await c.ok(feedback("a", "2012-01-01T00:00:00.000Z", "f2")), "TierChanged")).toEqual([
      { from: "silver", to: "bronze", direction: "down", metric: "0" },
    ]);
  });
});

describe("5.5, 5.9 reversals and replays", () => {
  it("a first execution is no replay; the same command again is", async () => {
    const c = club();
    expect(await c.run(join("a", "2011-01-01T00:00:00Z"))).toMatchObject({
      status: "accepted",
      replay: false,
    });
    expect(await c.run(purchase("a", "2011-01-01T00:00:00Z", "p1", "5"))).toMatchObject({ replay: false });
    expect(await c.run(purchase("a", "2011-01-01T00:00:00Z", "p1", "5"))).toMatchObject({ replay: true });
  });

  it("a reversal expires at once only the points given back to lots already past expiry", async () => {
    const c = club(program({ expiry: { policy: "rolling", days: 10 } }));
    await c.ok(
      join("a", "2011-01-01T00:00:00Z"),
      purchase("a", "2011-01-01T00:00:00Z", "p1", "10"),
      purchase("a", "2011-01-05T00:00:00Z", "p2", "10"),
      redeem("a", "2011-01-06T00:00:00Z", "r1", 15),
      redeem("a", "2011-01-06T00:00:00Z", "r2", 2),
    );
    const lots = (await c.state("a")).lots.map((l) => l.lotId);
    const fresh = await c.ok({
      type: "reverse-redemption",
      memberId: "a",
      at: "2011-01-07T00:00:00Z",
      redemptionId: "r2",
    });
    expect(fresh.map((e) => e.type)).toEqual(["RedemptionReversed"]);
    // r1 took 10 from p1's lot (expired 2011-01-11) and 5 from p2's (expires 2011-01-15).
    const late = await c.ok({
      type: "reverse-redemption",
      memberId: "a",
      at: "2011-01-12T00:00:00Z",
      redemptionId: "r1",
    });
    expect(late.map((e) => e.type)).toEqual(["RedemptionReversed", "PointsExpired"]);
    expect(data(late, "PointsExpired")).toEqual([{ lotId: lots[0], points: 10 }]);
  });

  it("a reversal whose points all repay debt expires nothing, though its lot is past expiry", async () => {
    const c = club(program({ expiry: { policy: "rolling", days: 5 } }));
    await c.ok(
      join("a", "2011-01-01T00:00:00Z"),
      adjust("a", "2011-01-01T00:00:00Z", "d1", 10),
      redeem("a", "2011-01-02T00:00:00Z", "r1", 10),
      purchase("a", "2011-01-03T00:00:00Z", "p1", "10"),
      redeem("a", "2011-01-03T00:00:00Z", "r2", 10),
      refund("a", "2011-01-04T00:00:00Z", "p1", "c1", "10"),
    );
    expect((await c.state("a")).debt).toBe(10);
    // The adjustment's lot expired on 2011-01-06; r1's 10 points go to the debt, none back to it.
    const events = await c.ok({
      type: "reverse-redemption",
      memberId: "a",
      at: "2011-01-07T00:00:00Z",
      redemptionId: "r1",
    });
    expect(events.map((e) => e.type)).toEqual(["RedemptionReversed"]);
    expect(data(events, "RedemptionReversed")[0]?.debtRepaid).toBe(10);
  });

  it("the Jalali birth-date range does not apply to a Gregorian program", async () => {
    const c = club();
    expect(await c.code(join("a", "2011-01-01T00:00:00Z", { birthDate: "0559-12-31" }))).toBe("ACCEPTED");
  });
});
