import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTime } from "./primitives.js";

// ledger-v1 §1: a normalised time is valid exactly when Date.parse and toISOString give it back.
const roundTrip = (text: string): number | undefined => {
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text ? ms : undefined;
};

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

describe("parseTime on normalised times (ledger-v1 §1)", () => {
  it("accepts exactly what a Date.parse round trip gives back, with the same instant", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 1900, 2000, 2023, 2024, 2100, 9999),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 999 }),
        (y, mo, d, h, mi, s, ms) => {
          const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`;
          const expected = roundTrip(text);
          if (expected !== undefined) expect(parseTime(text)).toBe(expected);
          // Not normalised-valid: the general parser decides (it refuses year 0 and 24:00 too).
          else expect(parseTime(text)).toBeUndefined();
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it("refuses impossible days and hours", () => {
    expect(parseTime("2023-02-29T00:00:00.000Z")).toBeUndefined();
    expect(parseTime("2024-02-29T00:00:00.000Z")).toBe(Date.UTC(2024, 1, 29));
    expect(parseTime("2100-02-29T00:00:00.000Z")).toBeUndefined();
    expect(parseTime("2024-04-31T00:00:00.000Z")).toBeUndefined();
    expect(parseTime("2024-01-01T24:00:00.000Z")).toBeUndefined();
  });
});
