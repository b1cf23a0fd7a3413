import fc from "fast-check";
import { produce } from "immer";
import { describe, expect, it } from "vitest";
import type { Command } from "./commands.js";
import { decideAndSeal } from "./decide/index.js";
import type { ProposedEvent } from "./envelope.js";
import { evolve, foldMemberEvents } from "./evolve.js";
import { initialMemberState, type MemberState } from "./state.js";
import { program } from "./testing/program.js";
import { markAdoptable } from "./working-copy.js";

// `evolve` (immer, for embedding apps that want immutable states) and the
// decider's copy-on-write working copies are two paths to one state (spec 4, 5).

const ctx = {
  program: program({
    earn: { pendingDays: 2, signupBonus: 10, birthdayBonus: 7, pointsPerUnit: "1.5", rounding: "half-up" },
    expiry: { policy: "rolling", days: 30 },
    tiers: {
      windowDays: 60,
      retentionDays: 20,
      levels: [
        { id: "bronze", threshold: "0", multiplier: "1" },
        { id: "silver", threshold: "300", multiplier: "1.25" },
      ],
    },
  }),
};
const DAY = 86_400_000;
const START = Date.UTC(2020, 0, 1);

const stepArb = fc.record({
  days: fc.integer({ min: 0, max: 25 }),
  op: fc.oneof(
    fc.record({ kind: fc.constant("purchase" as const), amount: fc.integer({ min: 1, max: 40_000 }) }),
    fc.record({
      kind: fc.constant("refund" as const),
      pick: fc.nat(),
      share: fc.integer({ min: 1, max: 100 }),
    }),
    fc.record({ kind: fc.constant("redeem" as const), points: fc.integer({ min: 1, max: 300 }) }),
    fc.record({ kind: fc.constant("reverse" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("adjust" as const), points: fc.integer({ min: -200, max: 200 }) }),
    fc.record({ kind: fc.constant("sweep" as const) }),
  ),
});
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** Commands for one member from the steps, valid in shape (the decider may still reject them). */
const commandsOf = (steps: Step[]): Command[] => {
  let now = START;
  const at = () => new Date(now).toISOString();
  const commands: Command[] = [
    { type: "join", memberId: "m1", at: at(), kind: "person", birthDate: "1990-02-10" } as Command,
  ];
  const purchases: { id: string; cents: number }[] = [];
  const redemptions: string[] = [];
  for (const [i, { days, op }] of steps.entries()) {
    now += days * DAY + 1000;
    const base = { memberId: "m1", at: at() };
    if (op.kind === "purchase") {
      purchases.push({ id: `p${i}`, cents: op.amount });
      commands.push({
        type: "purchase",
        ...base,
        purchaseId: `p${i}`,
        amount: (op.amount / 100).toFixed(2),
      } as Command);
    } else if (op.kind === "refund" && purchases.length > 0) {
      const p = purchases[op.pick % purchases.length] as { id: string; cents: number };
      const cents = Math.max(1, Math.floor((p.cents * op.share) / 100));
      commands.push({
        type: "refund",
        ...base,
        purchaseId: p.id,
        refundId: `f${i}`,
        amount: (cents / 100).toFixed(2),
      } as Command);
    } else if (op.kind === "redeem") {
      redemptions.push(`r${i}`);
      commands.push({ type: "redeem", ...base, redemptionId: `r${i}`, points: op.points } as Command);
    } else if (op.kind === "reverse" && redemptions.length > 0) {
      const redemptionId = redemptions[op.pick % redemptions.length] as string;
      commands.push({ type: "reverse-redemption", ...base, redemptionId } as Command);
    } else if (op.kind === "adjust" && op.points !== 0) {
      commands.push({
        type: "adjust",
        ...base,
        adjustmentId: `a${i}`,
        points: op.points,
        reason: "r",
        actor: "t",
      } as Command);
    } else if (op.kind === "sweep") commands.push({ type: "sweep", at: at() });
  }
  return commands;
};

describe("evolve (immer) equals the copy-on-write path", () => {
  it("4, 5: on random histories, after every accepted command", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 40 }), (steps) => {
        let fast: MemberState = initialMemberState("member-m1", "bronze");
        let immutable = fast;
        const all: ProposedEvent[] = [];
        for (const command of commandsOf(steps)) {
          const before = fast;
          const snapshot = structuredClone(before);
          const d = decideAndSeal(command, fast, ctx);
          expect(before).toEqual(snapshot); // the decider leaves its input as it was
          if (!d.ok || d.kind !== "events") continue;
          all.push(...d.events);
          fast = d.state;
          for (const e of d.events) immutable = evolve(immutable, e);
          expect(immutable).toEqual(fast);
        }
        expect(foldMemberEvents("member-m1", "bronze", all)).toEqual(fast);
      }),
      { numRuns: 150 },
    );
  });

  it("issue 11: a batch's adopted states (written in place, undone on rejection) give the same states; the cached one stays", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 40 }), fc.nat(6), (steps, cachedAfter) => {
        const commands = commandsOf(steps);
        // The first few commands give the "cached" state, which the batch never owns.
        let plain: MemberState = initialMemberState("member-m1", "bronze");
        for (const command of commands.slice(0, cachedAfter)) {
          const d = decideAndSeal(command, plain, ctx);
          if (d.ok && d.kind === "events") plain = d.state;
        }
        const cached = plain;
        const cachedSnapshot = structuredClone(cached);
        let adopted = cached;
        for (const command of commands.slice(cachedAfter)) {
          const expected = decideAndSeal(command, plain, ctx);
          const before = structuredClone(adopted);
          const d = decideAndSeal(command, adopted, ctx);
          expect(d.ok).toBe(expected.ok);
          if (!d.ok || d.kind !== "events") {
            expect(adopted).toEqual(before); // a rejected decision leaves no trace
            continue;
          }
          if (!expected.ok || expected.kind !== "events") throw new Error("paths differ");
          expect(d.events).toEqual(expected.events);
          expect(d.state).toEqual(expected.state);
          plain = expected.state;
          adopted = d.state;
          markAdoptable(adopted);
        }
        expect(cached).toEqual(cachedSnapshot);
      }),
      { numRuns: 150 },
    );
  });

  it("leaves immer's global settings to the host app (auto-freeze stays on)", () => {
    evolve(initialMemberState("member-m1", "bronze"), {
      streamId: "member-m1",
      revision: 0,
      eventId: "e",
      type: "MemberJoined",
      occurredAt: "2024-01-01T00:00:00.000Z",
      data: { memberId: "m1", kind: "person" },
      metadata: {
        schemaVersion: 1,
        programId: "p",
        programVersion: 1,
        commandId: "join:m1",
        correlationId: "join:m1",
        prevHash: "",
        hash: "",
      },
    });
    const host = produce({ a: { b: 1 } }, (d) => {
      d.a.b = 2;
    });
    expect(Object.isFrozen(host)).toBe(true);
  });
});
