import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CliError } from "./errors.js";
import { parseTimeFlag } from "./times.js";

describe("1 times on the command line", () => {
  it("1 normalises to UTC milliseconds written as toISOString", () => {
    expect(parseTimeFlag("--at", "2011-01-04T10:00:00Z")).toBe("2011-01-04T10:00:00.000Z");
    expect(parseTimeFlag("--at", "2011-01-04T10:00:00+03:30")).toBe("2011-01-04T06:30:00.000Z");
    expect(parseTimeFlag("--at", "2011-01-04T10:00:00.123456Z")).toBe("2011-01-04T10:00:00.123Z");
  });

  it("a plain date means 00:00 UTC of that day", () => {
    expect(parseTimeFlag("--as-of", "2011-05-15")).toBe("2011-05-15T00:00:00.000Z");
  });

  it("1 an impossible date is a usage error naming the flag", () => {
    for (const text of ["2011-02-30", "2011-02-30T00:00:00Z", "yesterday", "2011-01-01T24:00:00Z"]) {
      expect(() => parseTimeFlag("--to", text)).toThrow(CliError);
      expect(() => parseTimeFlag("--to", text)).toThrow(/^--to ".*": not a valid time/);
    }
  });

  it("any instant written by toISOString reads back as itself (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseTimeFlag("--at", iso)).toBe(iso);
      }),
    );
  });
});
