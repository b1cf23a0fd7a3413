import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryCheckpointStore } from "@vafa/adapters/memory";
import { type EventEnvelope, testDataKey, toEnvelope } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rebuildFromNdjson, rebuildFromStore } from "../rebuild.js";
import { createProjectionRunner } from "../runner.js";
import { storeOf } from "../testing/compare.js";
import { CLUB_VECTOR_SETS, CLUB_VECTOR_TIMES, vectorEvents, vectorJson } from "../testing/vectors.js";
import { ClubProjection, type KeyLookup } from "./club-projection.js";
import { membersAsOf } from "./members.js";
import { outbox } from "./outbox.js";

// Issue 13 acceptance: the outbox for a period is the same before and after a
// rebuild, and the same from the store and from an export (club-v1 §5).

const keys: KeyLookup = (memberId) => (memberId === "reza" ? undefined : testDataKey(memberId));
const day = (d: number): string => new Date(Date.UTC(2010, 11, 1) + d * 86_400_000).toISOString();

describe.each(CLUB_VECTOR_SETS)("outbox of the %s vector: incremental, rebuilt, exported", (set) => {
  it("is the same kept up to date by a runner, rebuilt from the store and rebuilt from its export", async () => {
    const events = vectorEvents(set);
    const half = Math.floor(events.length / 2);
    const { store } = await storeOf(events.slice(0, half));

    // Kept up to date while the second half is appended.
    const live = new ClubProjection();
    const runner = createProjectionRunner({
      store,
      checkpoints: createMemoryCheckpointStore(),
      name: "club",
      projection: live,
    });
    await runner.start();
    for (const e of events.slice(half)) {
      const { recordedAt: _r, ...proposed } = e;
      await store.appendToStream(e.streamId, [proposed], {
        expectedRevision: e.revision === 0 ? "no_stream" : e.revision - 1,
      });
    }
    let last = 0n;
    for await (const e of store.readAll()) last = e.position;
    // The subscription delivers what was appended; wait for the last one (no timing: a bounded poll).
    for (let i = 0; i < 1000 && live.position !== last; i++) await new Promise((r) => setTimeout(r, 5));
    await runner.stop();
    expect(live.position).toBe(last);

    // Rebuilt from scratch from the store.
    const rebuilt = new ClubProjection();
    await rebuildFromStore(store, rebuilt);

    // Rebuilt from the store's export (global order, as vafa export writes it).
    const dir = mkdtempSync(join(tmpdir(), "h13read-outbox-"));
    const file = join(dir, "events.ndjson");
    const exported: EventEnvelope[] = [];
    for await (const e of store.readAll()) exported.push(toEnvelope(e));
    writeFileSync(file, `${exported.map((e) => JSON.stringify(e)).join("\n")}\n`);
    const fromExport = new ClubProjection();
    await rebuildFromNdjson(file, fromExport);

    const t = CLUB_VECTOR_TIMES;
    const expected = vectorJson(set, "expected-outbox.json");
    for (const p of [live, rebuilt, fromExport]) {
      expect(outbox(p, t.since, t.asOf, keys)).toEqual(expected);
      expect(membersAsOf(p, t.asOf, keys)).toEqual(vectorJson(set, "expected-members.json"));
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 200 }), (a, b) => {
        const since = day(a);
        const asOf = day(a + b);
        const once = outbox(live, since, asOf, keys);
        expect(outbox(rebuilt, since, asOf, keys)).toEqual(once);
        expect(outbox(fromExport, since, asOf, keys)).toEqual(once);
        // Asked again, the same answer (queries change nothing).
        expect(outbox(live, since, asOf, keys)).toEqual(once);
      }),
      { numRuns: 40 },
    );
  });
});
