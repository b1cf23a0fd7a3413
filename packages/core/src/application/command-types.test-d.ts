import { describe, expectTypeOf, it } from "vitest";
import type { Command, CommandOutcome, Ledger, PurchaseCommand } from "../index.js";

// Compile-time checks (vitest typecheck, tsc): `execute` takes the `Command`
// union inferred from the zod schemas of spec 5, so a wrong field type is a
// compile error, not only a VALIDATION rejection at run time.

declare const ledger: Ledger;

describe("5 typed commands", () => {
  it("execute takes the Command union inferred from the schemas", () => {
    expectTypeOf(ledger.execute).parameter(0).toEqualTypeOf<Command>();
    expectTypeOf(ledger.execute).returns.toEqualTypeOf<Promise<CommandOutcome>>();
    expectTypeOf<PurchaseCommand["amount"]>().toEqualTypeOf<string>();
    expectTypeOf<Command["type"]>().toEqualTypeOf<
      | "join"
      | "purchase"
      | "refund"
      | "redeem"
      | "reverse-redemption"
      | "adjust"
      | "feedback"
      | "sweep"
      | "use-coupon"
      | "enter-draw"
      | "draw"
      | "update-profile"
      | "add-note"
      | "message-sent"
      | "forget"
    >();
  });

  it("a well-typed purchase compiles; an amount as a number does not", () => {
    void ledger.execute({
      type: "purchase",
      memberId: "m1",
      at: "2011-01-04T10:00:00Z",
      purchaseId: "p1",
      amount: "42.50",
    });
    void ledger.execute({
      type: "purchase",
      memberId: "m1",
      at: "2011-01-04T10:00:00Z",
      purchaseId: "p1",
      // @ts-expect-error amounts are decimal strings (spec 5.2), never JS numbers
      amount: 42.5,
    });
    // @ts-expect-error a redeem needs its redemptionId
    void ledger.execute({ type: "redeem", memberId: "m1", at: "2011-01-04T10:00:00Z", points: 500 });
    // @ts-expect-error an unknown command type
    void ledger.execute({ type: "transfer", memberId: "m1", at: "2011-01-04T10:00:00Z" });
    // club-v1 §4-6: the new commands are typed too.
    void ledger.execute({
      type: "update-profile",
      memberId: "m1",
      at: "2011-01-04T10:00:00Z",
      updateId: "u1",
      contact: { email: null },
      attributes: { vip: null },
    });
    // @ts-expect-error forget needs its actor (club-v1 §6)
    void ledger.execute({ type: "forget", memberId: "m1", at: "2011-01-04T10:00:00Z", requestId: "r1" });
    void ledger.execute({
      type: "join",
      memberId: "m1",
      at: "2011-01-04T10:00:00Z",
      kind: "person",
      // @ts-expect-error a consent is a boolean
      consent: { sms: "yes" },
    });
    // @ts-expect-error kind is "person" or "organization"
    void ledger.execute({ type: "join", memberId: "m1", at: "2011-01-04T10:00:00Z", kind: "robot" });
  });
});
