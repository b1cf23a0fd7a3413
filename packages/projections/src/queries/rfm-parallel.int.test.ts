import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LedgerProjection } from "../ledger.js";
import { rebuildFromNdjson } from "../rebuild.js";
import { VECTOR_TIMES, vectorPath } from "../testing/vectors.js";
import { rfmAsOf } from "./rfm.js";
import { rfmFromNdjsonParallel } from "./rfm-parallel.js";

// Spec 6 rfm from a file on worker threads equals rfm over one projection of
// the whole file: each member is folded by one shard, and scores are computed
// over all members together.

describe("6 rfm on worker threads", () => {
  it("6 equals rfmAsOf of the full projection, for 2 or 3 workers and several T", async () => {
    for (const set of ["gregorian", "jalali"] as const) {
      const path = vectorPath(set, "expected-events.ndjson");
      const full = new LedgerProjection();
      await rebuildFromNdjson(path, full);
      const t = VECTOR_TIMES[set];
      for (const asOf of [t.asOf, t.from, t.to]) {
        const expected = rfmAsOf(full, asOf);
        // Thread start-up is slow under tsx: one count per T (each shard count is the same code path).
        const workers = asOf === t.asOf ? 3 : 2;
        const { rows, badLineCount } = await rfmFromNdjsonParallel(path, asOf, workers);
        expect(badLineCount).toBe(0);
        expect(rows).toEqual(expected);
      }
    }
  });

  it("2 with verify, the workers check the chain: the golden file gives the rows, a changed byte none", async () => {
    const path = vectorPath("gregorian", "expected-events.ndjson");
    const asOf = VECTOR_TIMES.gregorian.asOf;
    const full = new LedgerProjection();
    await rebuildFromNdjson(path, full);
    const verified = await rfmFromNdjsonParallel(path, asOf, 2, { verify: true });
    expect(verified.rows).toEqual(rfmAsOf(full, asOf));
    // A line of a type rfm never reads, changed: only the hash chain notices it.
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    const at = lines.findIndex(
      (l) => l.includes('"type":"PointsEarned"') || l.includes('"type":"TierChanged"'),
    );
    expect(at).toBeGreaterThan(0);
    lines[at] = (lines[at] as string).replace(
      /"occurredAt":"(\d)/,
      (_m, d: string) => `"occurredAt":"${(Number(d) + 1) % 10}`,
    );
    const file = join(mkdtempSync(join(tmpdir(), "vafa-rfm-")), "changed.ndjson");
    writeFileSync(file, `${lines.join("\n")}\n`);
    expect((await rfmFromNdjsonParallel(file, asOf, 2, { verify: true })).rows).toBeUndefined();
    // Without verify the change is not seen (the line is not even parsed).
    expect((await rfmFromNdjsonParallel(file, asOf, 2)).rows).toEqual(verified.rows);
  });

  it("6 a file in global order (streams interleaved) is left to one thread: rows undefined", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-rfm-"));
    const file = join(dir, "global.ndjson");
    const lines = readFileSync(vectorPath("gregorian", "expected-events.ndjson"), "utf8")
      .trimEnd()
      .split("\n");
    const byTime = [...lines].sort((a, b) => {
      const ta = (JSON.parse(a) as { occurredAt: string }).occurredAt;
      const tb = (JSON.parse(b) as { occurredAt: string }).occurredAt;
      return ta < tb ? -1 : ta > tb ? 1 : 0;
    });
    writeFileSync(file, `${byTime.join("\n")}\n`);
    const { rows } = await rfmFromNdjsonParallel(file, VECTOR_TIMES.gregorian.asOf, 3);
    expect(rows).toBeUndefined();
  });

  it("6 shards of a rebuild hold every member once, and each the same fold as the whole", async () => {
    const path = vectorPath("gregorian", "expected-events.ndjson");
    const full = new LedgerProjection();
    await rebuildFromNdjson(path, full);
    const asOf = VECTOR_TIMES.gregorian.asOf;
    const parts = await Promise.all(
      [0, 1, 2].map(async (index) => {
        const p = new LedgerProjection();
        await rebuildFromNdjson(path, p, { shard: { index, count: 3 } });
        return p;
      }),
    );
    const rows = parts
      .flatMap((p) => p.balancesAsOf(asOf))
      .sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
    expect(rows).toEqual(full.balancesAsOf(asOf));
  });

  it("8 a file without a program fails in the workers as in one thread", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-rfm-"));
    const file = join(dir, "no-program.ndjson");
    const lines = readFileSync(vectorPath("gregorian", "expected-events.ndjson"), "utf8").split("\n");
    writeFileSync(file, lines.filter((l) => !l.includes('"ProgramPublished"')).join("\n"));
    const single = new LedgerProjection();
    await rebuildFromNdjson(file, single);
    const expected = (() => {
      try {
        rfmAsOf(single, VECTOR_TIMES.gregorian.asOf);
      } catch (error) {
        return error as Error;
      }
      throw new Error("test setup: rfm without a program must fail");
    })();
    await expect(rfmFromNdjsonParallel(file, VECTOR_TIMES.gregorian.asOf, 2)).rejects.toMatchObject({
      name: expected.name,
      message: expected.message,
    });
  });
});

describe("6 rfm from members settled at the end of their stream", () => {
  it("6 equals rfmAsOf of the full projection; a member that comes back reopens the projection", async () => {
    for (const set of ["gregorian", "jalali"] as const) {
      const path = vectorPath(set, "expected-events.ndjson");
      const full = new LedgerProjection();
      await rebuildFromNdjson(path, full);
      const t = VECTOR_TIMES[set];
      for (const asOf of [t.asOf, t.from, t.to]) {
        const p = new LedgerProjection({ keepHistory: false });
        await rebuildFromNdjson(path, p, { until: asOf, onStreamEnd: (id) => p.settleRfmStream(id) });
        expect(p.reopened).toBe(false);
        expect(p.members().some((m) => m.rfmPurchases !== undefined)).toBe(true);
        expect(p.rfmAsOf(asOf)).toEqual(rfmAsOf(full, asOf));
      }
    }
    const dir = mkdtempSync(join(tmpdir(), "vafa-rfm-"));
    const file = join(dir, "twice.ndjson");
    const lines = readFileSync(vectorPath("gregorian", "expected-events.ndjson"), "utf8")
      .trimEnd()
      .split("\n");
    // The first member's stream again at the end: its settled answer would be stale.
    writeFileSync(file, `${[...lines, lines[1]].join("\n")}\n`);
    const p = new LedgerProjection({ keepHistory: false });
    await rebuildFromNdjson(file, p, { onStreamEnd: (id) => p.settleRfmStream(id) });
    expect(p.reopened).toBe(true);
  });
});
