import { describe, expect, it } from "vitest";
import { couponCode, createLedger, crockfordBase32, type Program, sameCode } from "../index.js";
import {
  adjust,
  baseProgram,
  club,
  day,
  join,
  reverse,
  T0,
  TEST_COUPON_SECRET,
  testStore,
} from "../testing/harness.js";

// club-v1 §2 (redeem against the catalogue, coupons, use-coupon) and §9.

const rewardsProgram = (rewards: unknown[]): Program => ({ ...baseProgram(), rewards }) as Program;
const mug = { id: "mug", cost: 500, coupon: { validDays: 30 } };
const redeemReward = (memberId: string, at: string, redemptionId: string, rewardId: string, extra = {}) => ({
  type: "redeem",
  memberId,
  at,
  redemptionId,
  rewardId,
  ...extra,
});
const useCoupon = (memberId: string, at: string, couponId: string, code: string, extra = {}) => ({
  type: "use-coupon",
  memberId,
  at,
  couponId,
  code,
  ...extra,
});
const funded = async (prog: Program, points = 2000) => {
  const c = club(prog);
  await c.ok(join("m1", T0), adjust("m1", T0, "a1", points));
  return c;
};

describe("club-v1 §2 coupon codes", () => {
  it("are Crockford base32 of the first 10 bytes of HMAC-SHA256(secret, memberId/redemptionId)", () => {
    // Computed independently (Python hmac + base64.b32encode, alphabet mapped to Crockford).
    expect(couponCode(TEST_COUPON_SECRET, "m1", "r1")).toBe("9V5VYMWSCBE39V6C");
    expect(crockfordBase32(new Uint8Array([0, 0, 0, 0, 0]))).toBe("00000000");
    expect(crockfordBase32(new Uint8Array([255, 255, 255, 255, 255]))).toBe("ZZZZZZZZ");
  });
  it("§9: compare exactly (lower case and other lengths do not match)", () => {
    expect(sameCode("9V5VYMWSCBE39V6C", "9V5VYMWSCBE39V6C")).toBe(true);
    expect(sameCode("9v5vymwscbe39v6c", "9V5VYMWSCBE39V6C")).toBe(false);
    expect(sameCode("9V5VYMWSCBE39V6", "9V5VYMWSCBE39V6C")).toBe(false);
  });
  it("a program whose rewards issue coupons does not start without a secret (empty is missing)", () => {
    for (const couponSecret of [undefined, ""])
      expect(() =>
        createLedger({
          store: testStore(),
          program: rewardsProgram([mug]),
          ...(couponSecret === undefined ? {} : { couponSecret }),
        }),
      ).toThrow(
        expect.objectContaining({
          code: "COUPON_SECRET_MISSING",
          message: expect.stringMatching(
            /^couponSecret: the program has rewards that issue coupons and no coupon secret was given/,
          ),
          hint: "set VAFA_COUPON_SECRET or pass --coupon-secret-file (couponSecret in createLedger)",
        }),
      );
    expect(() =>
      createLedger({ store: testStore(), program: rewardsProgram([{ id: "x", cost: 1 }]) }),
    ).not.toThrow();
  });
});

describe("club-v1 §2 redeem against the catalogue", () => {
  it("points omitted means cost; PointsRedeemed with rewardId then CouponIssued", async () => {
    const c = await funded(rewardsProgram([mug]));
    const events = await c.ok(redeemReward("m1", day(1), "r1", "mug"));
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["PointsRedeemed", expect.objectContaining({ redemptionId: "r1", points: 500, rewardId: "mug" })],
      [
        "CouponIssued",
        {
          couponId: "r1",
          rewardId: "mug",
          code: couponCode(TEST_COUPON_SECRET, "m1", "r1"),
          validUntil: new Date(day(31)).toISOString(),
        },
      ],
    ]);
    expect(Object.keys(events[1]?.data ?? {})).toEqual(["couponId", "rewardId", "code", "validUntil"]);
    expect((await c.balance("m1", day(1))).available).toBe(1500);
    // The same command again is a replay.
    expect(await c.run(redeemReward("m1", day(1), "r1", "mug"))).toMatchObject({
      status: "accepted",
      replay: true,
    });
    // §9 points vs cost: giving `points` where the first omitted it is another set of fields.
    expect(await c.code(redeemReward("m1", day(1), "r1", "mug", { points: 500 }))).toBe(
      "IDEMPOTENCY_CONFLICT",
    );
  });
  it("§9 points vs cost: a replay that omits points where the first gave them (or the reverse) is IDEMPOTENCY_CONFLICT", async () => {
    const store = testStore();
    const prog = rewardsProgram([mug, { id: "pen", cost: 100, stock: 3 }]);
    const c = club(prog, store);
    await c.ok(join("m1", T0), adjust("m1", T0, "a1", 2000));
    await c.ok(redeemReward("m1", day(1), "given", "mug", { points: 500 }));
    await c.ok(redeemReward("m1", day(1), "omitted", "mug"));
    await c.ok(redeemReward("m1", day(1), "stocked", "pen"));
    const before = await c.stream("m1");
    expect(await c.code(redeemReward("m1", day(1), "given", "mug"))).toBe("IDEMPOTENCY_CONFLICT");
    expect(await c.code(redeemReward("m1", day(1), "omitted", "mug", { points: 500 }))).toBe(
      "IDEMPOTENCY_CONFLICT",
    );
    expect(await c.code(redeemReward("m1", day(1), "stocked", "pen", { points: 100 }))).toBe(
      "IDEMPOTENCY_CONFLICT",
    );
    // The same form again is still a replay.
    expect(await c.run(redeemReward("m1", day(1), "given", "mug", { points: 500 }))).toMatchObject({
      replay: true,
    });
    expect(await c.run(redeemReward("m1", day(1), "omitted", "mug"))).toMatchObject({ replay: true });
    expect(await c.run(redeemReward("m1", day(1), "stocked", "pen"))).toMatchObject({ replay: true });
    expect(await c.stream("m1")).toEqual(before);
  });
  it("§9 points vs cost: also inside one executeMany batch (as vafa import runs)", async () => {
    const ledger = createLedger({
      store: testStore(),
      program: rewardsProgram([mug]),
      couponSecret: TEST_COUPON_SECRET,
    });
    const outcomes = await ledger.executeMany([
      join("m1", T0),
      adjust("m1", T0, "a1", 2000),
      redeemReward("m1", day(1), "r1", "mug"),
      redeemReward("m1", day(1), "r1", "mug", { points: 500 }),
      redeemReward("m1", day(1), "r2", "mug", { points: 500 }),
      redeemReward("m1", day(1), "r2", "mug"),
      redeemReward("m1", day(1), "r2", "mug", { points: 500 }),
    ]);
    expect(
      outcomes.map((o) => (o.status === "rejected" ? o.rejection.code : o.replay ? "replay" : "ok")),
    ).toEqual(["ok", "ok", "ok", "IDEMPOTENCY_CONFLICT", "ok", "IDEMPOTENCY_CONFLICT", "replay"]);
    // Later single commands on the same ledger remember the form too.
    expect(await ledger.execute(redeemReward("m1", day(1), "r1", "mug", { points: 500 }))).toMatchObject({
      rejection: { code: "IDEMPOTENCY_CONFLICT" },
    });
  });
  it("§9 points vs cost: a ledger started on a store it did not write falls back to comparing with the cost", async () => {
    // The events do not record the form (docs/rewards.md): a new ledger cannot tell.
    const store = testStore();
    const first = club(rewardsProgram([mug]), store);
    await first.ok(join("m1", T0), adjust("m1", T0, "a1", 2000), redeemReward("m1", day(1), "r1", "mug"));
    const second = club(rewardsProgram([mug]), store);
    expect(await second.run(redeemReward("m1", day(1), "r1", "mug", { points: 500 }))).toMatchObject({
      replay: true,
    });
    expect(await second.run(redeemReward("m1", day(1), "r1", "mug"))).toMatchObject({ replay: true });
  });
  it("§9: points different from cost is VALIDATION; an unknown reward with any points is UNKNOWN_REWARD", async () => {
    const c = await funded(rewardsProgram([mug]));
    expect(await c.code(redeemReward("m1", day(1), "r1", "mug", { points: 499 }))).toBe("VALIDATION");
    expect(await c.code(redeemReward("m1", day(1), "r1", "cup", { points: 499 }))).toBe("UNKNOWN_REWARD");
    expect(await c.code(redeemReward("m1", day(1), "r1", "cup"))).toBe("UNKNOWN_REWARD");
    expect(await c.types("m1")).toEqual(["MemberJoined", "PointsEarned"]);
  });
  it("§9: a redeem without rewardId is the plain L1 redeem (points required)", async () => {
    const c = await funded(rewardsProgram([mug]));
    expect(await c.code({ type: "redeem", memberId: "m1", at: day(1), redemptionId: "r1" })).toBe(
      "VALIDATION",
    );
    expect(await c.code({ type: "redeem", memberId: "m1", at: day(1), redemptionId: "r1", points: 7 })).toBe(
      "ACCEPTED",
    );
  });
  it("with an empty catalogue redeem is exactly L1 5.5 (rewardId recorded, points required)", async () => {
    const c = await funded(baseProgram());
    expect(await c.code(redeemReward("m1", day(1), "r1", "anything"))).toBe("VALIDATION");
    const events = await c.ok(redeemReward("m1", day(1), "r1", "anything", { points: 9 }));
    expect(events.map((e) => e.type)).toEqual(["PointsRedeemed"]);
  });
  it("checks in the spec's order, first failing wins", async () => {
    const strict = {
      id: "vip",
      cost: 5000,
      tiers: ["silver"],
      from: day(2),
      to: day(10),
      perMember: 1,
    };
    const c = await funded(rewardsProgram([strict, { id: "cheap", cost: 1, perMember: 1 }]), 100);
    // Window before tier before limit before points.
    expect(await c.code(redeemReward("m1", day(1), "r1", "vip"))).toBe("REWARD_NOT_AVAILABLE");
    expect(await c.code(redeemReward("m1", day(10), "r1", "vip"))).toBe("REWARD_NOT_AVAILABLE");
    expect(await c.code(redeemReward("m1", day(2), "r1", "vip"))).toBe("TIER_NOT_ELIGIBLE");
    expect(await c.code(redeemReward("m1", day(2), "r2", "cheap"))).toBe("ACCEPTED");
    expect(await c.code(redeemReward("m1", day(2), "r3", "cheap"))).toBe("REWARD_LIMIT");
    // A reversed redemption no longer counts (§9 perMember).
    await c.ok(reverse("m1", day(3), "r2"));
    expect(await c.code(redeemReward("m1", day(3), "r4", "cheap"))).toBe("ACCEPTED");
  });
  it("§9: tiers [] admits nobody; BELOW_MIN_REDEMPTION and INSUFFICIENT_POINTS come after", async () => {
    const prog = {
      ...rewardsProgram([
        { id: "none", cost: 5, tiers: [] },
        { id: "big", cost: 5000 },
        { id: "tiny", cost: 1 },
      ]),
    };
    prog.redemption = { ...prog.redemption, minPoints: 2 };
    const c = await funded(prog, 100);
    expect(await c.code(redeemReward("m1", day(1), "r1", "none"))).toBe("TIER_NOT_ELIGIBLE");
    expect(await c.code(redeemReward("m1", day(1), "r1", "tiny"))).toBe("BELOW_MIN_REDEMPTION");
    expect(await c.code(redeemReward("m1", day(1), "r1", "big"))).toBe("INSUFFICIENT_POINTS");
  });
});

describe("club-v1 §9 perMember and optional fields", () => {
  it("perMember counts the redemptions of that reward only", async () => {
    const c = await funded(
      rewardsProgram([
        { id: "cheap", cost: 1, perMember: 1 },
        { id: "other", cost: 1 },
      ]),
    );
    await c.ok(redeemReward("m1", day(1), "r1", "other"), redeemReward("m1", day(1), "r2", "other"));
    expect(await c.code(redeemReward("m1", day(1), "r3", "cheap"))).toBe("ACCEPTED");
  });
  it("a use without orderId records no orderId field", async () => {
    const c = await funded(rewardsProgram([mug]));
    await c.ok(redeemReward("m1", day(1), "r1", "mug"));
    const [used] = await c.ok(useCoupon("m1", day(2), "r1", couponCode(TEST_COUPON_SECRET, "m1", "r1")));
    expect(Object.keys(used?.data ?? {})).toEqual(["couponId"]);
  });
});

describe("club-v1 §9 rejection messages say what is wrong", () => {
  const message = async (c: ReturnType<typeof club>, command: Record<string, unknown>) => {
    const outcome = await c.run(command);
    return outcome.status === "rejected"
      ? `${outcome.rejection.code} ${outcome.rejection.message}`
      : "ACCEPTED";
  };
  it("for redeem against the catalogue", async () => {
    const strict = { id: "vip", cost: 5000, tiers: ["silver", "gold"], from: day(2), to: day(10) };
    const open = { id: "open", cost: 1, to: day(3) };
    const late = { id: "late", cost: 1, from: day(3) };
    const prog = rewardsProgram([strict, open, late, { id: "cheap", cost: 1, perMember: 1 }]);
    prog.tiers = {
      ...prog.tiers,
      levels: [...prog.tiers.levels, { id: "gold", threshold: "5000", multiplier: "2" }],
    };
    const c = await funded(prog, 100);
    expect(await message(c, redeemReward("m1", day(1), "r1", "nope"))).toBe(
      "UNKNOWN_REWARD rewardId: nope is not in the rewards catalogue",
    );
    expect(await message(c, redeemReward("m1", day(1), "r1", "vip"))).toBe(
      `REWARD_NOT_AVAILABLE at: reward vip can be redeemed from ${day(2)} until before ${day(10)}`,
    );
    expect(await message(c, redeemReward("m1", day(4), "r1", "open"))).toBe(
      `REWARD_NOT_AVAILABLE at: reward open can be redeemed from any time until before ${day(3)}`,
    );
    expect(await message(c, redeemReward("m1", day(1), "r1", "late"))).toBe(
      `REWARD_NOT_AVAILABLE at: reward late can be redeemed from ${day(3)} until before no end`,
    );
    expect(await message(c, redeemReward("m1", day(2), "r1", "vip"))).toBe(
      "TIER_NOT_ELIGIBLE rewardId: reward vip is for tiers [silver, gold]; the member is bronze",
    );
    await c.ok(redeemReward("m1", day(2), "r2", "cheap"));
    expect(await message(c, redeemReward("m1", day(2), "r3", "cheap"))).toBe(
      "REWARD_LIMIT rewardId: the member already holds 1 redemption(s) of cheap; reverse one first",
    );
  });
  it("for use-coupon and for reversing a used coupon's redemption", async () => {
    const c = await funded(rewardsProgram([mug]));
    await c.ok(redeemReward("m1", day(1), "r1", "mug"), redeemReward("m1", day(1), "r2", "mug"));
    const code = couponCode(TEST_COUPON_SECRET, "m1", "r1");
    expect(await message(c, useCoupon("m1", day(2), "r9", code))).toBe(
      "UNKNOWN_COUPON couponId: r9 is not a coupon of member m1",
    );
    expect(await message(c, useCoupon("m1", day(2), "r1", "X"))).toBe(
      "COUPON_CODE_MISMATCH code: does not match coupon r1; check the code as printed",
    );
    expect(await message(c, useCoupon("m1", day(31), "r1", code))).toBe(
      `COUPON_EXPIRED at: coupon r1 was valid until ${day(31).replace("Z", ".000Z")}`,
    );
    await c.ok(reverse("m1", day(2), "r2"));
    expect(await message(c, useCoupon("m1", day(3), "r2", couponCode(TEST_COUPON_SECRET, "m1", "r2")))).toBe(
      "COUPON_VOID couponId: r2 was voided when its redemption was reversed",
    );
    await c.ok(useCoupon("m1", day(3), "r1", code));
    expect(await message(c, useCoupon("m1", day(4), "r1", code, { orderId: "o" }))).toBe(
      "COUPON_USED couponId: r1 was already used",
    );
    expect(await message(c, reverse("m1", day(4), "r1"))).toBe(
      "COUPON_USED redemptionId: the coupon of r1 was already used",
    );
    expect(await message(c, reverse("m1", day(4), "r2"))).toBe(
      "ALREADY_REVERSED redemptionId: r2 was already reversed",
    );
  });
});

describe("club-v1 §2 validUntil past 9999", () => {
  it("is VALIDATION naming coupon.validDays, not a crash (docs/semantics.md)", async () => {
    const c = await funded(
      rewardsProgram([{ id: "forever", cost: 1, coupon: { validDays: Number.MAX_SAFE_INTEGER } }]),
    );
    const outcome = await c.run(redeemReward("m1", day(1), "r1", "forever"));
    expect(outcome).toMatchObject({ status: "rejected", rejection: { code: "VALIDATION" } });
    expect(outcome.status === "rejected" && outcome.rejection.message).toContain("coupon.validDays");
  });
});

describe("club-v1 §2 validUntil at exactly 9999-12-31T23:59:59.999Z", () => {
  it("is still a time events can carry: the coupon is issued", async () => {
    const c = await funded(rewardsProgram([{ id: "last", cost: 1, coupon: { validDays: 1 } }]));
    const events = await c.ok(redeemReward("m1", "9999-12-30T23:59:59.999Z", "r1", "last"));
    expect(events.at(-1)).toMatchObject({
      type: "CouponIssued",
      data: { validUntil: "9999-12-31T23:59:59.999Z" },
    });
  });
});

describe("club-v1 §2 use-coupon", () => {
  const issued = async () => {
    const c = await funded(rewardsProgram([mug]));
    await c.ok(redeemReward("m1", day(1), "r1", "mug"));
    return { c, code: couponCode(TEST_COUPON_SECRET, "m1", "r1") };
  };
  it("appends CouponUsed; the same use again is a no-op, another use is COUPON_USED", async () => {
    const { c, code } = await issued();
    const events = await c.ok(useCoupon("m1", day(2), "r1", code, { orderId: "o-1" }));
    expect(events.map((e) => [e.type, e.data])).toEqual([["CouponUsed", { couponId: "r1", orderId: "o-1" }]]);
    expect(await c.run(useCoupon("m1", day(2), "r1", code, { orderId: "o-1" }))).toMatchObject({
      replay: true,
    });
    expect(await c.code(useCoupon("m1", day(3), "r1", code, { orderId: "o-1" }))).toBe("COUPON_USED");
    expect(await c.code(useCoupon("m1", day(2), "r1", code))).toBe("COUPON_USED");
  });
  it("UNKNOWN_COUPON, COUPON_CODE_MISMATCH, COUPON_VOID, COUPON_EXPIRED in that order", async () => {
    const { c, code } = await issued();
    expect(await c.code(useCoupon("m1", day(2), "r9", code))).toBe("UNKNOWN_COUPON");
    expect(await c.code(useCoupon("m1", day(40), "r1", code.toLowerCase()))).toBe("COUPON_CODE_MISMATCH");
    expect(await c.code(useCoupon("m1", day(31), "r1", code))).toBe("COUPON_EXPIRED");
    expect(await c.code(useCoupon("m1", day(31, "09:59:59"), "r1", code))).toBe("ACCEPTED");
    const d = await issued();
    await d.c.ok(reverse("m1", day(2), "r1"));
    expect(await d.c.code(useCoupon("m1", day(40), "r1", d.code))).toBe("COUPON_VOID");
  });
  it("§9: exists under every program; without rewards it is UNKNOWN_COUPON", async () => {
    const c = await funded(baseProgram());
    expect(await c.code(useCoupon("m1", day(1), "r1", "X"))).toBe("UNKNOWN_COUPON");
    expect(await c.code(useCoupon("m1", day(1), "r1", "X", { orderId: "a/b" }))).toBe("VALIDATION");
  });
  it("reversal of a used coupon's redemption is COUPON_USED; otherwise the coupon is voided after the expiries", async () => {
    const { c, code } = await issued();
    const d = await issued();
    await c.ok(useCoupon("m1", day(2), "r1", code));
    expect(await c.code(reverse("m1", day(3), "r1"))).toBe("COUPON_USED");
    const events = await d.c.ok(reverse("m1", day(40), "r1"));
    expect(events.map((e) => e.type)).toEqual(["RedemptionReversed", "CouponVoided"]);
    expect(events[1]?.data).toEqual({ couponId: "r1" });
  });
});
