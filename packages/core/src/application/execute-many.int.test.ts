import { createMemoryStore } from "@vafa/adapters/memory";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CommandOutcome,
  ConcurrencyError,
  createLedger,
  type EventStore,
  type Ledger,
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

/** Every call started at once, each chained after the one before (`after`). */
const chainCalls = (ledger: Ledger, commands: readonly Raw[], sizes: readonly number[]) => {
  const calls: Promise<CommandOutcome[]>[] = [];
  for (let i = 0, k = 0; i < commands.length; k++) {
    const size = sizes[k % sizes.length] as number;
    const after = calls.at(-1);
    calls.push(ledger.executeMany(commands.slice(i, i + size), after ? { after } : {}));
    i += size;
  }
  return calls;
};

const pipelined = async (store: EventStore, commands: readonly Raw[], sizes: readonly number[]) => {
  const ledger = createLedger({ store, program: prog });
  await ledger.publishProgram(iso(START));
  return (await Promise.all(chainCalls(ledger, commands, sizes))).flat();
};

describe("issue 11 executeMany", () => {
  it.each([
    ["batched", batched],
    ["pipelined (each call decided while the one before is stored)", pipelined],
  ] as const)(
    "5 property: for random commands and batch sizes, %s = one by one, outcome for outcome and event for event",
    async (_, run) => {
      await fc.assert(
        fc.asyncProperty(
          historyArb,
          fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 5 }),
          async (commands, sizes) => {
            const a = testStore();
            const b = testStore();
            try {
              const expected = await oneByOne(a, commands);
              const actual = await run(b, commands, sizes);
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
    },
    300_000,
  );

  it("5.9 property: another ledger writing while a pipeline runs loses nothing, and the pipeline lands in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb,
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.scheduler(),
        async (commands, sizes, picks, s) => {
          const store = createMemoryStore();
          const other = createLedger({ store, program: prog });
          await other.publishProgram(iso(START));
          const scheduled: EventStore = {
            ...store,
            appendToStreams: s.scheduleFunction(store.appendToStreams),
          };
          const calls = chainCalls(createLedger({ store: scheduled, program: prog }), commands, sizes);
          // The other ledger runs some of the same commands: where it comes first, the
          // pipeline's copy is a replay, and its drafts meet a stream that moved on. Not its
          // joins: a member created while a sweep runs is swept next time, one by one too.
          const joinless = commands.filter((c) => c.type !== "join");
          const theirs = joinless.length === 0 ? [] : picks.map((n) => joinless[n % joinless.length] as Raw);
          const writes = theirs.map((c, n) => s.schedule(Promise.resolve(n)).then(() => other.execute(c)));
          await s.waitFor(Promise.allSettled([...calls, ...writes]));
          const outcomes = (await Promise.all(calls)).flat();
          // Six other writes never exhaust ten attempts: a conflict is decided again on fresh state.
          expect(
            outcomes.filter((o) => o.status === "rejected" && o.rejection.code === "CONCURRENCY"),
          ).toEqual([]);
          // Serialisable: the accepted commands, run one by one in the order they were
          // stored, give the same events, id for id and hash for hash. A call is one atomic
          // append (its commands in their own order); the other ledger's fit in between.
          const positions = new Map<string, bigint>();
          for await (const e of store.readAll()) positions.set(e.eventId, e.position);
          const firstPosition = (list: readonly CommandOutcome[]) => {
            let first: bigint | undefined;
            for (const o of list)
              if (o.status === "accepted")
                for (const e of o.events) {
                  const at = positions.get(e.eventId) as bigint;
                  if (first === undefined || at < first) first = at;
                }
            return first;
          };
          const applied = (o: CommandOutcome) => o.status === "accepted" && !o.replay && o.events.length > 0;
          const units: { at: bigint; commands: Raw[] }[] = [];
          let next = 0;
          for (const call of await Promise.all(calls)) {
            const at = firstPosition(call);
            const mine = call.flatMap((o, i) => (applied(o) ? [commands[next + i] as Raw] : []));
            next += call.length;
            if (at !== undefined) units.push({ at, commands: mine });
          }
          for (const [n, o] of (await Promise.all(writes)).entries())
            if (applied(o)) units.push({ at: firstPosition([o]) as bigint, commands: [theirs[n] as Raw] });
          const inOrder = units.sort((x, y) => (x.at < y.at ? -1 : 1)).flatMap((u) => u.commands);
          const reference = createMemoryStore();
          await oneByOne(reference, inOrder);
          expect(await everything(store)).toEqual(await everything(reference));
        },
      ),
      { numRuns: 100 },
    );
  }, 300_000);

  it("issue 11 a chained call appends nothing when the call before it failed (PRECEDING_BATCH_FAILED)", async () => {
    const store = createMemoryStore();
    let failNext = false;
    const flaky: EventStore = {
      ...store,
      appendToStreams: async (appends) => {
        if (failNext) {
          failNext = false;
          throw new Error("disk full");
        }
        return store.appendToStreams(appends);
      },
    };
    const ledger = createLedger({ store: flaky, program: prog });
    const t = iso(START);
    await ledger.executeMany([{ type: "join", memberId: "a", at: t, kind: "person" }]);
    failNext = true;
    const first = ledger.executeMany([
      { type: "purchase", memberId: "a", at: t, purchaseId: "p1", amount: "10" },
    ]);
    const second = ledger.executeMany(
      [
        { type: "purchase", memberId: "a", at: t, purchaseId: "p2", amount: "10" },
        { type: "join", memberId: "b", at: t, kind: "person" },
      ],
      { after: first },
    );
    await expect(first).rejects.toThrow("disk full");
    await expect(second).rejects.toMatchObject({ code: "PRECEDING_BATCH_FAILED" });
    expect((await store.readStream("member-a")).map((e) => e.metadata.commandId)).toEqual([
      "join:a",
      "join:a",
    ]);
    expect(await store.readStream("member-b")).toEqual([]);
    // Run again in order: both land, as one by one.
    const again = ledger.executeMany([
      { type: "purchase", memberId: "a", at: t, purchaseId: "p1", amount: "10" },
    ]);
    const then = await ledger.executeMany(
      [
        { type: "purchase", memberId: "a", at: t, purchaseId: "p2", amount: "10" },
        { type: "join", memberId: "b", at: t, kind: "person" },
      ],
      { after: again },
    );
    expect(then.map((o) => o.status)).toEqual(["accepted", "accepted"]);
    expect(new Set((await store.readStream("member-a")).map((e) => e.metadata.commandId))).toEqual(
      new Set(["join:a", "purchase:p1", "purchase:p2"]),
    );
  });

  it("issue 11 a call chained after a call that was decided again (a conflict) is decided again on what was stored", async () => {
    const t = iso(START);
    const setup = [
      { type: "join", memberId: "a", at: t, kind: "person" },
      { type: "purchase", memberId: "a", at: t, purchaseId: "q", amount: "99" },
      { type: "purchase", memberId: "a", at: t, purchaseId: "r", amount: "0.5" },
    ];
    // p1 brings the spend to 100: silver, two events. After another writer's refund of r
    // (one event) it does not: one event. The stream ends at the same revision either way,
    // so only `redecided` tells the chained call that its base was not what was stored.
    const refundR = { type: "refund", memberId: "a", at: t, refundId: "f", purchaseId: "r", amount: "0.5" };
    const p1 = { type: "purchase", memberId: "a", at: t, purchaseId: "p1", amount: "0.5" };
    const p2 = { type: "purchase", memberId: "a", at: t, purchaseId: "p2", amount: "10" };
    const store = createMemoryStore();
    const other = createLedger({ store, program: prog });
    await other.publishProgram(t);
    await other.executeMany(setup);
    let injected = false;
    const racing: EventStore = {
      ...store,
      appendToStreams: async (appends) => {
        if (!injected) {
          // The other writer gets in between the first batch's decision and its append.
          injected = true;
          await other.execute(refundR);
        }
        return store.appendToStreams(appends);
      },
    };
    const ledger = createLedger({ store: racing, program: prog });
    await ledger.loadMember("a");
    const first = ledger.executeMany([p1]);
    const second = ledger.executeMany([p2], { after: first });
    expect((await first).map((o) => o.status)).toEqual(["accepted"]);
    expect((await second).map((o) => o.status)).toEqual(["accepted"]);

    const oneByOneStream = async (commands: readonly Raw[]) => {
      const reference = createMemoryStore();
      await oneByOne(reference, commands);
      return (await reference.readStream("member-a")).map(comparable);
    };
    const stale = await oneByOneStream([...setup, p1]);
    const stored = await oneByOneStream([...setup, refundR, p1]);
    expect(stored.length).toBe(stale.length); // the revision alone cannot tell them apart
    expect((await store.readStream("member-a")).map(comparable)).toEqual(
      await oneByOneStream([...setup, refundR, p1, p2]),
    );
  });

  it("5.9 a chained call that meets another writer after the call before it was stored decides again on fresh state", async () => {
    const t = iso(START);
    const store = createMemoryStore();
    const other = createLedger({ store, program: prog });
    await other.publishProgram(t);
    await other.executeMany([{ type: "join", memberId: "a", at: t, kind: "person" }]);
    let appends = 0;
    const racing: EventStore = {
      ...store,
      appendToStreams: async (list) => {
        // The other writer gets in just before the chained call's first append.
        if (++appends === 2)
          await other.execute({ type: "purchase", memberId: "a", at: t, purchaseId: "x", amount: "1" });
        return store.appendToStreams(list);
      },
    };
    const ledger = createLedger({ store: racing, program: prog });
    const first = ledger.executeMany([
      { type: "purchase", memberId: "a", at: t, purchaseId: "p1", amount: "1" },
    ]);
    const second = ledger.executeMany(
      [{ type: "purchase", memberId: "a", at: t, purchaseId: "p2", amount: "1" }],
      {
        after: first,
      },
    );
    expect([...(await first), ...(await second)].map((o) => o.status)).toEqual(["accepted", "accepted"]);
    expect(appends).toBe(3); // one conflict, then on fresh state
    expect([...new Set((await store.readStream("member-a")).map((e) => e.metadata.commandId))]).toEqual([
      "join:a",
      "purchase:p1",
      "purchase:x",
      "purchase:p2",
    ]);
  });

  it("5.6 a sweep decided two calls down a chain covers the members the first call created", async () => {
    const t = iso(START);
    const store = createMemoryStore();
    await createLedger({ store, program: prog }).executeMany([
      { type: "join", memberId: "n", at: t, kind: "person" },
    ]);
    // The first call's append waits until the sweep has listed the members (without m).
    let listed = () => {};
    const sweepListed = new Promise<void>((resolve) => {
      listed = resolve;
    });
    let held = true;
    const gated: EventStore = {
      ...store,
      listStreams: async (prefix) => {
        const ids = await store.listStreams(prefix);
        listed();
        return ids;
      },
      appendToStreams: async (appends) => {
        if (held) {
          held = false;
          await sweepListed;
        }
        return store.appendToStreams(appends);
      },
    };
    const commands: Raw[][] = [
      [{ type: "join", memberId: "m", at: t, kind: "person" }],
      [{ type: "purchase", memberId: "n", at: t, purchaseId: "p", amount: "2" }],
      [{ type: "sweep", at: iso(START + 30 * DAY) }],
    ];
    const ledger = createLedger({ store: gated, program: prog });
    const calls: Promise<CommandOutcome[]>[] = [];
    for (const batch of commands) {
      const after = calls.at(-1);
      calls.push(ledger.executeMany(batch, after ? { after } : {}));
    }
    await Promise.all(calls);
    const reference = createMemoryStore();
    const oneByOneLedger = createLedger({ store: reference, program: prog });
    await oneByOneLedger.publishProgram(t);
    for (const c of [{ type: "join", memberId: "n", at: t, kind: "person" }, ...commands.flat()])
      await oneByOneLedger.execute(c);
    expect((await store.readStream("member-m")).map(comparable)).toEqual(
      (await reference.readStream("member-m")).map(comparable),
    );
    expect((await store.readStream("member-m")).map((e) => e.type)).toContain("PointsExpired");
  });

  it("issue 11 a chained call never writes into the states of the call before it: the cache holds only what was stored", async () => {
    const t = iso(START);
    const store = createMemoryStore();
    let appends = 0;
    let openFirst = () => {};
    const firstGate = new Promise<void>((resolve) => {
      openFirst = resolve;
    });
    let openSecond = () => {};
    const secondGate = new Promise<void>((resolve) => {
      openSecond = resolve;
    });
    let atSecond = () => {};
    const secondReached = new Promise<void>((resolve) => {
      atSecond = resolve;
    });
    const gated: EventStore = {
      ...store,
      appendToStreams: async (list) => {
        appends++;
        if (appends === 2) await firstGate;
        if (appends === 3) {
          atSecond();
          await secondGate;
        }
        return store.appendToStreams(list);
      },
    };
    const ledger = createLedger({ store: gated, program: prog });
    await ledger.publishProgram(t);
    await ledger.executeMany([{ type: "join", memberId: "a", at: t, kind: "person" }]);
    const first = ledger.executeMany([
      { type: "purchase", memberId: "a", at: t, purchaseId: "p1", amount: "10" },
    ]);
    const second = ledger.executeMany(
      [{ type: "purchase", memberId: "a", at: t, purchaseId: "p2", amount: "100" }],
      {
        after: first,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 20)); // the second call decides on the first's draft
    openFirst();
    await secondReached; // the first is stored and cached; the second waits to append
    const stored = await createLedger({ store, program: prog }).loadMember("a");
    const cached = await ledger.loadMember("a");
    expect(cached.revision).toBe(stored.revision);
    expect(cached.lots).toEqual(stored.lots);
    openSecond();
    expect([...(await first), ...(await second)].map((o) => o.status)).toEqual(["accepted", "accepted"]);
  });

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
