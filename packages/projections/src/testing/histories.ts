import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, type EventStore, type Program, type StoredEvent, sha256Hex } from "@vafa/core";
import fc from "fast-check";
import { type VectorSet, vectorJson } from "./vectors.js";

// Realistic random histories: random commands decided by the core ledger on
// the memory store, so every event is one the ledger would really write.

const MEMBERS = ["m1", "m2", "m3", "m4", "m5", "m6"] as const;
const HOUR_MS = 3_600_000;

/** Time origin per vector program (so campaigns, Nowruz and calendar expiries are crossed). */
const ORIGIN: Record<VectorSet, number> = {
  gregorian: Date.UTC(2011, 0, 1),
  jalali: Date.UTC(2011, 11, 1),
};

/** Amount scale per program: pounds vs billions of rials. */
const amountOf = (set: VectorSet, cents: number): string =>
  set === "gregorian" ? (cents / 100).toFixed(2) : String(cents * 10_000);

type Step =
  | { kind: "join"; member: number; birthDay: number; referrer: number }
  | { kind: "purchase"; member: number; cents: number }
  | { kind: "refund"; member: number; purchase: number; cents: number }
  | { kind: "redeem"; member: number; points: number }
  | { kind: "reverse"; member: number; redemption: number }
  | { kind: "adjust"; member: number; points: number }
  | { kind: "feedback"; member: number; score: number }
  | { kind: "sweep" }
  | { kind: "enter"; member: number; tickets: number }
  | { kind: "draw" };

// Mostly the three members every scenario joins first.
const member = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: MEMBERS.length - 1 }) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("join" as const),
      member,
      birthDay: fc.integer({ min: 0, max: 365 * 30 }),
      referrer: fc.integer({ min: -3, max: MEMBERS.length - 1 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("purchase" as const),
      member,
      cents: fc.integer({ min: 1, max: 60_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("refund" as const),
      member,
      purchase: fc.nat(20),
      cents: fc.integer({ min: 1, max: 40_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("redeem" as const),
      member,
      points: fc.integer({ min: 1, max: 600 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("reverse" as const), member, redemption: fc.nat(10) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("adjust" as const),
      member,
      points: fc.integer({ min: -300, max: 300 }).filter((p) => p !== 0),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("feedback" as const),
      member,
      score: fc.integer({ min: 0, max: 10 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("sweep" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("enter" as const),
      member,
      tickets: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("draw" as const) }) },
);

/** The seed of the histories' draw (club spec §3); its sha256 is the draw's seedHash. */
const HISTORY_DRAW_SEED = "history-seed";

/** The vector program plus one draw over the scenario's first 120 days (a test copy: the vectors stay as they are). */
const historyProgram = (set: VectorSet, seedHash: string): Program => {
  const program = vectorJson<Program>(set, "program.json");
  const from = ORIGIN[set];
  return {
    ...program,
    draws: [
      {
        id: "hist",
        entryFrom: new Date(from).toISOString(),
        entryTo: new Date(from + 120 * 24 * HOUR_MS).toISOString(),
        ticketCost: set === "gregorian" ? 20 : 2_000,
        spendPerTicket: set === "gregorian" ? "100" : "1000000",
        maxTickets: 6,
        winners: 2,
        prizePoints: set === "gregorian" ? [250, 0] : [25_000, 0],
        seedHash,
      },
    ],
  };
};

/** A scenario: a program, and steps with the hours elapsed before each. */
export interface Scenario {
  set: VectorSet;
  steps: { gapHours: number; step: Step }[];
}

export const scenarioArb = (maxSteps = 60): fc.Arbitrary<Scenario> =>
  fc.record({
    set: fc.constantFrom<VectorSet>("gregorian", "jalali"),
    steps: fc.array(
      fc.record({
        gapHours: fc.oneof(fc.integer({ min: 0, max: 48 }), fc.integer({ min: 0, max: 24 * 40 })),
        step,
      }),
      { minLength: Math.min(10, maxSteps), maxLength: maxSteps },
    ),
  });

const commandOf = (set: VectorSet, s: Step, at: string, counters: Map<string, number>): unknown => {
  const next = (key: string): number => {
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    return n;
  };
  if (s.kind === "sweep") return { type: "sweep", at };
  if (s.kind === "draw") return { type: "draw", at, drawId: "hist", seed: HISTORY_DRAW_SEED };
  const memberId = MEMBERS[s.member] as string;
  switch (s.kind) {
    case "join": {
      const birth = new Date(Date.UTC(1975, 0, 1) + s.birthDay * 86_400_000).toISOString().slice(0, 10);
      // Refer only members listed earlier, which the scenario joins first.
      const referrer = s.referrer >= 0 && s.referrer < s.member ? MEMBERS[s.referrer] : undefined;
      return {
        type: "join",
        memberId,
        at,
        kind: "person",
        birthDate: birth,
        ...(referrer ? { referredBy: referrer } : {}),
      };
    }
    case "purchase":
      return {
        type: "purchase",
        memberId,
        at,
        purchaseId: `${memberId}-p${next(`${memberId}p`)}`,
        amount: amountOf(set, s.cents),
      };
    case "refund":
      return {
        type: "refund",
        memberId,
        at,
        purchaseId: `${memberId}-p${s.purchase % Math.max(1, counters.get(`${memberId}p`) ?? 1)}`,
        refundId: `${memberId}-c${next(`${memberId}c`)}`,
        amount: amountOf(set, s.cents),
      };
    case "redeem": {
      const points = set === "gregorian" ? 100 + s.points : 10_000 + s.points * 100;
      return { type: "redeem", memberId, at, redemptionId: `${memberId}-r${next(`${memberId}r`)}`, points };
    }
    case "reverse":
      return {
        type: "reverse-redemption",
        memberId,
        at,
        redemptionId: `${memberId}-r${s.redemption % Math.max(1, counters.get(`${memberId}r`) ?? 1)}`,
      };
    case "adjust":
      return {
        type: "adjust",
        memberId,
        at,
        adjustmentId: `${memberId}-a${next(`${memberId}a`)}`,
        points: set === "gregorian" ? s.points : s.points * 100,
        reason: "goodwill",
        actor: "ops@test",
      };
    case "feedback":
      return {
        type: "feedback",
        memberId,
        at,
        feedbackId: `${memberId}-f${next(`${memberId}f`)}`,
        score: s.score,
      };
    case "enter":
      return {
        type: "enter-draw",
        memberId,
        at,
        drawId: "hist",
        entryId: `${memberId}-e${next(`${memberId}e`)}`,
        tickets: s.tickets,
      };
  }
};

export interface History {
  program: Program;
  store: EventStore;
  events: StoredEvent[];
  /** Time of the first and the last command. */
  start: number;
  end: number;
}

/** Runs a scenario through the core ledger on a fresh memory store. */
export const runScenario = async (scenario: Scenario): Promise<History> => {
  const program = historyProgram(scenario.set, sha256Hex(HISTORY_DRAW_SEED));
  const store = createMemoryStore({ now: () => "2000-01-01T00:00:00.000Z" });
  const ledger = createLedger({ store, program });
  let t = ORIGIN[scenario.set];
  await ledger.publishProgram(new Date(t).toISOString());
  const counters = new Map<string, number>();
  const start = t;
  // Three members join first (m2 referred by m1), so most commands have someone to act on.
  for (const [i, referrer] of [
    [0, -1],
    [1, 0],
    [2, -1],
  ] as const) {
    t += HOUR_MS;
    await ledger.execute(
      commandOf(
        scenario.set,
        { kind: "join", member: i, birthDay: 400 * i + 59, referrer },
        new Date(t).toISOString(),
        counters,
      ),
    );
  }
  for (const { gapHours, step: s } of scenario.steps) {
    t += gapHours * HOUR_MS;
    const cmd = commandOf(scenario.set, s, new Date(t).toISOString(), counters);
    const out = await ledger.execute(cmd);
    if (process.env.DEBUG_HIST && out.status === "rejected")
      console.log(JSON.stringify(cmd), out.rejection.code, out.rejection.message);
  }
  // A final sweep records due expiries and birthdays, as an operator would.
  t += 24 * HOUR_MS;
  await ledger.execute({ type: "sweep", at: new Date(t).toISOString() });
  const events: StoredEvent[] = [];
  for await (const e of store.readAll()) events.push(e);
  return { program, store, events, start, end: t };
};
