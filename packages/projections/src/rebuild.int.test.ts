import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LedgerProjection } from "./ledger.js";
import { RFM_EVENT_TYPES, rebuildFromNdjson, rebuildFromStore } from "./rebuild.js";
import { allQueries, asOfQueries, feed, storeOf } from "./testing/compare.js";
import { VECTOR_SETS, VECTOR_TIMES, vectorEvents, vectorPath } from "./testing/vectors.js";

describe.each(VECTOR_SETS)("rebuild from an NDJSON export (%s vectors)", (set) => {
  const t = VECTOR_TIMES[set];

  it("6 rebuild: streaming the export equals folding the events in memory", async () => {
    const p = new LedgerProjection();
    const result = await rebuildFromNdjson(vectorPath(set, "expected-events.ndjson"), p);
    expect(result).toMatchObject({ applied: vectorEvents(set).length, badLineCount: 0, skipped: 0 });
    expect(allQueries(p, t.asOf, t.from, t.to)).toEqual(
      allQueries(feed(vectorEvents(set) as never), t.asOf, t.from, t.to),
    );
  });

  it("6 rfm: a rebuild reading only RFM_EVENT_TYPES gives the same rfm rows and skips the other lines", async () => {
    const p = new LedgerProjection({ keepHistory: false });
    const result = await rebuildFromNdjson(vectorPath(set, "expected-events.ndjson"), p, {
      types: RFM_EVENT_TYPES,
      until: t.asOf,
    });
    const needed = vectorEvents(set).filter(
      (e) =>
        (RFM_EVENT_TYPES as readonly string[]).includes(e.type) &&
        (e.occurredAt <= new Date(t.asOf).toISOString() || e.type === "ProgramPublished"),
    ).length;
    expect(result).toMatchObject({ applied: needed, badLineCount: 0 });
    expect(result.skipped).toBe(vectorEvents(set).length - needed);
    expect(p.rfmAsOf(t.asOf)).toEqual(feed(vectorEvents(set) as never).rfmAsOf(t.asOf));
  });

  it("6 rebuild: until T without history answers as of T like the full projection", async () => {
    const p = new LedgerProjection({ keepHistory: false });
    const result = await rebuildFromNdjson(vectorPath(set, "expected-events.ndjson"), p, { until: t.asOf });
    expect(result.skipped).toBeGreaterThan(0);
    expect(asOfQueries(p, t.asOf)).toEqual(asOfQueries(feed(vectorEvents(set) as never), t.asOf));
    // Asking about an earlier time than it kept is a clear error, not a wrong answer.
    expect(() => p.balancesAsOf("2000-01-01T00:00:00Z")).toThrow(
      expect.objectContaining({ code: "VALIDATION" }),
    );
    expect(() => p.rollforward(t.from, t.to)).toThrow(expect.objectContaining({ code: "VALIDATION" }));
  });
});

describe("rebuild input handling", () => {
  it("with types, a line whose envelope type is another is skipped unparsed; a kept line is still checked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-rebuild-types-"));
    const file = join(dir, "events.ndjson");
    const purchase = readFileSync(vectorPath("gregorian", "expected-events.ndjson"), "utf8")
      .split("\n")
      .find((l) => l.includes('"PurchaseRecorded"')) as string;
    // Line 1 is broken but names another type before "data": skipped without parsing.
    // Line 3's type cannot be read without parsing: it is kept, parsed and reported.
    writeFileSync(
      file,
      [
        '{"streamId":"member-x","type":"PointsEarned", broken',
        purchase,
        '{ "type": "PurchaseRecorded" broken',
      ].join("\n"),
    );
    const result = await rebuildFromNdjson(file, new LedgerProjection(), { types: ["PurchaseRecorded"] });
    expect(result).toMatchObject({ lines: 3, applied: 1, skipped: 1, badLineCount: 1, badLines: [3] });
  });

  it("8 lines: a BOM, CRLF, blank and broken lines never stop a rebuild; bad lines are reported", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-proj-"));
    const file = join(dir, "events.ndjson");
    const lines = readFileSync(vectorPath("gregorian", "expected-events.ndjson"), "utf8")
      .trimEnd()
      .split("\n");
    const broken = [lines[0], "", "{not json", ...lines.slice(1, 10), "   ", "[1,2]", ...lines.slice(10)];
    writeFileSync(file, `\uFEFF${broken.join("\r\n")}`);
    const p = new LedgerProjection();
    const result = await rebuildFromNdjson(file, p);
    expect(result.badLines).toEqual([3, 14]);
    expect(result.applied).toBe(lines.length);
    const t = VECTOR_TIMES.gregorian;
    expect(p.balancesAsOf(t.asOf)).toEqual(feed(vectorEvents("gregorian") as never).balancesAsOf(t.asOf));
  });

  it("8 errors: a missing file is a typed error naming it", async () => {
    await expect(
      rebuildFromNdjson("/nonexistent/events.ndjson", new LedgerProjection()),
    ).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: expect.stringContaining("/nonexistent/events.ndjson"),
    });
  });

  it("6 rebuild from a store equals applying its events; a second pass applies nothing", async () => {
    const { store, stored } = await storeOf(vectorEvents("jalali"));
    const p = new LedgerProjection();
    expect(await rebuildFromStore(store, p)).toEqual({ applied: stored.length, skipped: 0 });
    expect(await rebuildFromStore(store, p)).toEqual({ applied: 0, skipped: 0 });
    const t = VECTOR_TIMES.jalali;
    expect(allQueries(p, t.asOf, t.from, t.to)).toEqual(allQueries(feed(stored), t.asOf, t.from, t.to));
  });
});
