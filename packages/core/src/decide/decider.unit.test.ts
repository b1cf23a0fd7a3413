import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../events.js";
import type { Program } from "../program.js";
import { deciderSpecification, givenState } from "../testing/decider-specification.js";
import { program } from "../testing/program.js";
import { decide } from "./index.js";

// The plain decider, given events and no store (spec 5).

const spec = deciderSpecification({ program: program() });
const T0 = "2024-01-01T00:00:00.000Z";
const T1 = "2024-01-02T00:00:00.000Z";
const T2 = "2024-01-03T00:00:00.000Z";

const joined: LedgerEvent = {
  type: "MemberJoined",
  occurredAt: T0,
  data: { memberId: "m1", kind: "person" },
};
const lot = (lotId: string, points: number, expiresAt: string | null, extra = {}): LedgerEvent => ({
  type: "PointsEarned",
  occurredAt: T0,
  data: { lotId, points, reason: "signup", ...extra, availableAt: T0, expiresAt, debtRepaid: 0 },
});

describe("decide, given events, no store", () => {
  it("5.2 a purchase records itself, then its lot named by the event id", () => {
    spec
      .given(joined)
      .when({ type: "purchase", memberId: "m1", at: T1, purchaseId: "p1", amount: "120" })
      .thenAppends([
        { type: "PurchaseRecorded", occurredAt: T1, data: { purchaseId: "p1", amount: "120" } },
        {
          type: "PointsEarned",
          occurredAt: T1,
          data: {
            lotId: spec.lotId("purchase:p1", 1),
            points: 120,
            reason: "purchase",
            purchaseId: "p1",
            availableAt: T1,
            expiresAt: null,
            debtRepaid: 0,
          },
        },
      ]);
  });

  it("5.4 a redemption takes from the lot that expires first", () => {
    spec
      .given(joined, lot("a", 10, "2025-06-01T00:00:00.000Z"), lot("b", 10, "2025-03-01T00:00:00.000Z"))
      .when({ type: "redeem", memberId: "m1", at: T1, redemptionId: "r1", points: 15 })
      .thenAppends([
        {
          type: "PointsRedeemed",
          occurredAt: T1,
          data: {
            redemptionId: "r1",
            points: 15,
            allocations: [
              { lotId: "b", points: 10 },
              { lotId: "a", points: 5 },
            ],
          },
        },
      ]);
  });

  it("5.3 a full refund claws back from the purchase's own lot, then FIFO, then debt", () => {
    spec
      .given(
        joined,
        { type: "PurchaseRecorded", occurredAt: T0, data: { purchaseId: "p1", amount: "100" } },
        lot("p", 100, null, { reason: "purchase", purchaseId: "p1" }),
        lot("s", 20, null),
        {
          type: "PointsRedeemed",
          occurredAt: T0,
          data: { redemptionId: "r1", points: 90, allocations: [{ lotId: "p", points: 90 }] },
        },
      )
      .when({ type: "refund", memberId: "m1", at: T1, purchaseId: "p1", refundId: "f1", amount: "100" })
      .thenAppends([
        {
          type: "PurchaseRefunded",
          occurredAt: T1,
          data: { purchaseId: "p1", refundId: "f1", amount: "100" },
        },
        {
          type: "PointsClawedBack",
          occurredAt: T1,
          data: {
            purchaseId: "p1",
            refundId: "f1",
            points: 100,
            allocations: [
              { lotId: "p", points: 10 },
              { lotId: "s", points: 20 },
            ],
            debtIncurred: 70,
          },
        },
      ]);
  });

  it("5 step 3: the same purchase again is a replay", () => {
    spec
      .given(joined, { type: "PurchaseRecorded", occurredAt: T1, data: { purchaseId: "p1", amount: "120" } })
      .when({ type: "purchase", memberId: "m1", at: T1, purchaseId: "p1", amount: "120.00" })
      .thenReplay();
  });

  it("5.6 a sweep with nothing due has nothing to do", () => {
    spec.given(joined).when({ type: "sweep", at: T2 }).thenNothingToDo();
  });

  it("5.5 a redemption above the available points is rejected", () => {
    spec
      .given(joined, lot("a", 10, null))
      .when({ type: "redeem", memberId: "m1", at: T1, redemptionId: "r1", points: 11 })
      .thenRejects("INSUFFICIENT_POINTS");
  });
});

// decide() is public: "nothing to do" is its answer, not an empty object.
describe("decide says nothing-to-do for a sweep or reaction with nothing to append", () => {
  const rewarding = deciderSpecification({ program: program({ earn: { referralBonus: 5 } }) });
  const referral = {
    type: "referral",
    refereeId: "r1",
    purchaseAt: Date.parse(T1),
    correlationId: "purchase:p9",
  } as const;
  const win = { type: "draw-win", drawId: "d1", rank: 1, at: Date.parse(T1), prizePoints: 50 } as const;

  it("5.6 a sweep before the member's last event, or on a member who never joined", () => {
    spec
      .given(joined, lot("a", 10, null))
      .when({ type: "sweep", at: "2023-12-31T00:00:00.000Z" })
      .thenNothingToDo();
    spec.given().when({ type: "sweep", at: T2 }).thenNothingToDo();
  });

  it("5.2 the referral reaction pays a joined referrer once, and only when referralBonus is above 0", () => {
    rewarding
      .given(joined)
      .when(referral)
      .thenAppends([
        {
          type: "PointsEarned",
          occurredAt: T1,
          data: {
            lotId: rewarding.lotId("referral:r1", 0),
            points: 5,
            reason: "referral",
            refereeId: "r1",
            availableAt: T1,
            expiresAt: null,
            debtRepaid: 0,
          },
        },
      ]);
    rewarding
      .given(joined, lot("a", 5, null, { reason: "referral", refereeId: "r1" }))
      .when(referral)
      .thenNothingToDo();
    rewarding.given().when(referral).thenNothingToDo();
    spec.given(joined).when(referral).thenNothingToDo();
  });

  it("club-v1 §3 a draw win is decided once per draw, for a joined member", () => {
    spec
      .given(joined, { type: "DrawWon", occurredAt: T1, data: { drawId: "d1", rank: 1 } })
      .when(win)
      .thenNothingToDo();
    spec.given().when(win).thenNothingToDo();
  });
});

describe("5.6 a sweep at exactly the member's last event is not skipped", () => {
  // A reaction evaluates no tier (5.2): the move down its instant called for is the sweep's (5.7).
  const LATER = "2025-02-01T00:00:00.000Z"; // past the 365-day window of the purchase
  it("moves the tier down when a referral bonus was the last event", () => {
    const { decision } = spec
      .given(
        joined,
        { type: "PurchaseRecorded", occurredAt: T0, data: { purchaseId: "p1", amount: "600" } },
        {
          type: "TierChanged",
          occurredAt: T0,
          data: { from: "bronze", to: "silver", direction: "up", metric: "600" },
        },
        { ...lot("a", 5, null, { reason: "referral", refereeId: "r1" }), occurredAt: LATER },
      )
      .when({ type: "sweep", at: LATER });
    expect(decision.kind === "events" ? decision.events : decision).toEqual([
      {
        type: "TierChanged",
        occurredAt: LATER,
        data: { from: "silver", to: "bronze", direction: "down", metric: "0" },
      },
    ]);
  });
});

describe("club-v1 §2 a reward that issues coupons needs the coupon secret", () => {
  it("decide throws COUPON_SECRET_MISSING without one, whatever the ledger checked at start", () => {
    const prog = { ...program(), rewards: [{ id: "mug", cost: 5, coupon: { validDays: 30 } }] } as Program;
    const state = givenState({ program: prog }, "m1", [joined, lot("a", 10, null)]);
    const redeem = { type: "redeem", memberId: "m1", at: T1, redemptionId: "r1", rewardId: "mug" } as const;
    expect(() => decide(redeem, state, { program: prog })).toThrow(
      expect.objectContaining({ code: "COUPON_SECRET_MISSING" }),
    );
  });
});
