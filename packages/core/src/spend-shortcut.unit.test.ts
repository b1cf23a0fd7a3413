import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProposedEvent } from "./envelope.js";
import { foldMemberEvents } from "./evolve.js";
import { formatMoney } from "./money.js";
import {
  advanceSpendWindow,
  purchasesForMetric,
  spendMetricShortcut,
  spendWindowMetric,
  tierMetric,
} from "./rules.js";
import { initialMemberState } from "./state.js";
import { baseProgram } from "./testing/harness.js";

// 5.7 metric(t): the running spend sum, where it answers, equals tierMetric's walk over the purchases.
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const money = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.integer({ min: 0, max: 99_999_999 }))
  .map(([whole, frac]) =>
    frac === 0 ? whole.toString() : `${whole}.${String(frac).padStart(8, "0").replace(/0+$/, "")}`,
  );
const step = fc.oneof(
  fc.record({ kind: fc.constant("purchase" as const), id: fc.integer({ min: 0, max: 6 }), amount: money }),
  fc.record({ kind: fc.constant("refund" as const), id: fc.integer({ min: 0, max: 8 }), amount: money }),
);

const event = (type: string, revision: number, at: number, data: unknown): ProposedEvent =>
  ({
    streamId: "member-m1",
    revision,
    eventId: `e${revision}`,
    type,
    occurredAt: new Date(at).toISOString(),
    data,
    metadata: { commandId: `c${revision}`, hash: `h${revision}` },
  }) as unknown as ProposedEvent;

describe("5.7 spend metric from the running sum", () => {
  it("5.7 equals tierMetric wherever it answers, at any t", () => {
    const program = baseProgram();
    let answered = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(step, fc.integer({ min: 0, max: 200 })), { maxLength: 25 }),
        fc.array(fc.integer({ min: -50, max: 800 }), { minLength: 1, maxLength: 6 }),
        (steps, probes) => {
          // Times may go back (an expiry's time, a replayed history): the bounds must still hold.
          const events = steps.map(([s, days], i) =>
            s.kind === "purchase"
              ? event("PurchaseRecorded", i, T0 + days * DAY, { purchaseId: `p${s.id}`, amount: s.amount })
              : event("PurchaseRefunded", i, T0 + days * DAY, {
                  purchaseId: `p${s.id}`,
                  refundId: `r${i}`,
                  amount: s.amount,
                }),
          );
          const state = foldMemberEvents("member-m1", "bronze", events);
          for (const days of probes) {
            const t = T0 + days * DAY;
            const fast = spendMetricShortcut(program, state, t);
            if (fast !== undefined) answered++;
            if (fast !== undefined)
              expect(formatMoney(fast)).toBe(formatMoney(tierMetric(program, state.purchases.values(), t)));
          }
        },
      ),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(500); // the shortcut is exercised, not only the walk
  });

  it("5.7 answers for a history inside the window, evaluated after its last event", () => {
    const program = baseProgram();
    const state = foldMemberEvents("member-m1", "bronze", [
      event("PurchaseRecorded", 0, T0, { purchaseId: "p1", amount: "10.5" }),
      event("PurchaseRecorded", 1, T0 + DAY, { purchaseId: "p2", amount: "4" }),
      event("PurchaseRefunded", 2, T0 + 2 * DAY, { purchaseId: "p1", refundId: "r1", amount: "0.5" }),
    ]);
    expect(formatMoney(spendMetricShortcut(program, state, T0 + 3 * DAY) ?? "-1")).toBe("14");
    expect(spendMetricShortcut(program, state, T0 + DAY)).toBeUndefined(); // a refund after t
  });

  it("5.7 the window walk (newest first, stopping at the window's start) equals the walk over all purchases", () => {
    let ordered = 0;
    fc.assert(
      fc.property(
        fc.constantFrom("spend" as const, "points" as const),
        fc.boolean(),
        fc.array(fc.tuple(step, fc.integer({ min: 0, max: 60 })), { maxLength: 30 }),
        fc.array(fc.integer({ min: -50, max: 2000 }), { minLength: 1, maxLength: 6 }),
        (metric, forward, steps, probes) => {
          const base = baseProgram();
          const program = { ...base, tiers: { ...base.tiers, metric, windowDays: 90 } };
          // Mostly forward in time (as the decider records), sometimes not: the walk must fall back.
          let days = 0;
          const events = steps.map(([s, d], i) => {
            days = forward ? days + d : d * 30;
            const at = T0 + days * DAY;
            return s.kind === "purchase"
              ? event("PurchaseRecorded", i, at, { purchaseId: `p${s.id}`, amount: s.amount })
              : event("PurchaseRefunded", i, at, {
                  purchaseId: `p${s.id}`,
                  refundId: `r${i}`,
                  amount: s.amount,
                });
          });
          const state = foldMemberEvents("member-m1", "bronze", events);
          if (state.purchasesByTime) ordered++;
          for (const probe of probes) {
            const t = T0 + probe * DAY;
            expect(formatMoney(tierMetric(program, purchasesForMetric(program, state, t), t))).toBe(
              formatMoney(tierMetric(program, state.purchases.values(), t)),
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
    expect(ordered).toBeGreaterThan(500); // the window walk is exercised, not only the fallback
  });

  it("5.7 the running window sum, moved as the decider moves it between events, equals the walk", () => {
    const base = baseProgram();
    const program = { ...base, tiers: { ...base.tiers, metric: "spend" as const, windowDays: 90 } };
    let answered = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(step, fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 0, max: 120 }))),
          { maxLength: 40 },
        ),
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 6 }),
        (steps, probes) => {
          // Forward in time as the decider records; the sum moves at random times between events.
          let state = initialMemberState("member-m1", "bronze");
          let days = 0;
          steps.forEach(([s, d, advance], i) => {
            days += d;
            const at = T0 + days * DAY;
            const e =
              s.kind === "purchase"
                ? event("PurchaseRecorded", i, at, { purchaseId: `p${s.id}`, amount: s.amount })
                : event("PurchaseRefunded", i, at, {
                    purchaseId: `p${s.id}`,
                    refundId: `r${i}`,
                    amount: s.amount,
                  });
            state = foldMemberEvents("member-m1", "bronze", [e], state);
            if (advance !== null) advanceSpendWindow(program, state, at + advance * DAY);
          });
          for (const probe of probes) {
            const t = T0 + (days + probe) * DAY;
            const sum = spendWindowMetric(program, state, t);
            if (sum !== undefined) answered++;
            if (sum !== undefined)
              expect(formatMoney(sum)).toBe(formatMoney(tierMetric(program, state.purchases.values(), t)));
          }
        },
      ),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(500);
  });
});
