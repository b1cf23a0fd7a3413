import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { atOf, createTimeReader, localDayOf, wallClockToUtcMs } from "./times.js";

// Naive times of a CSV are read in the mapping's time zone (docs/analyst-guide.md);
// results never depend on the process time zone (spec 1).
const wall = (iso: string) => Date.parse(`${iso}Z`);
const reading = (time: Parameters<typeof createTimeReader>[0], text: string) => createTimeReader(time)(text);
const ms = (text: string, time: Parameters<typeof createTimeReader>[0]) => {
  const r = reading(time, text);
  if (!("ms" in r)) throw new Error(r.error);
  return new Date(r.ms).toISOString();
};

describe("vafa convert csv: times", () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = savedTz;
  });

  it("wall clock to UTC: an offset, summer time, a time that never happens, one that happens twice", () => {
    expect(wallClockToUtcMs(wall("2011-06-01T12:00:00"), "UTC")).toBe(Date.parse("2011-06-01T12:00:00Z"));
    expect(wallClockToUtcMs(wall("2011-01-04T10:00:00"), "Asia/Tehran")).toBe(
      Date.parse("2011-01-04T06:30:00Z"),
    );
    // Iran kept summer time in 2011 (+04:30).
    expect(wallClockToUtcMs(wall("2011-06-01T10:00:00"), "Asia/Tehran")).toBe(
      Date.parse("2011-06-01T05:30:00Z"),
    );
    expect(wallClockToUtcMs(wall("2011-06-01T12:00:00"), "Europe/London")).toBe(
      Date.parse("2011-06-01T11:00:00Z"),
    );
    // 27 March 2011: London's clocks jump from 01:00 to 02:00.
    expect(wallClockToUtcMs(wall("2011-03-27T01:30:00"), "Europe/London")).toBeUndefined();
    // 30 October 2011: 01:30 happens twice; the first is in summer time.
    expect(wallClockToUtcMs(wall("2011-10-30T01:30:00"), "Europe/London")).toBe(
      Date.parse("2011-10-30T00:30:00Z"),
    );
  });

  it("the same results whatever the process time zone (TZ)", () => {
    const sample = () => [
      ms("2011-03-27 03:30:00", { format: "yyyy-MM-dd HH:mm:ss", zone: "Europe/London" }),
      ms("20110320", { format: "yyyyMMdd", zone: "Asia/Tehran", timeOfDay: "12:00" }),
      localDayOf(Date.parse("2011-03-20T21:00:00Z"), "Asia/Tehran"),
    ];
    const expected = ["2011-03-27T02:30:00.000Z", "2011-03-20T08:30:00.000Z", "20110321"];
    for (const tz of ["UTC", "Pacific/Kiritimati", "America/Los_Angeles", "Asia/Tehran"]) {
      process.env.TZ = tz;
      expect(sample()).toEqual(expected);
    }
  });

  it("formats: date-fns patterns, dates with a time of day, iso, offsets in the text", () => {
    expect(ms("2010-12-01 08:26:00", { format: "yyyy-MM-dd HH:mm:ss", zone: "UTC" })).toBe(
      "2010-12-01T08:26:00.000Z",
    );
    expect(ms("01/12/2010 08:26", { format: "dd/MM/yyyy HH:mm", zone: "Europe/London" })).toBe(
      "2010-12-01T08:26:00.000Z",
    );
    expect(ms("19970101", { format: "yyyyMMdd", zone: "UTC", timeOfDay: "12:00" })).toBe(
      "1997-01-01T12:00:00.000Z",
    );
    expect(ms(" 2011-01-04T10:00:00+03:30 ", { format: "iso", zone: "UTC" })).toBe(
      "2011-01-04T06:30:00.000Z",
    );
    // An offset in the text wins over the zone.
    expect(ms("2011-01-04 10:00 +03:30", { format: "yyyy-MM-dd HH:mm XXX", zone: "Europe/London" })).toBe(
      "2011-01-04T06:30:00.000Z",
    );
  });

  it("a time that cannot be read says why", () => {
    const time = { format: "yyyy-MM-dd HH:mm:ss", zone: "Europe/London" };
    expect(reading(time, "")).toEqual({ error: "the time is empty" });
    expect(reading(time, "2011-02-30 10:00:00")).toEqual({
      error: '"2011-02-30 10:00:00" does not match the time format "yyyy-MM-dd HH:mm:ss"',
    });
    expect(reading(time, "2011-03-27 01:30:00")).toEqual({
      error: '"2011-03-27 01:30:00" does not exist in Europe/London (the clocks went forward then)',
    });
    expect(reading({ format: "iso", zone: "UTC" }, "2011-01-04 10:00")).toMatchObject({
      error: expect.stringMatching(/is not a time like 2011-01-04T10:00:00Z/),
    });
  });

  it("at: ISO UTC without milliseconds when they are 0, as in the spec's examples", () => {
    expect(atOf(Date.parse("2010-12-01T08:26:00Z"))).toBe("2010-12-01T08:26:00Z");
    expect(atOf(Date.parse("2010-12-01T08:26:00.5Z"))).toBe("2010-12-01T08:26:00.500Z");
  });

  it("any wall time of a zone reads back as the instant that shows it (property)", () => {
    const zones = ["UTC", "Europe/London", "Asia/Tehran", "America/New_York", "Australia/Lord_Howe"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (zone, instant) => {
          const at = Math.floor(instant / 60_000) * 60_000;
          const parts = new Intl.DateTimeFormat("en-CA", {
            timeZone: zone,
            hourCycle: "h23",
            year: "numeric",
            month: "2-digit",
            day: "2-digit",
            hour: "2-digit",
            minute: "2-digit",
          }).formatToParts(at);
          const get = (type: string) => parts.find((p) => p.type === type)?.value;
          const text = `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
          const r = reading({ format: "yyyy-MM-dd HH:mm", zone }, text);
          expect("ms" in r).toBe(true);
          if ("ms" in r) {
            // Twice-shown wall times read as their first instant.
            expect(r.ms <= at).toBe(true);
            expect(at - r.ms).toBeLessThanOrEqual(60 * 60_000);
          }
        },
      ),
    );
  });
});
