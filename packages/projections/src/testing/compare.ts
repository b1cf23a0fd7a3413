import { createMemoryStore } from "@vafa/adapters/memory";
import type { EventEnvelope, StoredEvent } from "@vafa/core";
import fc from "fast-check";
import { LedgerProjection } from "../ledger.js";
import { type VectorSet, vectorEvents } from "./vectors.js";

/** Every ledger query of spec 6 at one T and one period. */
export const allQueries = (p: LedgerProjection, t: string, from: string, to: string) => ({
  balances: p.balancesAsOf(t),
  rfm: p.rfmAsOf(t),
  liability: p.liabilityAsOf(t),
  kpis: p.kpis(from, to),
  rollforward: p.rollforward(from, to),
});

/** The as-of queries only (what a projection without history can answer after a rebuild up to T). */
export const asOfQueries = (p: LedgerProjection, t: string) => ({
  balances: p.balancesAsOf(t),
  rfm: p.rfmAsOf(t),
  liability: p.liabilityAsOf(t),
});

export const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Random histories cut from the golden vectors: a subset of the members, a
 * prefix of each one's stream (a prefix of a clean stream is clean), merged
 * in a random global order that keeps each stream's order, positions 1, 2, ...
 */
export const vectorHistoryArb = (set: VectorSet): fc.Arbitrary<StoredEvent[]> => {
  const all = vectorEvents(set);
  const streams = new Map<string, typeof all>();
  for (const e of all) {
    const list = streams.get(e.streamId) ?? [];
    list.push(e);
    streams.set(e.streamId, list);
  }
  const ids = [...streams.keys()];
  return fc
    .record({
      keep: fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length }),
      cut: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
        minLength: ids.length,
        maxLength: ids.length,
      }),
      order: fc.array(fc.nat(ids.length - 1), { minLength: all.length, maxLength: all.length }),
    })
    .map(({ keep, cut, order }) => {
      const queues = ids.map((id, i) => {
        const list = streams.get(id) ?? [];
        if (id.startsWith("program-")) return [...list];
        if (!keep[i]) return [];
        return list.slice(0, Math.ceil((cut[i] ?? 1) * list.length));
      });
      const out: StoredEvent[] = [];
      const push = (q: number): void => {
        const e = queues[q]?.shift();
        if (e !== undefined) out.push({ ...e, position: BigInt(out.length + 1) });
      };
      for (const q of order) push(q);
      for (let q = 0; q < queues.length; q++) while ((queues[q]?.length ?? 0) > 0) push(q);
      return out;
    });
};

/** Time bounds of the vectors' events (ms), widened to reach beyond every expiry. */
export const VECTOR_SPAN: Record<VectorSet, { min: number; max: number }> = {
  gregorian: { min: Date.UTC(2010, 11, 1), max: Date.UTC(2012, 6, 1) },
  jalali: { min: Date.UTC(2011, 5, 1), max: Date.UTC(2013, 6, 1) },
};

export const feed = (events: readonly StoredEvent[], p = new LedgerProjection()): LedgerProjection => {
  for (const e of events) p.apply(e);
  return p;
};

/** Copies events into a fresh memory store (positions are the store's own). */
export const storeOf = async (events: readonly (StoredEvent | EventEnvelope)[]) => {
  const store = createMemoryStore();
  for (const e of events) {
    const { recordedAt: _r, ...rest } = e;
    const { position: _p, ...proposed } = rest as StoredEvent;
    await store.appendToStream(e.streamId, [proposed], {
      expectedRevision: e.revision === 0 ? "no_stream" : e.revision - 1,
    });
  }
  const stored: StoredEvent[] = [];
  for await (const e of store.readAll()) stored.push(e);
  return { store, stored };
};
