import { createPgliteStore } from "@vafa/adapters/pglite";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLedger, type EventStore, type Program } from "../index.js";
import { baseProgram, TEST_COUPON_SECRET } from "../testing/harness.js";

// club-v1 §2 (MUST): claimed minus released never exceeds stock, with the
// store's calls interleaved by fc.scheduler on PGlite (in process): claims and
// redemptions in one appendToStreams, and claim-first (atomicMultiStream: false).

let pglite: EventStore;
beforeAll(async () => {
  pglite = await createPgliteStore({ thread: false });
});
afterAll(async () => {
  await pglite?.close();
});

const scheduled = (store: EventStore, s: fc.Scheduler, atomic: boolean): EventStore => ({
  ...store,
  atomicMultiStream: atomic,
  appendToStream: s.scheduleFunction(store.appendToStream.bind(store)),
  appendToStreams: s.scheduleFunction(store.appendToStreams.bind(store)),
  readStream: s.scheduleFunction(store.readStream.bind(store)),
  readStreams: store.readStreams.bind(store),
  listStreams: store.listStreams.bind(store),
  readAll: store.readAll.bind(store),
  subscribe: store.subscribe.bind(store),
  close: async () => undefined,
});

let run = 0;
const AT = "2011-01-02T00:00:00Z";

describe("club-v1 §2 stock under interleavings (PGlite, fc.scheduler)", () => {
  for (const atomic of [true, false])
    it(`never claims more than stock; every claim has its redemption (${atomic ? "one transaction" : "claim first"})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.integer({ min: 0, max: 3 }),
          fc.array(fc.record({ member: fc.integer({ min: 0, max: 3 }), reverse: fc.boolean() }), {
            minLength: 2,
            maxLength: 7,
          }),
          async (s, stock, ops) => {
            run++;
            const rewardId = `lamp-${atomic ? "a" : "c"}-${run}`;
            const prog: Program = {
              ...baseProgram(),
              rewards: [{ id: rewardId, cost: 10, stock, coupon: { validDays: 5 } }],
            } as Program;
            const memberId = (i: number) => `r${run}-m${i}`;
            const setup = createLedger({ store: pglite, program: prog, couponSecret: TEST_COUPON_SECRET });
            for (let i = 0; i < 4; i++) {
              await setup.execute({
                type: "join",
                memberId: memberId(i),
                at: "2011-01-01T00:00:00Z",
                kind: "person",
              });
              await setup.execute({
                type: "adjust",
                memberId: memberId(i),
                at: "2011-01-01T00:00:00Z",
                adjustmentId: "a",
                points: 1000,
                reason: "t",
                actor: "t",
              });
            }
            const ledgers = [0, 1, 2].map(() =>
              createLedger({
                store: scheduled(pglite, s, atomic),
                program: prog,
                couponSecret: TEST_COUPON_SECRET,
                maxAttempts: 50,
              }),
            );
            const runs = ops.map(async (op, i) => {
              const ledger = ledgers[i % ledgers.length] as (typeof ledgers)[number];
              const m = memberId(op.member);
              const redeemed = await ledger.execute({
                type: "redeem",
                memberId: m,
                at: AT,
                redemptionId: `x${i}`,
                rewardId,
              });
              if (op.reverse && redeemed.status === "accepted")
                await ledger.execute({
                  type: "reverse-redemption",
                  memberId: m,
                  at: AT,
                  redemptionId: `x${i}`,
                });
              return redeemed;
            });
            const outcomes = await s.waitFor(Promise.all(runs));
            for (const o of outcomes)
              if (o.status === "rejected") expect(o.rejection.code).toBe("OUT_OF_STOCK");
            // Claims minus releases in revision order never exceed stock.
            const stream = await pglite.readStream(`reward-${rewardId}`);
            let held = 0;
            for (const e of stream) {
              held += e.type === "RewardClaimed" ? 1 : -1;
              expect(held).toBeLessThanOrEqual(stock);
              expect(held).toBeGreaterThanOrEqual(0);
            }
            expect(stream.map((e) => e.revision)).toEqual(stream.map((_, i) => i));
            const claims = stream.filter((e) => e.type === "RewardClaimed");
            expect(claims).toHaveLength(outcomes.filter((o) => o.status === "accepted").length);
            for (const c of claims) {
              const d = c.data as { memberId: string; redemptionId: string };
              const member = await pglite.readStream(`member-${d.memberId}`);
              expect(
                member.some(
                  (e) =>
                    e.type === "PointsRedeemed" &&
                    (e.data as { redemptionId: string }).redemptionId === d.redemptionId,
                ),
              ).toBe(true);
            }
          },
        ),
        { numRuns: 25 },
      );
    }, 120_000);
});
