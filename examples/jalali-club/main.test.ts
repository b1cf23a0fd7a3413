import { describe, expect, it } from "vitest";
import { jalali, jalaliDay, runJalaliClub } from "./main.js";

type Earned = {
  reason: string;
  points: number;
  birthdayYear?: number;
  purchaseId?: string;
  expiresAt: string | null;
};

describe("examples/jalali-club", async () => {
  const { events, lines } = await runJalaliClub(() => {});
  const earned = (memberId: string) =>
    events
      .filter((e) => e.streamId === `member-${memberId}` && e.type === "PointsEarned")
      .map((e) => ({ at: e.occurredAt, ...(e.data as Earned) }));

  it("1 Jalali dates map to UTC days whatever the process time zone", () => {
    expect(jalaliDay(1403, 1, 1)).toBe("2024-03-20T00:00:00.000Z");
    expect(jalaliDay(1403, 12, 30)).toBe("2025-03-20T00:00:00.000Z");
    expect(jalali("2025-03-21T00:00:00.000Z")).toBe("1404/01/01 00:00");
  });

  it("5.2 amounts in billions of rials earn exactly, half-up; Nowruz doubles on top of the tier multiplier", () => {
    const byPurchase = Object.fromEntries(
      [...earned("darya"), ...earned("kian")]
        .filter((e) => e.purchaseId)
        .map((e) => [e.purchaseId, e.points]),
    );
    expect(byPurchase).toEqual({
      "d-1": 35000, // 3 500 000 000 * 0.00001
      "k-1": 12346, // 12345.6789 half-up
      "d-2": 20000, // 20000.000005
      "d-3": 220000, // 100000 * silver 1.1 * nowruz 2
      "k-2": 20000, // 9999.9999999 * 2 = 19999.9999998 half-up
    });
  });

  it("5.6 a 30 Esfand birthday is paid on 29 Esfand in a common year and 30 Esfand in a leap year", () => {
    const birthdays = earned("darya").filter((e) => e.reason === "birthday");
    expect(birthdays.map((b) => [b.birthdayYear, b.at])).toEqual([
      [1402, "2024-03-19T00:00:00.000Z"], // 29 Esfand 1402
      [1403, "2025-03-20T00:00:00.000Z"], // 30 Esfand 1403
    ]);
  });

  it("3 calendar expiry: every lot expires at the next 1 Farvardin", () => {
    for (const e of [...earned("darya"), ...earned("kian")]) {
      const year1403 = e.at >= "2024-03-20T00:00:00.000Z";
      expect(e.expiresAt).toBe(year1403 ? "2025-03-21T00:00:00.000Z" : "2024-03-20T00:00:00.000Z");
    }
    const expiries = events.filter((e) => e.type === "PointsExpired").map((e) => e.occurredAt);
    expect(new Set(expiries)).toEqual(new Set(["2024-03-20T00:00:00.000Z", "2025-03-21T00:00:00.000Z"]));
    expect(lines).toContain("  darya: available 175000, tier silver, earned 288000, expired 63000");
    expect(lines).toContain("  darya: available 0, tier silver, earned 288000, expired 238000");
    expect(lines).toContain("  kian: available 0, tier member, earned 33346, expired 33346");
  });

  it("6 KPIs over a Jalali month and the liability in rials", () => {
    expect(lines).toContain(
      "Farvardin 1403: revenue 10999999999.99 IRR, points earned 240000, redeemed 50000, active 2",
    );
    expect(lines).toContain("liability on 1403/06/01: 190000 points worth 190000000 IRR");
    expect(lines).toContain("1402/11/12 10:00 redeem kian: rejected BELOW_MIN_REDEMPTION");
  });
});
