import { createMemoryStore } from "@vafa/adapters/memory";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { availablePoints, createLedger, type EventStore, foldMemberEvents } from "../index.js";
import { program } from "../testing/harness.js";

// Spec 5.9: appends use the expected revision and decide again on conflict;
// two concurrent redemptions never overdraw a member.

const prog = program({ redemption: { minPoints: 1 } });

/** The store with its calls interleaved by the fast-check scheduler. */
const scheduled = (store: EventStore, s: fc.Scheduler): EventStore => ({
  ...store,
  appendToStream: s.scheduleFunction(store.appendToStream.bind(store)),
  readStream: s.scheduleFunction(store.readStream.bind(store)),
  listStreams: store.listStreams.bind(store),
  readAll: store.readAll.bind(store),
  subscribe: store.subscribe.bind(store),
  close: store.close.bind(store),
});

describe("5.9 races", () => {
  it("concurrent redemptions and refunds from several ledgers never overdraw and never lose an event", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant("redeem" as const), points: fc.integer({ min: 1, max: 60 }) }),
            fc.record({ kind: fc.constant("refund" as const), amount: fc.integer({ min: 1, max: 30 }) }),
          ),
          { minLength: 2, maxLength: 8 },
        ),
        fc.integer({ min: 1, max: 3 }),
        async (s, ops, ledgerCount) => {
          const store = createMemoryStore();
          const setup = createLedger({ store, program: prog });
          await setup.execute({ type: "join", memberId: "a", at: "2011-01-01T00:00:00Z", kind: "person" });
          await setup.execute({
            type: "purchase",
            memberId: "a",
            at: "2011-01-01T00:00:00Z",
            purchaseId: "p1",
            amount: "100",
          });
          await setup.execute({
            type: "purchase",
            memberId: "a",
            at: "2011-01-01T00:00:00Z",
            purchaseId: "p2",
            amount: "50",
          });
          const ledgers = Array.from({ length: ledgerCount }, () =>
            createLedger({ store: scheduled(store, s), program: prog, maxAttempts: 50 }),
          );
          const at = "2011-01-02T00:00:00Z";
          const runs = ops.map((op, i) => {
            const ledger = ledgers[i % ledgers.length] as (typeof ledgers)[number];
            return op.kind === "redeem"
              ? ledger.execute({
                  type: "redeem",
                  memberId: "a",
                  at,
                  redemptionId: `r${i}`,
                  points: op.points,
                })
              : ledger.execute({
                  type: "refund",
                  memberId: "a",
                  at,
                  purchaseId: "p1",
                  refundId: `c${i}`,
                  amount: String(op.amount),
                });
          });
          const outcomes = await s.waitFor(Promise.all(runs));
          const events = await store.readStream("member-a");
          // Gapless revisions; every accepted command's events are in the stream.
          expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
          const ids = new Set(events.map((e) => e.eventId));
          for (const o of outcomes)
            if (o.status === "accepted") for (const e of o.events) expect(ids.has(e.eventId)).toBe(true);
          const redeemed = events
            .filter((e) => e.type === "PointsRedeemed")
            .reduce((n, e) => n + (e.data as { points: number }).points, 0);
          const acceptedRedeems = ops.reduce(
            (n, op, i) => (op.kind === "redeem" && outcomes[i]?.status === "accepted" ? n + op.points : n),
            0,
          );
          expect(redeemed).toBe(acceptedRedeems);
          const state = foldMemberEvents("member-a", "bronze", events);
          expect(state.lots.every((l) => l.remaining >= 0)).toBe(true);
          expect(redeemed).toBeLessThanOrEqual(150);
          expect(availablePoints(state, Date.parse(at))).toBeGreaterThanOrEqual(0);
          // Refunds never exceed the purchase.
          const refunded = events
            .filter((e) => e.type === "PurchaseRefunded")
            .reduce((n, e) => n + Number((e.data as { amount: string }).amount), 0);
          expect(refunded).toBeLessThanOrEqual(100);
          for (const o of outcomes)
            if (o.status === "rejected")
              expect(["INSUFFICIENT_POINTS", "REFUND_EXCEEDS_PURCHASE"]).toContain(o.rejection.code);
        },
      ),
      { numRuns: 150 },
    );
  });
  it("a conflict that never settles is CONCURRENCY after the bounded attempts", async () => {
    const store = createMemoryStore();
    const ledger = createLedger({ store, program: prog, maxAttempts: 3 });
    await ledger.execute({ type: "join", memberId: "a", at: "2011-01-01T00:00:00Z", kind: "person" });
    const { ConcurrencyError } = await import("../index.js");
    const flaky: EventStore = {
      ...store,
      readStream: store.readStream.bind(store),
      listStreams: store.listStreams.bind(store),
      appendToStream: async (id) => {
        throw new ConcurrencyError(id, 0, 1);
      },
    };
    const other = createLedger({ store: flaky, program: prog, maxAttempts: 3 });
    const outcome = await other.execute({
      type: "feedback",
      memberId: "a",
      at: "2011-01-02T00:00:00Z",
      feedbackId: "f",
      score: 5,
    });
    expect(outcome).toMatchObject({ status: "rejected", rejection: { code: "CONCURRENCY" } });
    expect(await store.readStream("member-a")).toHaveLength(1);
  });
});
