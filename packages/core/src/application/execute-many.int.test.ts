import { createMemoryStore } from "@vafa/adapters/memory";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CommandOutcome,
  ConcurrencyError,
  createLedger,
  type EventStore,
  type StoredEvent,
} from "../index.js";
import { program, testStore } from "../testing/harness.js";

// Issue 11: `executeMany` gives the outcomes and events of `execute` one by
// one (spec 5), event for event, whatever the batch sizes; a conflict is
// decided again on fresh state.

const prog = program({
  earn: { pendingDays: 2, signupBonus: 10, birthdayBonus: 7, referralBonus: 5, pointsPerUnit: "1.5" },
  expiry: { policy: "rolling", days: 20 },
  tiers: {
    windowDays: 30,
    retentionDays: 10,
    levels: [
      { id: "bronze", threshold: "0", multiplier: "1" },
      { id: "silver", threshold: "100", multiplier: "1.25" },
    ],
  },
  redemption: { minPoints: 2 },
});

const MEMBERS = ["a", "b", "c", "d"];
const DAY = 86_400_000;
const START = Date.UTC(2011, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

type Raw = Record<string, unknown>;

/** A command of any kind on a small id space, so replays, conflicts and referrals happen. */
const commandArb = (at: number): fc.Arbitrary<Raw> => {
  const m = fc.constantFrom(...MEMBERS);
  const id = fc.integer({ min: 1, max: 4 });
  const t = iso(at);
  return fc.oneof(
    fc.tuple(m, fc.option(m, { nil: undefined }), fc.boolean()).map(([memberId, referredBy, birthday]) => ({
      type: "join",
      memberId,
      at: t,
      kind: "person",
      ...(referredBy !== undefined ? { referredBy } : {}),
      ...(birthday ? { birthDate: "1990-01-10" } : {}),
    })),
    fc.tuple(m, id, fc.integer({ min: 1, max: 300 })).map(([memberId, p, amount]) => ({
      type: "purchase",
      memberId,
      at: t,
      purchaseId: `p${memberId}${p}`,
      amount: String(amount),
    })),
    fc.tuple(m, id, fc.integer({ min: 1, max: 100 })).map(([memberId, p, amount]) => ({
      type: "refund",
      memberId,
      at: t,
      purchaseId: `p${memberId}${p}`,
      refundId: `r${memberId}${p}${amount % 3}`,
      amount: String(amount),
    })),
    fc.tuple(m, id, fc.integer({ min: 1, max: 60 })).map(([memberId, r, points]) => ({
      type: "redeem",
      memberId,
      at: t,
      redemptionId: `x${memberId}${r}`,
      points,
    })),
    fc.tuple(m, id).map(([memberId, r]) => ({
      type: "reverse-redemption",
      memberId,
      at: t,
      redemptionId: `x${memberId}${r}`,
    })),
    fc.tuple(m, id, fc.integer({ min: -30, max: 30 })).map(([memberId, a, points]) => ({
      type: "adjust",
      memberId,
      at: t,
      adjustmentId: `j${memberId}${a}`,
      points: points === 0 ? 1 : points,
      reason: "goodwill",
      actor: "ops:ann",
    })),
    fc.constant({ type: "sweep", at: t }),
    fc.constant({ type: "purchase", memberId: "a", at: t, amount: "-1", purchaseId: "bad" }),
  );
};

/** Commands at increasing times, sometimes stepping back (OUT_OF_ORDER), sometimes repeated (replays). */
const historyArb = fc
  .array(fc.tuple(fc.integer({ min: -1, max: 6 }), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 60 })
  .chain((steps) => {
    let at = START;
    return fc
      .tuple(
        ...steps.map(([days]) => {
          at += days * DAY;
          return commandArb(at);
        }),
      )
      .map((commands) => {
        const out: Raw[] = [];
        for (const [i, c] of commands.entries()) {
          out.push(c);
          const [, back, repeat] = steps[i] as [number, number, boolean];
          if (repeat && out.length > 1) out.push(out[back % out.length] as Raw);
        }
        return out;
      });
  });

const comparable = (e: StoredEvent) => {
  const { recordedAt: _r, position: _p, ...rest } = e;
  return JSON.stringify(rest);
};

const everything = async (store: EventStore): Promise<string[]> => {
  const out: string[] = [];
  for (const streamId of await store.listStreams(""))
    out.push(...(await store.readStream(streamId)).map(comparable));
  return out;
};

const oneByOne = async (store: EventStore, commands: readonly Raw[]): Promise<CommandOutcome[]> => {
  const ledger = createLedger({ store, program: prog });
  await ledger.publishProgram(iso(START));
  const outcomes: CommandOutcome[] = [];
  for (const c of commands) outcomes.push(await ledger.execute(c));
  return outcomes;
};

const batched = async (store: EventStore, commands: readonly Raw[], sizes: readonly number[]) => {
  const ledger = createLedger({ store, program: prog });
  await ledger.publishProgram(iso(START));
  const outcomes: CommandOutcome[] = [];
  for (let i = 0, k = 0; i < commands.length; k++) {
    const size = sizes[k % sizes.length] as number;
    outcomes.push(...(await ledger.executeMany(commands.slice(i, i + size))));
    i += size;
  }
  return outcomes;
};

describe("issue 11 executeMany", () => {
  it("5 property: for random commands and batch sizes, batched = one by one, outcome for outcome and event for event", async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb,
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 5 }),
        async (commands, sizes) => {
          const a = testStore();
          const b = testStore();
          try {
            const expected = await oneByOne(a, commands);
            const actual = await batched(b, commands, sizes);
            expect(actual).toEqual(expected);
            expect(await everything(b)).toEqual(await everything(a));
          } finally {
            await a.close();
            await b.close();
          }
        },
      ),
      { numRuns: process.env.VAFA_LEDGER_STORE === "postgres" ? 15 : 150 },
    );
  }, 300_000);

  it("5.9 a conflict decides again only on fresh state: another ledger's write to one member is not lost", async () => {
    const store = createMemoryStore();
    const first = createLedger({ store, program: prog });
    const second = createLedger({ store, program: prog });
    const t = iso(START);
    await first.executeMany([
      { type: "join", memberId: "a", at: t, kind: "person" },
      { type: "join", memberId: "b", at: t, kind: "person" },
    ]);
    // The second ledger moves member a on; the first still has a cached at revision 1.
    await second.execute({ type: "purchase", memberId: "a", at: t, purchaseId: "p1", amount: "10" });
    let conflicts = 0;
    const counting: EventStore = {
      ...store,
      appendToStreams: async (appends) => {
        try {
          return await store.appendToStreams(appends);
        } catch (error) {
          if (error instanceof ConcurrencyError) conflicts++;
          throw error;
        }
      },
    };
    const third = createLedger({ store: counting, program: prog });
    await third.executeMany([{ type: "purchase", memberId: "b", at: t, purchaseId: "q0", amount: "1" }]);
    await second.execute({ type: "purchase", memberId: "a", at: t, purchaseId: "p2", amount: "10" });
    const outcomes = await third.executeMany([
      { type: "purchase", memberId: "b", at: t, purchaseId: "q1", amount: "5" },
      { type: "purchase", memberId: "a", at: t, purchaseId: "s1", amount: "2" },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["accepted", "accepted"]);
    expect(conflicts).toBe(0);
    // Now a stale cache: third has a at its last read; second appends again.
    await second.execute({ type: "purchase", memberId: "a", at: t, purchaseId: "p3", amount: "10" });
    const after = await third.executeMany([
      { type: "purchase", memberId: "b", at: t, purchaseId: "q2", amount: "5" },
      { type: "purchase", memberId: "a", at: t, purchaseId: "s2", amount: "2" },
    ]);
    expect(conflicts).toBe(1);
    expect(after.map((o) => o.status)).toEqual(["accepted", "accepted"]);
    const a = await store.readStream("member-a");
    expect(a.map((e) => e.metadata.commandId)).toContain("purchase:p3");
    expect(a.at(-1)?.metadata.commandId).toBe("purchase:s2");
    expect([...new Set((await store.readStream("member-b")).map((e) => e.metadata.commandId))]).toEqual([
      "join:b",
      "purchase:q0",
      "purchase:q1",
      "purchase:q2",
    ]);
  });
});
