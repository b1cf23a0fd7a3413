import { createMemoryStore } from "@vafa/adapters/memory";
import { couponCode, createLedger, type StoredEvent } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CouponsProjection } from "./coupons.js";
import { clubProgram } from "./testing/club-program.js";

// club-v1 §2: the coupons projection, as of a time, with lookup by code.

const SECRET = "vafa-test-secret";
const program = clubProgram([{ id: "cup", cost: 10, coupon: { validDays: 10 } }]);
const at = (day: number) => `2011-01-${String(day).padStart(2, "0")}T10:00:00.000Z`;

const log = async (): Promise<StoredEvent[]> => {
  const store = createMemoryStore();
  const ledger = createLedger({ store, program, couponSecret: SECRET });
  const ok = async (c: object) => expect((await ledger.execute(c)).status).toBe("accepted");
  await ok({ type: "join", memberId: "m1", at: at(1), kind: "person" });
  await ok({ type: "purchase", memberId: "m1", at: at(1), purchaseId: "p1", amount: "100" });
  for (const id of ["c1", "c2", "c3"])
    await ok({ type: "redeem", memberId: "m1", at: at(2), redemptionId: id, rewardId: "cup" });
  await ok({
    type: "use-coupon",
    memberId: "m1",
    at: at(3),
    couponId: "c1",
    code: couponCode(SECRET, "m1", "c1"),
    orderId: "o1",
  });
  await ok({ type: "reverse-redemption", memberId: "m1", at: at(4), redemptionId: "c2" });
  const events: StoredEvent[] = [];
  for await (const e of store.readAll()) events.push(e);
  return events;
};

describe("club-v1 §2 coupons projection", () => {
  it("issued / used / void / expired as of T, and nothing before the issue", async () => {
    const p = new CouponsProjection();
    for (const e of await log()) p.apply(e);
    expect(p.asOf(at(1))).toEqual([]);
    const status = (t: string) => p.asOf(t).map((r) => [r.couponId, r.status]);
    expect(status(at(2))).toEqual([
      ["c1", "issued"],
      ["c2", "issued"],
      ["c3", "issued"],
    ]);
    expect(status(at(3))).toEqual([
      ["c1", "used"],
      ["c2", "issued"],
      ["c3", "issued"],
    ]);
    expect(status(at(4))).toEqual([
      ["c1", "used"],
      ["c2", "void"],
      ["c3", "issued"],
    ]);
    // validUntil is at + 10 days: expired exactly then (§9).
    expect(status(at(12))).toEqual([
      ["c1", "used"],
      ["c2", "void"],
      ["c3", "expired"],
    ]);
    const used = p.asOf(at(3))[0];
    expect(used).toMatchObject({
      memberId: "m1",
      rewardId: "cup",
      usedAt: at(3),
      orderId: "o1",
      validUntil: at(12),
    });
  });
  it("looks a coupon up by its exact code", async () => {
    const p = new CouponsProjection();
    for (const e of await log()) p.apply(e);
    const code = couponCode(SECRET, "m1", "c3");
    expect(p.byCodeAsOf(code, at(5)).map((r) => r.couponId)).toEqual(["c3"]);
    expect(p.byCodeAsOf(code.toLowerCase(), at(5))).toEqual([]);
    expect(p.byCodeAsOf(code, at(1))).toEqual([]);
  });
  it("incremental with redelivered events equals a rebuild (fast-check)", async () => {
    const events = await log();
    const rebuilt = new CouponsProjection();
    for (const e of events) rebuilt.apply(e);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(events.length - 1), { maxLength: 20 }), async (replays) => {
        const p = new CouponsProjection();
        for (const [i, e] of events.entries()) {
          p.apply(e);
          for (const r of replays) if (r <= i) p.apply(events[r] as StoredEvent);
        }
        for (const day of [1, 2, 3, 4, 12]) expect(p.asOf(at(day))).toEqual(rebuilt.asOf(at(day)));
      }),
      { numRuns: 30 },
    );
  });
});
