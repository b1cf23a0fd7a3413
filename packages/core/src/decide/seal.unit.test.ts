import { describe, expect, it } from "vitest";
import { eventIdFor } from "../envelope.js";
import type { LedgerEvent } from "../events.js";
import { applyToCopy } from "../evolve.js";
import { givenState } from "../testing/decider-specification.js";
import { program } from "../testing/program.js";
import { Draft } from "./draft.js";
import { assertSealed, sealDrafted, sealEvents } from "./seal.js";

// Pair assertions when a decision is sealed: each broken invariant is a coded
// INVARIANT error (a bug in the decider, never a rejection of the command).

const ctx = { program: program() };
const T0 = "2024-01-01T00:00:00.000Z";
const T1 = "2024-01-02T00:00:00.000Z";
const stamp = { program: ctx.program, commandId: "test:1", correlationId: "test:1" };

const before = givenState(ctx, "m1", [
  { type: "MemberJoined", occurredAt: T0, data: { memberId: "m1", kind: "person" } },
  {
    type: "PointsEarned",
    occurredAt: T0,
    data: { lotId: "a", points: 10, reason: "signup", availableAt: T0, expiresAt: null, debtRepaid: 0 },
  },
]);

/** Seals `events` on `before` and applies them, as decideAndSeal does, then asserts. */
const sealAndAssert = (events: LedgerEvent[], after?: (sealed: ReturnType<typeof sealEvents>) => unknown) => {
  const sealed = sealEvents(before, events, stamp);
  assertSealed(before, sealed, (after?.(sealed) as typeof before) ?? applyToCopy(before, sealed));
};
const redeemed = (points: number, taken: number): LedgerEvent => ({
  type: "PointsRedeemed",
  occurredAt: T1,
  data: { redemptionId: "r1", points, allocations: [{ lotId: "a", points: taken }] },
});
const invariant = (text: RegExp) =>
  expect.objectContaining({ code: "INVARIANT", message: expect.stringMatching(text) });
const HINT =
  "a bug in Vafa, not a problem with the command: report it with the command and the member's events";
/** The whole INVARIANT error, message and hint exactly. */
const invariantExactly = (what: string) =>
  expect.objectContaining({ code: "INVARIANT", message: `member-m1: ${what} (${HINT})`, hint: HINT });

describe("sealing asserts the decision's invariants", () => {
  it("passes a well-formed decision", () => {
    expect(() => sealAndAssert([redeemed(10, 10)])).not.toThrow();
  });

  it("allocations must sum to the points (5.5)", () => {
    expect(() => sealAndAssert([redeemed(8, 5)])).toThrow(invariant(/allocations sum to 5, not 8/));
  });

  it("a clawback's allocations and debt must sum to its points (5.3)", () => {
    const clawback: LedgerEvent = {
      type: "PointsClawedBack",
      occurredAt: T1,
      data: {
        purchaseId: "p1",
        refundId: "f1",
        points: 9,
        allocations: [{ lotId: "a", points: 4 }],
        debtIncurred: 2,
      },
    };
    expect(() => sealAndAssert([clawback])).toThrow(invariant(/clawback allocations 4 \+ debt 2 are not 9/));
  });

  it("no lot may go below zero (5.4)", () => {
    expect(() => sealAndAssert([redeemed(15, 15)])).toThrow(invariant(/lot a holds -5 points/));
  });

  it("the debt may not go below zero (5.4)", () => {
    const lotId = eventIdFor("member-m1", "test:1", 0);
    const earned: LedgerEvent = {
      type: "PointsEarned",
      occurredAt: T1,
      data: { lotId, points: 10, reason: "signup", availableAt: T1, expiresAt: null, debtRepaid: 5 },
    };
    expect(() => sealAndAssert([earned])).toThrow(invariant(/debt is -5/));
  });

  it("a lot id must be its event's id (spec 4)", () => {
    const earned: LedgerEvent = {
      type: "PointsEarned",
      occurredAt: T1,
      data: { lotId: "x", points: 1, reason: "signup", availableAt: T1, expiresAt: null, debtRepaid: 0 },
    };
    expect(() => sealAndAssert([earned])).toThrow(invariant(/lot x is not its event's id/));
  });

  it("revisions must follow on from the state the decision started from (spec 2)", () => {
    expect(() => sealAndAssert([redeemed(10, 10)], () => before)).toThrow(
      invariant(/state at revision 1 after 1 events on 1/),
    );
    expect(() =>
      sealAndAssert([redeemed(10, 10)], (sealed) => {
        (sealed[0] as { revision: number }).revision = 7;
        return applyToCopy(before, sealed);
      }),
    ).toThrow(invariant(/revision/));
    expect(() =>
      sealAndAssert([redeemed(10, 10)], (sealed) => {
        const after = applyToCopy(before, sealed);
        (sealed[0] as { revision: number }).revision = 7;
        return after;
      }),
    ).toThrow(invariant(/event 0 has revision 7, expected 2/));
  });

  it("an event after the first with a wrong revision names its index and the revision expected (spec 2)", () => {
    // The expected revision grows with the index: only event 1 or later tells
    // `before + 1 + i` from `before + 1 - i`.
    const sealed = sealEvents(before, [redeemed(4, 4), redeemed(6, 6)], stamp);
    const after = applyToCopy(before, sealed);
    (sealed[1] as { revision: number }).revision = 9;
    expect(() => assertSealed(before, sealed, after)).toThrow(
      invariantExactly("event 1 has revision 9, expected 3"),
    );
  });

  it("a lot may not repay more debt than its points (5.4)", () => {
    const lotId = eventIdFor("member-m1", "test:1", 0);
    const earned: LedgerEvent = {
      type: "PointsEarned",
      occurredAt: T1,
      data: { lotId, points: 1, reason: "signup", availableAt: T1, expiresAt: null, debtRepaid: 2 },
    };
    expect(() => sealAndAssert([earned])).toThrow(
      invariant(new RegExp(`lot ${lotId} repays 2 debt from 1 points`)),
    );
  });

  it("an expiry may not take a lot below zero (5.4, 5.6)", () => {
    // A drafted decision built by hand: the decider would never expire more
    // than a lot holds, so only the pair assertion can catch it.
    const draft = new Draft(before, ctx.program, "test:1");
    draft.emit("PointsExpired", Date.parse(T1), { lotId: "a", points: 15 });
    const drafted = { kind: "events" as const, draft, correlationId: "test:1", actor: undefined };
    expect(() => sealDrafted(before, drafted, ctx)).toThrow(invariantExactly("lot a holds -5 points"));
  });

  it("an expiry of what a lot holds seals (5.6)", () => {
    const draft = new Draft(before, ctx.program, "test:1");
    draft.emit("PointsExpired", Date.parse(T1), { lotId: "a", points: 10 });
    const sealed = sealDrafted(
      before,
      { kind: "events", draft, correlationId: "test:1", actor: undefined },
      ctx,
    );
    expect(sealed).toMatchObject({
      ok: true,
      kind: "events",
      events: [{ type: "PointsExpired", revision: 2 }],
    });
  });

  it("an event may take only from lots the member has, and the error says it is a bug", () => {
    const sealed = sealEvents(before, [redeemed(10, 10)], stamp);
    const after = applyToCopy(before, sealed);
    const d = (sealed[0] as { data: { allocations: { lotId: string }[] } }).data;
    (d.allocations[0] as { lotId: string }).lotId = "zz";
    expect(() => assertSealed(before, sealed, after)).toThrow(
      expect.objectContaining({
        code: "INVARIANT",
        message: expect.stringMatching(/an event takes from lot zz, which the member does not have/),
        hint: "a bug in Vafa, not a problem with the command: report it with the command and the member's events",
      }),
    );
  });
});

describe("club-v1 §6 sealing personal values", () => {
  it("under a program that encrypts, a personal value without a data key is KEY_STORE_MISSING", () => {
    const encrypting = { ...program(), privacy: { encryptPersonalData: true } };
    const named: LedgerEvent = {
      type: "NoteAdded",
      occurredAt: T1,
      data: { noteId: "n1", text: "likes tea", actor: "ops" },
    };
    expect(() => sealEvents(before, [named], { ...stamp, program: encrypting })).toThrow(
      expect.objectContaining({
        code: "KEY_STORE_MISSING",
        message:
          "member-m1: program test encrypts personal data and no data key was given (give createLedger a keyStore (club-v1 §6))",
        hint: "give createLedger a keyStore (club-v1 §6)",
      }),
    );
    expect(() => sealEvents(before, [named], stamp)).not.toThrow();
  });
});
