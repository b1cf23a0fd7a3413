import { EVENT_TYPES, type Program } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngagementProjection } from "./engagement/engagement.js";
import { LedgerProjection } from "./ledger.js";
import type { ProjectionEvent } from "./projection.js";
import { vectorEvents, vectorJson } from "./testing/vectors.js";

const isoArb = fc
  .integer({ min: Date.UTC(2010, 0, 2), max: Date.UTC(2013, 0, 1) })
  .map((ms) => new Date(ms).toISOString());

/** Events of every type whose data may be anything at all, plus mutated real events. */
const junkArb: fc.Arbitrary<ProjectionEvent> = fc.oneof(
  fc.record({
    streamId: fc.constantFrom("member-a", "member-b", "program-x", "other"),
    type: fc.constantFrom(...EVENT_TYPES),
    occurredAt: isoArb,
    data: fc.anything(),
  }),
  fc.record({ i: fc.nat(), key: fc.string(), value: fc.anything() }).map(({ i, key, value }) => {
    const all = vectorEvents("gregorian");
    const e = all[i % all.length] as (typeof all)[number];
    return { ...e, data: { ...(e.data as object), [key]: value } } as ProjectionEvent;
  }),
);

describe("bad input never crashes a projection (preamble rule)", () => {
  it("folds and every query survive events with arbitrary data", () => {
    const program = vectorJson<Program>("gregorian", "program.json");
    fc.assert(
      fc.property(fc.array(junkArb, { maxLength: 40 }), isoArb, (events, t) => {
        const p = new LedgerProjection({ program });
        const e = createEngagementProjection({ program });
        for (const ev of events) {
          p.apply(ev);
          e.apply(ev);
        }
        expect(() => {
          p.balancesAsOf(t);
          p.rfmAsOf(t);
          p.liabilityAsOf(t);
          p.kpis("2010-01-01T00:00:00Z", t);
          p.rollforward("2010-01-01T00:00:00Z", t);
          e.run(t);
          e.tierChangesSince("2010-01-01T00:00:00Z");
        }).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
});
