import { createMemoryCheckpointStore } from "@vafa/adapters/memory";
import { foldMemberEvents, type StoredEvent } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditEvents } from "./audit/audit.js";
import { createEngagementProjection } from "./engagement/engagement.js";
import { LedgerProjection } from "./ledger.js";
import { rebuildFromStore } from "./rebuild.js";
import { createProjectionRunner } from "./runner.js";
import {
  allQueries,
  asOfQueries,
  feed,
  iso,
  storeOf,
  VECTOR_SPAN,
  vectorHistoryArb,
} from "./testing/compare.js";
import { type History, runScenario, scenarioArb } from "./testing/histories.js";
import type { VectorSet } from "./testing/vectors.js";

const DAY = 86_400_000;

/** A query time, a period and a split point inside a history. */
const cutsArb = (minMs: number, maxMs: number) =>
  fc.record({
    t: fc.integer({ min: minMs, max: maxMs }),
    a: fc.integer({ min: minMs, max: maxMs }),
    b: fc.integer({ min: minMs, max: maxMs }),
    split: fc.double({ min: 0, max: 1, noNaN: true }),
  });

/**
 * Spec 6 "Rebuilding any projection from scratch MUST equal the incrementally
 * kept one": incremental (queried midway, then fed the rest), full rebuild,
 * rebuild without history up to T, and a restart from a checkpoint plus the
 * tail through the runner all give the same answers.
 */
const checkConsistency = async (
  events: StoredEvent[],
  cuts: { t: number; a: number; b: number; split: number },
) => {
  const t = iso(cuts.t);
  const from = iso(Math.min(cuts.a, cuts.b));
  const to = iso(Math.max(cuts.a, cuts.b) + 1);
  const k = Math.floor(cuts.split * events.length);

  const full = feed(events);
  const expected = allQueries(full, t, from, to);

  const incremental = feed(events.slice(0, k));
  // Midway: warm the lazy live folds, and query (a prefix may lack the program: that error is fine).
  for (const m of incremental.members()) m.live();
  try {
    allQueries(incremental, t, from, to);
  } catch (error) {
    expect((error as { code?: string }).code).toBe("PROGRAM_NOT_PUBLISHED");
  }
  feed(events.slice(k), incremental);
  expect(allQueries(incremental, t, from, to)).toEqual(expected);

  const { store, stored } = await storeOf(events);
  const noHistory = new LedgerProjection({ keepHistory: false });
  await rebuildFromStore(store, noHistory, { until: t });
  expect(asOfQueries(noHistory, t)).toEqual(asOfQueries(full, t));

  // Restart: a checkpoint saved at event k, a fresh projection, the runner restores then applies the tail.
  const checkpoints = createMemoryCheckpointStore();
  const checkpoint = stored[k - 1]?.position;
  if (checkpoint !== undefined) await checkpoints.save("ledger", checkpoint);
  const restarted = new LedgerProjection();
  const applied = await createProjectionRunner({
    store,
    checkpoints,
    name: "ledger",
    projection: restarted,
  }).catchUp();
  expect(applied).toBe(events.length - k);
  expect(allQueries(restarted, t, from, to)).toEqual(expected);
  expect(await checkpoints.load("ledger")).toBe(stored.at(-1)?.position);

  // Engagement answers the same from scratch and after a restart.
  const engagement = createEngagementProjection();
  for (const e of stored) engagement.apply(e);
  const engagementAfter = createEngagementProjection();
  const engCheckpoints = createMemoryCheckpointStore();
  if (checkpoint !== undefined) await engCheckpoints.save("engagement", checkpoint);
  await createProjectionRunner({
    store,
    checkpoints: engCheckpoints,
    name: "engagement",
    projection: engagementAfter,
  }).catchUp();
  const since = iso(cuts.t - 60 * DAY);
  expect(engagementAfter.expiringWithin(t, 45)).toEqual(engagement.expiringWithin(t, 45));
  expect(engagementAfter.birthdaysOn(t)).toEqual(engagement.birthdaysOn(t));
  expect(engagementAfter.tierChangesSince(since)).toEqual(engagement.tierChangesSince(since));
  expect(engagementAfter.riskTransitions(t)).toEqual(engagement.riskTransitions(t));
};

/** Spec 6 rollforward: the identity, and agreement with balances just before each cut. */
const checkRollforward = (events: StoredEvent[], a: number, b: number, c: number) => {
  const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
  const p = feed(events);
  const first = p.rollforward(iso(x), iso(y + 1));
  const second = p.rollforward(iso(y + 1), iso(z + 2));
  const whole = p.rollforward(iso(x), iso(z + 2));
  for (const r of [first, second, whole])
    expect(r.opening + r.earned - r.redeemed + r.reversed - r.expired - r.clawedBack - r.debited).toBe(
      r.closing,
    );
  expect(second.opening).toBe(first.closing);
  for (const key of ["earned", "redeemed", "reversed", "expired", "clawedBack", "debited"] as const)
    expect(whole[key]).toBe(first[key] + second[key]);
  // "Immediately before from" is "as of from - 1 ms" at millisecond resolution.
  const before = (ms: number) => p.balancesAsOf(iso(ms - 1));
  const sum = (rows: ReturnType<typeof before>, f: (r: (typeof rows)[number]) => number) =>
    rows.reduce((acc, r) => acc + f(r), 0);
  const open = before(x);
  const close = before(y + 1);
  expect(first.opening).toBe(sum(open, (r) => r.available + r.pending - r.debt));
  expect(first.closing).toBe(sum(close, (r) => r.available + r.pending - r.debt));
  for (const key of ["earned", "redeemed", "reversed", "expired", "clawedBack", "debited"] as const)
    expect(first[key]).toBe(sum(close, (r) => r[key]) - sum(open, (r) => r[key]));
};

/** Cross-check with the core's own evolve (the decider's state): lots, debt and tier after every event. */
const checkAgainstCore = (h: History) => {
  const p = feed(h.events);
  const firstTier = h.program.tiers.levels[0]?.id as string;
  const byStream = new Map<string, StoredEvent[]>();
  for (const e of h.events)
    if (e.streamId.startsWith("member-")) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
  for (const [streamId, list] of byStream) {
    const core = foldMemberEvents(streamId, firstTier, list);
    const mine = p.member(streamId.slice("member-".length))?.live();
    expect(mine).toBeDefined();
    if (mine === undefined) continue;
    expect(mine.debt).toBe(core.debt);
    expect(Object.fromEntries([...mine.lots.values()].map((l) => [l.lotId, l.remaining]))).toEqual(
      Object.fromEntries(core.lots.map((l) => [l.lotId, l.remaining])),
    );
    expect(mine.tier ?? firstTier).toBe(core.tier);
    expect(mine.tierSince ?? mine.joinedAt).toBe(iso(core.tierSince));
  }
};

describe.each<VectorSet>(["gregorian", "jalali"])("histories cut from the %s vectors", (set) => {
  const span = VECTOR_SPAN[set];
  it("6 rebuild == incremental == checkpoint + tail, at random T and periods", async () => {
    await fc.assert(fc.asyncProperty(vectorHistoryArb(set), cutsArb(span.min, span.max), checkConsistency), {
      numRuns: 40,
    });
  });
  it("6 rollforward identity holds and matches balances, for random periods", () => {
    fc.assert(
      fc.property(
        vectorHistoryArb(set),
        fc.integer({ min: span.min, max: span.max }),
        fc.integer({ min: span.min, max: span.max }),
        fc.integer({ min: span.min, max: span.max }),
        checkRollforward,
      ),
      { numRuns: 60 },
    );
  });
});

describe("random histories decided by the core ledger", () => {
  it("6 rebuild == incremental == checkpoint + tail; rollforward identity; state equals core evolve", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb(50),
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        async (scenario, [ft, fa, fb, split]) => {
          const h = await runScenario(scenario);
          const lo = h.start - 10 * DAY;
          const hi = h.end + 400 * DAY;
          const at = (f: number) => Math.floor(lo + f * (hi - lo));
          checkAgainstCore(h);
          // A clean ledger audits clean, draws included (spec 7, club §7).
          expect((await auditEvents(h.events)).findings).toEqual([]);
          checkRollforward(h.events, at(fa), at(fb), at(ft));
          await checkConsistency(h.events, { t: at(ft), a: at(fa), b: at(fb), split });
        },
      ),
      { numRuns: 25 },
    );
  });
});
