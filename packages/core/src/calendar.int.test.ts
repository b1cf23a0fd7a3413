import { describe, expect, it } from "vitest";
import { birthdayInYear, calendarYear, dateInCalendar, startOfCalendarYear } from "./index.js";
import { club, join, program, purchase } from "./testing/harness.js";

const jalali = program({
  calendar: "jalali",
  currency: "IRR",
  earn: { pointsPerUnit: "0.0001", rounding: "half-up", birthdayBonus: 5000 },
  expiry: { policy: "calendar", years: 1 },
});

describe("1, 5.6 Jalali calendar (hand-computed)", () => {
  it("1 Farvardin 1390 is 2011-03-21T00:00:00Z and 1391 is 2012-03-20", () => {
    expect(new Date(startOfCalendarYear("jalali", 1390)).toISOString()).toBe("2011-03-21T00:00:00.000Z");
    expect(new Date(startOfCalendarYear("jalali", 1391)).toISOString()).toBe("2012-03-20T00:00:00.000Z");
    expect(calendarYear("jalali", Date.UTC(2011, 2, 20, 23, 59))).toBe(1389);
    expect(calendarYear("jalali", Date.UTC(2011, 2, 21))).toBe(1390);
  });
  it("1992-03-20 is 30 Esfand 1370; in common 1390 the birthday is 29 Esfand (2012-03-19), in leap 1391 30 Esfand", () => {
    const birth = dateInCalendar("jalali", "1992-03-20");
    expect(birth).toEqual({ year: 1370, monthIndex: 11, day: 30 });
    expect(new Date(birthdayInYear("jalali", birth, 1390)).toISOString()).toBe("2012-03-19T00:00:00.000Z");
    expect(new Date(birthdayInYear("jalali", birth, 1391)).toISOString()).toBe("2013-03-20T00:00:00.000Z");
  });
  it("points earned in 1389 expire at 1 Farvardin 1390 (2011-03-21T00:00:00Z)", async () => {
    const c = club(jalali);
    await c.ok(join("a", "2011-01-01T10:00:00Z"), purchase("a", "2011-03-20T23:59:59Z", "p1", "1250000000"));
    await c.ok(purchase("a", "2011-03-21T00:00:00Z", "p2", "10000"));
    const lots = (await c.stream("a")).filter((e) => e.type === "PointsEarned").map((e) => e.data);
    expect(lots[0]).toMatchObject({ points: 125000, expiresAt: "2011-03-21T00:00:00.000Z" });
    // p1 moved the member to silver (x1.5): 10000 * 0.0001 * 1.5 = 1.5, half-up 2.
    expect(lots[1]).toMatchObject({ points: 2, expiresAt: "2012-03-20T00:00:00.000Z" });
    // The 1389 lot expired at 00:00 of 1 Farvardin, before p2 in the same command.
    const types = (await c.stream("a")).map((e) => e.type);
    expect(types.slice(-3)).toEqual(["PointsExpired", "PurchaseRecorded", "PointsEarned"]);
  });
  it("a 30 Esfand birthday is paid on 29 Esfand 1390 and, its lot expiring at the next midnight, expires in the same sweep", async () => {
    const c = club(jalali);
    await c.ok(join("s", "2011-09-23T06:30:00Z", { birthDate: "1992-03-20" }));
    await c.ok({ type: "sweep", at: "2012-03-25T00:00:00Z" });
    const tail = (await c.stream("s")).slice(1).map((e) => [e.type, e.occurredAt, e.data]);
    expect(tail[0]).toEqual([
      "PointsEarned",
      "2012-03-19T00:00:00.000Z",
      expect.objectContaining({
        reason: "birthday",
        birthdayYear: 1390,
        points: 5000,
        expiresAt: "2012-03-20T00:00:00.000Z",
      }),
    ]);
    expect(tail[1]).toEqual([
      "PointsExpired",
      "2012-03-20T00:00:00.000Z",
      expect.objectContaining({ points: 5000 }),
    ]);
  });
});
