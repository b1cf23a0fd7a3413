import { describe, expect, it } from "vitest";
import { formatMoney, parseTime, validateCommand } from "./index.js";
import { club, join, purchase } from "./testing/harness.js";

const T0 = "2011-01-01T10:00:00Z";

describe("1 times", () => {
  it("accepts the input pattern with offsets and truncates below the millisecond", () => {
    expect(parseTime("2011-01-04T10:00:00Z")).toBe(Date.UTC(2011, 0, 4, 10));
    expect(parseTime("2011-01-04T13:30:00+03:30")).toBe(Date.UTC(2011, 0, 4, 10));
    expect(parseTime("2011-01-04T10:00:00.123987Z")).toBe(Date.UTC(2011, 0, 4, 10, 0, 0, 123));
    expect(parseTime("2011-01-04T10:00:00.5Z")).toBe(Date.UTC(2011, 0, 4, 10, 0, 0, 500));
  });
  it.each([
    "2011-02-30T00:00:00Z",
    "2011-02-29T00:00:00Z",
    "2011-01-04T24:00:00Z",
    "2011-01-04T10:60:00Z",
    "2011-01-04T10:00:60Z",
    "2011-01-04T10:00:00+24:00",
    "2011-01-04T10:00:00+03:60",
    "2011-01-04 10:00:00Z",
    "2011-01-04T10:00:00",
    "2011-1-4T10:00:00Z",
  ])("rejects %s", (text) => {
    expect(parseTime(text)).toBeUndefined();
  });
});

describe("1 money output", () => {
  it("writes plain decimals without trailing zeros or exponent", () => {
    expect(formatMoney("1250.00")).toBe("1250");
    expect(formatMoney("3.30")).toBe("3.3");
    expect(formatMoney("0.000")).toBe("0");
    expect(formatMoney("123456789012345678901234567890.12345678")).toBe(
      "123456789012345678901234567890.12345678",
    );
    expect(formatMoney("0.00000001")).toBe("0.00000001");
  });
});

describe("5 step 1 validation", () => {
  const cases: [string, unknown, string][] = [
    ["not an object", [1, 2], "command"],
    ["unknown type", { type: "teleport", memberId: "a", at: T0 }, "type"],
    [
      "unknown field before field errors",
      { type: "purchase", memberId: "a", at: "bad", purchaseId: "p", amount: "1", x: 1 },
      "x",
    ],
    ["negative amount", { type: "purchase", memberId: "a", at: T0, purchaseId: "p", amount: "-5" }, "amount"],
    ["zero amount", { type: "purchase", memberId: "a", at: T0, purchaseId: "p", amount: "0" }, "amount"],
    [
      "exponent amount",
      { type: "purchase", memberId: "a", at: T0, purchaseId: "p", amount: "1.2e9" },
      "amount",
    ],
    [
      "nine decimals",
      { type: "purchase", memberId: "a", at: T0, purchaseId: "p", amount: "1.123456789" },
      "amount",
    ],
    ["number amount", { type: "purchase", memberId: "a", at: T0, purchaseId: "p", amount: 5 }, "amount"],
    ["bad id", { type: "purchase", memberId: "-a", at: T0, purchaseId: "p", amount: "5" }, "memberId"],
    [
      "null optional",
      { type: "purchase", memberId: "a", at: T0, purchaseId: "p", amount: "5", channel: null },
      "channel",
    ],
    ["missing kind", { type: "join", memberId: "a", at: T0 }, "kind"],
    [
      "bad birthDate",
      { type: "join", memberId: "a", at: T0, kind: "person", birthDate: "1990-02-30" },
      "birthDate",
    ],
    [
      "attribute object",
      { type: "join", memberId: "a", at: T0, kind: "person", attributes: { a: {} } },
      "attributes.a",
    ],
    ["redeem 0", { type: "redeem", memberId: "a", at: T0, redemptionId: "r", points: 0 }, "points"],
    ["redeem 1.5", { type: "redeem", memberId: "a", at: T0, redemptionId: "r", points: 1.5 }, "points"],
    [
      "adjust 0",
      { type: "adjust", memberId: "a", at: T0, adjustmentId: "x", points: 0, reason: "r", actor: "a" },
      "points",
    ],
    [
      "adjust empty actor",
      { type: "adjust", memberId: "a", at: T0, adjustmentId: "x", points: 1, reason: "r", actor: "" },
      "actor",
    ],
    ["score 11", { type: "feedback", memberId: "a", at: T0, feedbackId: "f", score: 11 }, "score"],
    [
      "item quantity 0",
      {
        type: "purchase",
        memberId: "a",
        at: T0,
        purchaseId: "p",
        amount: "1",
        items: [{ sku: "s", quantity: 0, unitPrice: "1" }],
      },
      "items[0].quantity",
    ],
    [
      "bad currency",
      { type: "purchase", memberId: "a", at: T0, purchaseId: "p", amount: "1", currency: "gbp" },
      "currency",
    ],
    ["sweep with memberId", { type: "sweep", at: T0, memberId: "a" }, "memberId"],
  ];
  it.each(cases)("%s is VALIDATION naming the field", (_name, input, field) => {
    const r = validateCommand(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.rejection.code).toBe("VALIDATION");
      expect(r.rejection.message.startsWith(`${field}:`)).toBe(true);
    }
  });
});

describe("bad input leaves the store unchanged", () => {
  it("gives the right code for each and appends nothing", async () => {
    const c = club();
    await c.ok(join("a", T0), purchase("a", "2011-01-05T10:00:00Z", "p1", "10"));
    const before = await c.stream("a");
    expect(await c.code({ ...purchase("a", "2011-01-06T10:00:00Z", "p2", "10"), amount: 10 })).toBe(
      "VALIDATION",
    );
    expect(await c.code({ ...purchase("a", "2011-01-06T10:00:00Z", "p2", "10"), extra: true })).toBe(
      "VALIDATION",
    );
    expect(await c.code(purchase("a", "2011-01-06T10:00:00Z", "p2", "-10"))).toBe("VALIDATION");
    expect(await c.code(purchase("a", "2011-01-06T10:00:00Z", "p2", "10", { currency: "EUR" }))).toBe(
      "CURRENCY_MISMATCH",
    );
    expect(await c.code(purchase("zed", "2011-01-06T10:00:00Z", "p2", "10"))).toBe("UNKNOWN_MEMBER");
    expect(await c.code(purchase("a", "2011-01-04T10:00:00Z", "p2", "10"))).toBe("OUT_OF_ORDER");
    expect(await c.stream("a")).toEqual(before);
    expect(await c.store.listStreams("member-")).toEqual(["member-a"]);
  });
  it("an equal time is fine (not OUT_OF_ORDER)", async () => {
    const c = club();
    await c.ok(join("a", T0));
    expect(await c.code(purchase("a", T0, "p1", "1"))).toBe("ACCEPTED");
  });
});

describe("5 step 1: messages that point the right way (issue 9)", () => {
  const amountMessage = (amount: unknown, type: "purchase" | "refund" = "purchase") => {
    const v = validateCommand({
      type,
      memberId: "a",
      at: T0,
      purchaseId: "p",
      ...(type === "refund" ? { refundId: "r" } : {}),
      amount,
    });
    return v.ok ? "accepted" : `${v.rejection.code} ${v.rejection.message}`;
  };

  it.each(["-5", "-5.00", "-0.01", "-0"])("a negative amount %s says amounts are positive", (amount) => {
    expect(amountMessage(amount)).toMatch(
      /^VALIDATION amount: must be greater than 0: amounts are always positive/,
    );
    expect(amountMessage(amount, "refund")).toMatch(
      /^VALIDATION amount: must be greater than 0: amounts are always/,
    );
  });

  it("a negative JSON number says positive and a decimal string; a positive one says string", () => {
    expect(amountMessage(-5)).toBe(
      'VALIDATION amount: must be a positive decimal string like "12.50": amounts are always positive',
    );
    expect(amountMessage(42.5)).toBe(
      'VALIDATION amount: must be a decimal string like "42.5", not a JSON number',
    );
  });

  it("a zero amount and a malformed one keep their own messages", () => {
    expect(amountMessage("0.00")).toBe("VALIDATION amount: must be greater than 0");
    expect(amountMessage("1.2e9")).toBe(
      "VALIDATION amount: must be a decimal string with at most 8 fractional digits",
    );
    expect(amountMessage("-1.123456789")).toBe(
      "VALIDATION amount: must be a decimal string with at most 8 fractional digits",
    );
    expect(amountMessage(null)).toBe("VALIDATION amount: must not be null");
    expect(amountMessage(true)).toBe("VALIDATION amount: Expected string, received boolean");
  });
});
