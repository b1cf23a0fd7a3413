import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { monthKey, monthsEndingAt, startOfMonthMs } from "./months.js";

const ms = (iso: string) => Date.parse(iso);
const iso = (n: number) => new Date(n).toISOString();

describe("report months", () => {
  it("gregorian: 12 months ending in the month of asOf, the last cut at asOf", () => {
    const spans = monthsEndingAt("gregorian", ms("2011-05-15T00:00:00Z"), 12);
    expect(spans).toHaveLength(12);
    expect(spans[0]).toEqual({
      month: "2010-06",
      fromMs: ms("2010-06-01T00:00:00Z"),
      toMs: ms("2010-07-01T00:00:00Z"),
    });
    expect(spans[11]).toEqual({
      month: "2011-05",
      fromMs: ms("2011-05-01T00:00:00Z"),
      toMs: ms("2011-05-15T00:00:00Z"),
    });
  });

  it("a month start as the end leaves that (empty) month out", () => {
    const spans = monthsEndingAt("gregorian", ms("2011-06-01T00:00:00Z"), 2);
    expect(spans.map((s) => s.month)).toEqual(["2011-04", "2011-05"]);
  });

  it("1 jalali: months start on Jalali month starts at 00:00 UTC (1 Farvardin 1391 = 2012-03-20)", () => {
    const spans = monthsEndingAt("jalali", ms("2012-04-01T00:00:00Z"), 2);
    expect(spans.map((s) => [s.month, iso(s.fromMs), iso(s.toMs)])).toEqual([
      ["1390-12", "2012-02-20T00:00:00.000Z", "2012-03-20T00:00:00.000Z"],
      ["1391-01", "2012-03-20T00:00:00.000Z", "2012-04-01T00:00:00.000Z"],
    ]);
  });

  it("months tile the period without gaps or overlaps, whatever the calendar (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("gregorian" as const, "jalali" as const),
        fc.integer({ min: ms("2000-01-01T00:00:00Z"), max: ms("2030-01-01T00:00:00Z") }),
        fc.integer({ min: 1, max: 24 }),
        (calendar, end, count) => {
          const spans = monthsEndingAt(calendar, end, count);
          expect(spans).toHaveLength(count);
          expect(spans.at(-1)?.toMs).toBe(end);
          for (const [i, s] of spans.entries()) {
            expect(s.fromMs).toBeLessThan(s.toMs);
            expect(startOfMonthMs(calendar, s.fromMs)).toBe(s.fromMs);
            expect(monthKey(calendar, s.fromMs)).toBe(s.month);
            if (i > 0) expect(spans[i - 1]?.toMs).toBe(s.fromMs);
          }
        },
      ),
    );
  });
});
