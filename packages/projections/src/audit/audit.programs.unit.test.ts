import { type Program, type Purchase, parseTime, purchasePoints, toUnits } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  earnDecimal,
  earnFactorPrograms,
  timesAroundCampaigns,
} from "../../../core/src/testing/earn-arbitraries.js";
import { loadProgram } from "../testing/audit-export.js";
import {
  bonusProblems,
  expectedPurchasePoints,
  type LotFact,
  lotTimeProblems,
  tierProblems,
} from "./program-checks.js";

// The program checks of the audit (spec 7 EARN_MISMATCH, TIER_MISMATCH) on
// their own, with the exact problem texts the findings carry: lot times
// (section 4, 5.6), bonuses and birthdays (5.1, 5.2, 5.6), purchase points
// (5.2) and tier moves (5.7). The golden program: signup 50, referral 200,
// birthday 100, 7 pending days, 90-day rolling expiry, bronze/silver/gold at
// 0/300/1000 over 180 days, 60 retention days.

const greg = loadProgram("gregorian");
const never: Program = { ...greg, expiry: { policy: "never" } };
const t = (iso: string): number => parseTime(iso) as number;
const DAY = 86_400_000;

const lot = (patch: Partial<LotFact> & Pick<LotFact, "reason">): LotFact => {
  const occurredAt = patch.occurredAt ?? t("2011-01-03T09:00:00Z");
  return {
    points: 50,
    occurredAt,
    availableAt: occurredAt + (patch.reason === "purchase" ? 7 * DAY : 0),
    expiresAt: occurredAt + 90 * DAY,
    ...patch,
  };
};

describe("7 EARN_MISMATCH: lot times (section 4, 5.6)", () => {
  it("4 a lot dated by the program has no problem; a purchase lot waits pendingDays", () => {
    expect(lotTimeProblems(greg, lot({ reason: "signup" }))).toEqual([]);
    expect(lotTimeProblems(greg, lot({ reason: "purchase", points: 120 }))).toEqual([]);
  });

  it("4 a purchase lot available at once, a bonus lot that waits: both named", () => {
    const at = t("2011-01-03T09:00:00Z");
    expect(lotTimeProblems(greg, lot({ reason: "purchase", availableAt: at }))).toEqual([
      "availableAt is 2011-01-03T09:00:00.000Z, the program gives 2011-01-10T09:00:00.000Z",
    ]);
    expect(lotTimeProblems(greg, lot({ reason: "referral", availableAt: at + 7 * DAY }))).toEqual([
      "availableAt is 2011-01-10T09:00:00.000Z, the program gives 2011-01-03T09:00:00.000Z",
    ]);
  });

  it("5.6 an expiry that is not the program's, 'never' on either side", () => {
    expect(lotTimeProblems(greg, lot({ reason: "signup", expiresAt: null }))).toEqual([
      "expiresAt is never, the program gives 2011-04-03T09:00:00.000Z",
    ]);
    expect(lotTimeProblems(never, lot({ reason: "signup" }))).toEqual([
      "expiresAt is 2011-04-03T09:00:00.000Z, the program gives never",
    ]);
    expect(lotTimeProblems(never, lot({ reason: "signup", expiresAt: null }))).toEqual([]);
  });

  it("4 both times wrong: availableAt first, then expiresAt", () => {
    const at = t("2011-01-03T09:00:00Z");
    expect(lotTimeProblems(greg, lot({ reason: "purchase", availableAt: at, expiresAt: at }))).toEqual([
      "availableAt is 2011-01-03T09:00:00.000Z, the program gives 2011-01-10T09:00:00.000Z",
      "expiresAt is 2011-01-03T09:00:00.000Z, the program gives 2011-04-03T09:00:00.000Z",
    ]);
  });
});

describe("7 EARN_MISMATCH: bonuses (5.1, 5.2)", () => {
  const member = { joinedAt: t("2011-01-03T09:00:00Z"), birthDate: undefined };

  it("5.1 each bonus against its own program amount", () => {
    expect(bonusProblems(greg, lot({ reason: "signup", points: 50 }), member)).toEqual([]);
    expect(bonusProblems(greg, lot({ reason: "signup", points: 200 }), member)).toEqual([
      "signup bonus of 200 points, the program gives 50",
    ]);
    expect(bonusProblems(greg, lot({ reason: "referral", points: 200 }), member)).toEqual([]);
    expect(bonusProblems(greg, lot({ reason: "referral", points: 50 }), member)).toEqual([
      "referral bonus of 50 points, the program gives 200",
    ]);
    expect(bonusProblems(greg, lot({ reason: "birthday", points: 100 }), member)).toEqual([]);
    expect(bonusProblems(greg, lot({ reason: "birthday", points: 50 }), member)).toEqual([
      "birthday bonus of 50 points, the program gives 100",
    ]);
  });

  it("5.2 adjustment and draw lots have no program amount", () => {
    expect(bonusProblems(greg, lot({ reason: "adjustment", points: 7 }), member)).toEqual([]);
    expect(bonusProblems(greg, lot({ reason: "draw", points: 7 }), member)).toEqual([]);
  });

  it("5.1 the lot's times are checked with its amount", () => {
    expect(bonusProblems(greg, lot({ reason: "signup", points: 60, expiresAt: null }), member)).toEqual([
      "expiresAt is never, the program gives 2011-04-03T09:00:00.000Z",
      "signup bonus of 60 points, the program gives 50",
    ]);
  });
});

describe("7 EARN_MISMATCH: birthdays (5.6, club-v1 §10)", () => {
  // Ava: born 1985-06-15, joined 2011-01-03 09:00; her 2011 birthday is 2011-06-15 00:00 UTC.
  const ava = { joinedAt: t("2011-01-03T09:00:00Z"), birthDate: "1985-06-15" };
  const birthday = (year: number, occurredAt: number): LotFact =>
    lot({ reason: "birthday", points: 100, birthdayYear: year, occurredAt });

  it("5.6 a birthday dated on the day is fine", () => {
    expect(bonusProblems(greg, birthday(2011, t("2011-06-15T00:00:00Z")), ava)).toEqual([]);
  });

  it("5.6 a birthday dated a day late names the day it falls on", () => {
    expect(bonusProblems(greg, birthday(2011, t("2011-06-16T00:00:00Z")), ava)).toEqual([
      "birthday of gregorian year 2011 is dated 2011-06-16T00:00:00.000Z, it falls on 2011-06-15T00:00:00.000Z",
    ]);
  });

  it("5.6 a birthday of a year before the join, or before the birth year", () => {
    expect(bonusProblems(greg, birthday(2010, t("2011-01-03T09:00:00Z")), ava)).toEqual([
      "birthday of gregorian year 2010 falls before the member joined",
    ]);
    // Born 2011-06-15, joined long before (a date of birth given late is not the case here).
    const early = { joinedAt: t("2000-01-01T00:00:00Z"), birthDate: "2011-06-15" };
    expect(bonusProblems(greg, birthday(2010, t("2010-06-15T00:00:00Z")), early)).toEqual([
      "birthday of gregorian year 2010 falls before the member joined",
    ]);
    expect(bonusProblems(greg, birthday(2011, t("2011-06-15T00:00:00Z")), early)).toEqual([]);
  });

  it("5.6 a birthday on the join day counts and is dated at the join", () => {
    const joinedOnIt = { joinedAt: t("2011-06-15T09:00:00Z"), birthDate: "1985-06-15" };
    expect(bonusProblems(greg, birthday(2011, t("2011-06-15T09:00:00Z")), joinedOnIt)).toEqual([]);
    expect(bonusProblems(greg, birthday(2011, t("2011-06-15T00:00:00Z")), joinedOnIt)).toEqual([
      "birthday of gregorian year 2011 is dated 2011-06-15T00:00:00.000Z, it falls on 2011-06-15T09:00:00.000Z",
    ]);
    const joinedNextDay = { joinedAt: t("2011-06-16T00:00:00Z"), birthDate: "1985-06-15" };
    expect(bonusProblems(greg, birthday(2011, t("2011-06-16T00:00:00Z")), joinedNextDay)).toEqual([
      "birthday of gregorian year 2011 falls before the member joined",
    ]);
  });

  it("5.6 birthday points without a birth date; none checked when the date is sealed and unread", () => {
    const none = { joinedAt: ava.joinedAt, birthDate: undefined };
    expect(bonusProblems(greg, birthday(2011, t("2011-06-15T00:00:00Z")), none)).toEqual([
      "birthday points for a member without birthDate",
    ]);
    expect(
      bonusProblems(greg, birthday(2011, t("2011-06-15T00:00:00Z")), { ...none, birthDateUnreadable: true }),
    ).toEqual([]);
    expect(
      bonusProblems(greg, birthday(2011, t("2011-06-15T00:00:00Z")), { ...none, birthDateUnreadable: false }),
    ).toEqual(["birthday points for a member without birthDate"]);
  });

  it("5.6 only a birthday lot with a year is re-derived", () => {
    const none = { joinedAt: ava.joinedAt, birthDate: undefined };
    expect(bonusProblems(greg, lot({ reason: "birthday", points: 100 }), none)).toEqual([]);
    expect(bonusProblems(greg, lot({ reason: "signup", birthdayYear: 2011 }), none)).toEqual([]);
  });
});

describe("7 EARN_MISMATCH: purchase points (5.2)", () => {
  const spring = t("2011-03-05T10:00:00Z");

  it("5.2 the starting tier is the program's first level", () => {
    // Bronze x1; the spring campaign is for silver and gold only.
    expect(expectedPurchasePoints(greg, { amount: "100", at: spring, tierBefore: "" }).toFixed()).toBe("100");
    expect(expectedPurchasePoints(greg, { amount: "100", at: spring, tierBefore: "bronze" }).toFixed()).toBe(
      "100",
    );
    expect(expectedPurchasePoints(greg, { amount: "100", at: spring, tierBefore: "gold" }).toFixed()).toBe(
      "300",
    );
  });

  it("5.2 the expected points are core's purchasePoints at the tier the purchase was made in, to the digit", () => {
    const program = earnFactorPrograms(greg);
    const at = timesAroundCampaigns(greg);
    const tierBefore = fc.constantFrom("", "bronze", "silver", "gold", "platinum");
    fc.assert(
      fc.property(program, earnDecimal(), at, tierBefore, (p, amount, when, tier) => {
        const level = tier === "" ? (p.tiers.levels[0]?.id as string) : tier;
        const expected = purchasePoints(p, amount, when, level);
        const got = expectedPurchasePoints(p, { amount, at: when, tierBefore: tier });
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(got.eq(expected)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("5.2 a program whose first level is a campaign tier", () => {
    const p: Program = { ...greg, tiers: { ...greg.tiers, levels: greg.tiers.levels.slice(1) } };
    expect(expectedPurchasePoints(p, { amount: "100", at: spring, tierBefore: "" }).toFixed()).toBe("250");
  });
});

describe("7 TIER_MISMATCH (5.7)", () => {
  const bought = (amount: string, at: number, refund?: string): Purchase => ({
    purchaseId: `p-${at}`,
    amount,
    amountUnits: toUnits(amount),
    at,
    refunded: refund ?? "0",
    refundedUnits: refund ? toUnits(refund) : 0n,
    refunds: refund ? [{ refundId: `c-${at}`, amount: refund, units: toUnits(refund), at }] : [],
    earned: 0,
    clawed: 0,
  });
  const at = t("2011-03-05T10:00:00Z");
  const purchases = [bought("370.5", t("2011-01-20T12:00:00Z")), bought("700", at)];
  const up = {
    at,
    from: "silver",
    to: "gold",
    direction: "up" as const,
    metric: "1070.5",
    tierBefore: "silver",
    tierSince: t("2011-01-20T12:00:00Z"),
  };

  it("5.7 a move the program gives has no problem", () => {
    expect(tierProblems(greg, up, purchases)).toEqual([]);
  });

  it("5.7 from is compared with the starting tier only when the stored tier is the start", () => {
    expect(tierProblems(greg, { ...up, from: "bronze", tierBefore: "" }, purchases)).toEqual([]);
    expect(tierProblems(greg, { ...up, from: "silver", tierBefore: "" }, purchases)).toEqual([
      "from is silver, the member was in bronze",
    ]);
    // A known stored tier: its caller compares (tier-checks.ts).
    expect(tierProblems(greg, { ...up, from: "silver", tierBefore: "bronze" }, purchases)).toEqual([]);
  });

  it("5.7 a target that is no level", () => {
    expect(tierProblems(greg, { ...up, to: "platinum" }, purchases)).toEqual([
      "to names platinum, which is no level of the program",
      "to is platinum, the target at 2011-03-05T10:00:00.000Z is gold",
    ]);
  });

  it("5.7 a direction against the levels' order", () => {
    expect(tierProblems(greg, { ...up, direction: "down", tierSince: 0 }, purchases)).toEqual([
      "direction down does not match silver -> gold",
    ]);
    const down = { ...up, from: "gold", to: "silver", direction: "up" as const, metric: "370.5" };
    expect(tierProblems(greg, down, [purchases[0] as Purchase])).toEqual([
      "direction up does not match gold -> silver",
    ]);
  });

  it("5.7 a move down from the first level", () => {
    const fromBronze = { ...up, from: "bronze", to: "silver", direction: "down" as const, metric: "370.5" };
    expect(
      tierProblems(greg, { ...fromBronze, tierBefore: "bronze", tierSince: 0 }, [purchases[0] as Purchase]),
    ).toEqual(["direction down does not match bronze -> silver"]);
  });

  it("5.7 a move to the same level is no move up", () => {
    const same = { ...up, from: "gold", to: "gold", tierBefore: "gold" };
    expect(tierProblems(greg, same, purchases)).toEqual(["direction up does not match gold -> gold"]);
    expect(tierProblems(greg, { ...same, direction: "down", tierSince: 0 }, purchases)).toEqual([]);
  });

  it("5.7 a from that is no level: no direction to compare", () => {
    expect(tierProblems(greg, { ...up, from: "tin", direction: "down", tierSince: 0 }, purchases)).toEqual(
      [],
    );
  });

  it("5.7 a metric the purchases do not give, with its money text", () => {
    expect(tierProblems(greg, { ...up, metric: "1070.49" }, purchases)).toEqual([
      "metric is 1070.49, the purchases give 1070.5",
    ]);
    // No purchases: the metric is "0" (formatMoney), not "0.00".
    expect(
      tierProblems(greg, { ...up, to: "bronze", direction: "down", metric: "1", tierSince: 0 }, []),
    ).toEqual(["metric is 1, the purchases give 0"]);
  });

  it("5.7 a move to a level the metric does not reach", () => {
    expect(tierProblems(greg, { ...up, metric: "370.5" }, [purchases[0] as Purchase])).toEqual([
      "to is gold, the target at 2011-03-05T10:00:00.000Z is silver",
    ]);
  });

  it("5.7 a move down before tierSince + retentionDays, and at it", () => {
    const since = t("2011-03-05T10:00:00Z");
    const end = since + 60 * DAY;
    const down = {
      at: end,
      from: "gold",
      to: "bronze",
      direction: "down" as const,
      metric: "0",
      tierBefore: "gold",
      tierSince: since,
    };
    expect(tierProblems(greg, down, [])).toEqual([]);
    expect(tierProblems(greg, { ...down, at: end - 1 }, [])).toEqual([
      "move down before tierSince + retentionDays (2011-05-04T10:00:00.000Z)",
    ]);
    // A move up is not held by retention.
    expect(tierProblems(greg, { ...up, tierSince: at }, purchases)).toEqual([]);
  });
});
