import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LedgerProjection } from "./ledger.js";
import { rebuildFromNdjson } from "./rebuild.js";
import { VECTOR_SETS, VECTOR_TIMES, vectorPath } from "./testing/vectors.js";

// Spec 6 kpis and rollforward from an export read stream by stream, each
// member reduced to the period's answer when its stream ends, equal those of
// the full projection; a file whose streams interleave is flagged.

const settledRebuild = async (path: string, from: string, to: string) => {
  const p = new LedgerProjection();
  await rebuildFromNdjson(path, p, { until: to, onStreamEnd: (id) => p.settleStream(id, from, to) });
  return p;
};

describe("6 periods settled stream by stream", () => {
  it("6 kpis and rollforward equal the full projection's; other questions are refused", async () => {
    for (const set of VECTOR_SETS) {
      const path = vectorPath(set, "expected-events.ndjson");
      const full = new LedgerProjection();
      await rebuildFromNdjson(path, full);
      const t = VECTOR_TIMES[set];
      for (const [from, to] of [
        [t.from, t.to],
        ["2000-01-01T00:00:00.000Z", t.asOf],
        [t.asOf, "2100-01-01T00:00:00.000Z"],
      ] as const) {
        const settled = await settledRebuild(path, from, to);
        expect(settled.reopened).toBe(false);
        expect(settled.kpis(from, to)).toEqual(full.kpis(from, to));
        expect(settled.rollforward(from, to)).toEqual(full.rollforward(from, to));
      }
      const settled = await settledRebuild(path, t.from, t.to);
      expect(() => settled.balancesAsOf(t.asOf)).toThrow(/settlePeriod/);
    }
  });

  it("6 a file in global order reopens settled members: the caller must read it with history", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-settle-"));
    const file = join(dir, "global.ndjson");
    const lines = readFileSync(vectorPath("gregorian", "expected-events.ndjson"), "utf8")
      .trimEnd()
      .split("\n");
    const at = (l: string) => (JSON.parse(l) as { occurredAt: string }).occurredAt;
    writeFileSync(
      file,
      `${[...lines].sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0)).join("\n")}\n`,
    );
    const t = VECTOR_TIMES.gregorian;
    expect((await settledRebuild(file, t.from, t.to)).reopened).toBe(true);
  });
});

describe("6 balances and liability from members settled at the end of their stream", () => {
  it("6 equal the full projection's at several T", async () => {
    for (const set of VECTOR_SETS) {
      const path = vectorPath(set, "expected-events.ndjson");
      const full = new LedgerProjection();
      await rebuildFromNdjson(path, full);
      const t = VECTOR_TIMES[set];
      for (const asOf of [t.asOf, t.from, t.to, "2100-01-01T00:00:00.000Z"]) {
        const p = new LedgerProjection({ keepHistory: false });
        await rebuildFromNdjson(path, p, { until: asOf, onStreamEnd: (id) => p.settleAsOfStream(id, asOf) });
        expect(p.reopened).toBe(false);
        expect(p.balancesAsOf(asOf)).toEqual(full.balancesAsOf(asOf));
        expect(p.liabilityAsOf(asOf)).toEqual(full.liabilityAsOf(asOf));
      }
    }
  });
});
