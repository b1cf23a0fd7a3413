import { describe, expect, it } from "vitest";
import {
  adjust,
  club,
  day,
  join,
  program,
  purchase,
  redeem,
  refund,
  reverse,
  T0,
} from "../testing/harness.js";

describe("5.1 join", () => {
  it("appends MemberJoined and a signup bonus; same join again is a no-op; other content MEMBER_EXISTS", async () => {
    const c = club(program({ earn: { signupBonus: 50 } }));
    await c.ok(join("a", T0));
    expect(await c.types("a")).toEqual(["MemberJoined", "PointsEarned"]);
    const again = await c.run(join("a", T0));
    expect(again).toMatchObject({ status: "accepted", replay: true, events: [] });
    expect(await c.code(join("a", T0, { kind: "organization" }))).toBe("MEMBER_EXISTS");
    expect((await c.types("a")).length).toBe(2);
  });
  it("checks MEMBER_EXISTS, then SELF_REFERRAL, then REFERRER_NOT_FOUND (step 2)", async () => {
    const c = club();
    await c.ok(join("a", T0));
    expect(await c.code(join("a", T0, { referredBy: "a" }))).toBe("MEMBER_EXISTS");
    expect(await c.code(join("b", T0, { referredBy: "b" }))).toBe("SELF_REFERRAL");
    expect(await c.code(join("b", T0, { referredBy: "ghost" }))).toBe("REFERRER_NOT_FOUND");
    // A referrer who joined later than the referee's join time still counts ("whatever its join time").
    await c.ok(join("late", day(5)));
    expect(await c.code(join("b", T0, { referredBy: "late" }))).toBe("ACCEPTED");
  });
});

describe("5.2 purchase", () => {
  it("rounds once on the final product with tier and campaign multipliers", async () => {
    const c = club(
      program({
        earn: {
          rounding: "floor",
          campaigns: [{ id: "x2", from: day(0, "00:00:00"), to: day(30, "00:00:00"), multiplier: "2" }],
        },
      }),
    );
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "10.75"));
    const earned = (await c.stream("a")).filter((e) => e.type === "PointsEarned").map((e) => e.data);
    expect(earned[0]).toMatchObject({ points: 21, reason: "purchase", purchaseId: "p1" }); // floor(21.5)
  });
  it("half-up and ceil round the exact value", async () => {
    for (const [rounding, expected] of [
      ["half-up", 11],
      ["ceil", 11],
      ["floor", 10],
    ] as const) {
      const c = club(program({ earn: { rounding } }));
      await c.ok(join("a", T0), purchase("a", day(1), "p1", "10.5"));
      const lot = (await c.stream("a")).find((e) => e.type === "PointsEarned");
      expect(lot?.data).toMatchObject({ points: expected });
    }
  });
  it("a campaign limited to tiers applies only to members in them; tiers [] never applies", async () => {
    const c = club(
      program({
        earn: {
          campaigns: [
            { id: "silver-only", from: day(0), to: day(30), multiplier: "3", tiers: ["silver"] },
            { id: "nobody", from: day(0), to: day(30), multiplier: "5", tiers: [] },
          ],
        },
      }),
    );
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "600"), purchase("a", day(2), "p2", "10"));
    const pts = (await c.stream("a"))
      .filter((e) => e.type === "PointsEarned")
      .map((e) => (e.data as { points: number }).points);
    // p1 at bronze x1 = 600 (then tier up to silver); p2 at silver: 10 * 1.5 * 3 = 45.
    expect(pts).toEqual([600, 45]);
  });
  it("pending purchase lots are available at at + pendingDays; bonuses at once", async () => {
    const c = club(program({ earn: { pendingDays: 7, signupBonus: 5 } }));
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "100"));
    expect(await c.balance("a", day(2))).toMatchObject({ available: 5, pending: 100 });
    expect(await c.balance("a", day(8))).toMatchObject({ available: 105, pending: 0 });
    expect(await c.code(redeem("a", day(2), "r1", 50))).toBe("INSUFFICIENT_POINTS");
  });
  it("points above a safe integer are VALIDATION (step 6)", async () => {
    const c = club(program({ earn: { pointsPerUnit: "1000000000" } }));
    await c.ok(join("a", T0));
    expect(await c.code(purchase("a", day(1), "p1", "99999999999"))).toBe("VALIDATION");
    expect(await c.types("a")).toEqual(["MemberJoined"]);
  });
  it("the referral reaction pays the referrer once, on the referee's first purchase only", async () => {
    const c = club(program({ earn: { referralBonus: 200 } }));
    await c.ok(join("r", T0), join("e", day(1), { referredBy: "r" }), purchase("e", day(2), "p1", "10"));
    await c.ok(purchase("e", day(2), "p1", "10"), purchase("e", day(3), "p2", "10"));
    const referrals = (await c.stream("r")).filter((e) => e.type === "PointsEarned");
    expect(referrals).toHaveLength(1);
    expect(referrals[0]?.data).toMatchObject({ reason: "referral", refereeId: "e", points: 200 });
    expect(referrals[0]?.metadata).toMatchObject({ commandId: "referral:e", correlationId: "purchase:p1" });
  });
  it("the referral reaction happens at max(at, referrer's last event time)", async () => {
    const c = club(program({ earn: { referralBonus: 200 } }));
    await c.ok(join("r", T0), join("e", day(1), { referredBy: "r" }), purchase("r", day(5), "rp", "1"));
    await c.ok(purchase("e", day(2), "p1", "10"));
    const bonus = (await c.stream("r")).find((e) => (e.data as { reason?: string }).reason === "referral");
    expect(bonus?.occurredAt).toBe(new Date(day(5)).toISOString());
  });
});

describe("5.3 refund", () => {
  it("claws back cumulatively: floor(earned * refundedTotal / amount), a full refund takes all", async () => {
    const c = club();
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "99"));
    await c.ok(
      refund("a", day(2), "p1", "c1", "33"),
      refund("a", day(3), "p1", "c2", "33"),
      refund("a", day(4), "p1", "c3", "33"),
    );
    const claws = (await c.stream("a"))
      .filter((e) => e.type === "PointsClawedBack")
      .map((e) => (e.data as { points: number }).points);
    expect(claws).toEqual([33, 33, 33]);
    expect(await c.balance("a", day(5))).toMatchObject({ available: 0, debt: 0 });
  });
  it("takes the purchase's own lot first, then FIFO, then debt; debt is repaid by the next lot", async () => {
    const c = club();
    await c.ok(
      join("a", T0),
      purchase("a", day(1), "p1", "100"),
      purchase("a", day(2), "p2", "50"),
      redeem("a", day(3), "r1", 120),
    );
    await c.ok(refund("a", day(4), "p2", "c1", "50"));
    const claw = (await c.stream("a")).find((e) => e.type === "PointsClawedBack");
    expect(claw?.data).toMatchObject({ points: 50, debtIncurred: 20 });
    expect((claw?.data as { allocations: unknown[] } | undefined)?.allocations).toHaveLength(1);
    expect(await c.balance("a", day(4))).toMatchObject({ available: 0, debt: 20 });
    await c.ok(purchase("a", day(5), "p3", "30"));
    const lot = (await c.stream("a")).filter((e) => e.type === "PointsEarned").at(-1);
    expect(lot?.data).toMatchObject({ points: 30, debtRepaid: 20 });
    expect(await c.balance("a", day(5))).toMatchObject({ available: 10, debt: 0 });
  });
  it("UNKNOWN_PURCHASE before REFUND_EXCEEDS_PURCHASE; a rejected refund appends nothing", async () => {
    const c = club();
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "10"));
    expect(await c.code(refund("a", day(2), "nope", "c1", "100"))).toBe("UNKNOWN_PURCHASE");
    expect(await c.code(refund("a", day(2), "p1", "c1", "10.01"))).toBe("REFUND_EXCEEDS_PURCHASE");
    expect((await c.stream("a")).length).toBe(3);
  });
  it("never reverses a signup bonus, but takes it by FIFO when the purchase lot is spent", async () => {
    const c = club(program({ earn: { signupBonus: 10 } }));
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "20"), redeem("a", day(2), "r", 20));
    await c.ok(refund("a", day(3), "p1", "c1", "20"));
    const claw = (await c.stream("a")).find((e) => e.type === "PointsClawedBack");
    expect(claw?.data).toMatchObject({ points: 20, debtIncurred: 10 });
  });
});

describe("5.4 lots, FIFO and debt", () => {
  it("consumes lots by expiresAt ascending, never-expiring last, ties by creation order", async () => {
    const c = club(program({ expiry: { policy: "rolling", days: 30 } }));
    await c.ok(
      join("a", T0),
      purchase("a", day(1), "p1", "10"),
      purchase("a", day(1), "p2", "10"),
      purchase("a", day(2), "p3", "10"),
    );
    await c.ok(redeem("a", day(3), "r1", 15));
    const r = (await c.stream("a")).find((e) => e.type === "PointsRedeemed");
    const lots = (await c.stream("a")).filter((e) => e.type === "PointsEarned").map((e) => e.eventId);
    expect((r?.data as { allocations: unknown } | undefined)?.allocations).toEqual([
      { lotId: lots[0], points: 10 },
      { lotId: lots[1], points: 5 },
    ]);
  });
});

describe("5.5 redeem, reverse, adjust, feedback", () => {
  it("BELOW_MIN_REDEMPTION before INSUFFICIENT_POINTS", async () => {
    const c = club(program({ redemption: { minPoints: 100 } }));
    await c.ok(join("a", T0));
    expect(await c.code(redeem("a", day(1), "r", 50))).toBe("BELOW_MIN_REDEMPTION");
    expect(await c.code(redeem("a", day(1), "r", 150))).toBe("INSUFFICIENT_POINTS");
  });
  it("a reversal returns the points; again is a no-op; other at is ALREADY_REVERSED; unknown is UNKNOWN_REDEMPTION", async () => {
    const c = club();
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "100"), redeem("a", day(2), "r1", 60));
    expect(await c.balance("a", day(2))).toMatchObject({ available: 40 });
    await c.ok(reverse("a", day(3), "r1"));
    expect(await c.balance("a", day(3))).toMatchObject({ available: 100 });
    expect(await c.run(reverse("a", day(3), "r1"))).toMatchObject({ status: "accepted", replay: true });
    expect(await c.code(reverse("a", day(4), "r1"))).toBe("ALREADY_REVERSED");
    expect(await c.code(reverse("a", day(4), "zz"))).toBe("UNKNOWN_REDEMPTION");
  });
  it("a reversal repays debt first and expires points returned to expired lots at once", async () => {
    const c = club(program({ expiry: { policy: "rolling", days: 10 } }));
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "50"), purchase("a", day(2), "p2", "40"));
    await c.ok(redeem("a", day(3), "r1", 50), refund("a", day(4), "p1", "c", "50"));
    expect(await c.balance("a", day(4))).toMatchObject({ available: 0, debt: 10 });
    await c.ok(reverse("a", day(13), "r1"));
    const tail = (await c.stream("a")).slice(-2);
    const lot1 = (await c.stream("a")).find((e) => e.type === "PointsEarned")?.eventId;
    expect(tail.map((e) => [e.type, e.data])).toEqual([
      [
        "RedemptionReversed",
        { redemptionId: "r1", points: 50, debtRepaid: 10, allocations: [{ lotId: lot1, points: 50 }] },
      ],
      ["PointsExpired", { lotId: lot1, points: 40 }],
    ]);
    expect(tail.every((e) => e.occurredAt === new Date(day(13)).toISOString())).toBe(true);
    expect(await c.balance("a", day(13))).toMatchObject({ available: 0, debt: 0 });
  });
  it("adjust: positive is a new lot with note and actor; negative debits FIFO or is INSUFFICIENT_POINTS", async () => {
    const c = club();
    await c.ok(join("a", T0), adjust("a", day(1), "x1", 25));
    const lot = (await c.stream("a")).at(-1);
    expect(lot?.data).toMatchObject({
      points: 25,
      reason: "adjustment",
      adjustmentId: "x1",
      actor: "ops@test",
      note: "test",
    });
    expect(lot?.metadata.actor).toBe("ops@test");
    expect(await c.code(adjust("a", day(2), "x2", -30))).toBe("INSUFFICIENT_POINTS");
    await c.ok(adjust("a", day(2), "x3", -20));
    expect((await c.stream("a")).at(-1)?.data).toMatchObject({
      adjustmentId: "x3",
      points: 20,
      allocations: [{ points: 20 }],
    });
    expect(await c.balance("a", day(2))).toMatchObject({ available: 5 });
  });
});
