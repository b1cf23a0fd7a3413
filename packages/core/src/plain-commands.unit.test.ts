import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commandSchemas, validateCommand } from "./commands.js";
import { isPlainValidCommand } from "./plain-commands.js";

// ledger-v1 §5 step 1: the zod-free path accepts only commands the schemas accept.
const TYPES = ["purchase", "refund", "redeem", "feedback", "join", "adjust"] as const;
const KEYS = [
  "memberId",
  "at",
  "purchaseId",
  "refundId",
  "redemptionId",
  "feedbackId",
  "amount",
  "currency",
  "channel",
  "items",
  "points",
  "rewardId",
  "score",
  "comment",
  "kind",
  "birthDate",
  "referredBy",
  "extra",
];
const VALUES: unknown[] = [
  "m1",
  "",
  "-x",
  "a".repeat(129),
  "2024-01-01T00:00:00Z",
  "2024-02-30T00:00:00Z",
  "2024-01-01T10:00:00.123+03:30",
  "0",
  "0.00",
  "1.5",
  "01",
  "-1",
  "0.000000001",
  "12.34567891",
  "EUR",
  "eur",
  "person",
  "organization",
  "2000-02-29",
  "2001-02-29",
  0,
  1,
  10,
  11,
  1.5,
  -1,
  Number.NaN,
  2 ** 53,
  null,
  {},
  [],
  true,
  undefined,
];

describe("isPlainValidCommand (ledger-v1 §5 step 1)", () => {
  it("accepts only what the command schemas accept", () => {
    const at = "2024-01-01T00:00:00Z";
    // Valid commands with a few fields changed or left out.
    const valid: Record<(typeof TYPES)[number], Record<string, unknown>> = {
      purchase: { memberId: "m1", at, purchaseId: "p1", amount: "1.5", currency: "EUR", channel: "web" },
      refund: { memberId: "m1", at, purchaseId: "p1", refundId: "r1", amount: "1" },
      redeem: { memberId: "m1", at, redemptionId: "r1", points: 1, rewardId: "x" },
      feedback: { memberId: "m1", at, feedbackId: "f1", score: 10, comment: "ok" },
      join: { memberId: "m1", at, kind: "person", birthDate: "2000-02-29", referredBy: "m2" },
      adjust: { memberId: "m1", at, adjustmentId: "a1", points: 5, reason: "x", actor: "y" },
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 }),
        fc.subarray(KEYS, { maxLength: 2 }),
        (type, changed, dropped) => {
          const input: Record<string, unknown> = { type, ...valid[type], ...changed };
          for (const key of dropped) delete input[key];
          if (isPlainValidCommand(input)) expect(commandSchemas[type].safeParse(input).success).toBe(true);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it("takes the common shapes without the schemas, and leaves the rest to them", () => {
    const at = "2024-01-01T00:00:00Z";
    expect(
      isPlainValidCommand({ type: "purchase", memberId: "m1", at, purchaseId: "p1", amount: "1.5" }),
    ).toBe(true);
    expect(isPlainValidCommand({ type: "join", memberId: "m1", at, kind: "person", referredBy: "m2" })).toBe(
      true,
    );
    expect(isPlainValidCommand({ type: "redeem", memberId: "m1", at, redemptionId: "r1", points: 100 })).toBe(
      true,
    );
    // Items, a null or an unknown field: the schemas decide (and name the field).
    const items = [{ sku: "a", quantity: 1, unitPrice: "1" }];
    expect(
      isPlainValidCommand({ type: "purchase", memberId: "m1", at, purchaseId: "p1", amount: "1", items }),
    ).toBe(false);
    expect(isPlainValidCommand({ type: "purchase", memberId: "m1", at, purchaseId: "p1", amount: "0" })).toBe(
      false,
    );
    expect(isPlainValidCommand({ type: "purchase", memberId: "m1", at, purchaseId: "p1" })).toBe(false);
    expect(validateCommand({ type: "purchase", memberId: "m1", at, purchaseId: "p1" })).toMatchObject({
      ok: false,
      rejection: { code: "VALIDATION", message: "amount: is required" },
    });
  });
});
