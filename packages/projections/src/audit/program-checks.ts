import {
  availableAtFor,
  birthdayInYear,
  DAY_MS,
  type Dec,
  dateInCalendar,
  type EarnReason,
  expiresAtFor,
  formatMoney,
  type Program,
  type Purchase,
  purchasePoints,
  startOfUtcDay,
  type TierLevel,
  targetLevel,
  tierMetric,
  toIso,
} from "@vafa/core";

// The checks that need the program in force (spec 7 EARN_MISMATCH and
// TIER_MISMATCH). Each returns the problems it found; the caller reports them.

const iso = (ms: number | null): string => (ms === null ? "never" : toIso(ms));

/** "" stands for the member's starting tier: the first level of the program in force (5.1; a program has one). */
const resolveTier = (program: Program, tier: string): string =>
  tier === "" ? (program.tiers.levels[0] as TierLevel).id : tier;

export interface LotFact {
  reason: EarnReason;
  points: number;
  occurredAt: number;
  availableAt: number;
  expiresAt: number | null;
  birthdayYear?: number;
}

/** availableAt and expiresAt of any lot (section 4 and spec 3 expiry policies). */
export const lotTimeProblems = (program: Program, lot: LotFact): string[] => {
  const problems: string[] = [];
  const availableAt = availableAtFor(program, lot.reason, lot.occurredAt);
  if (lot.availableAt !== availableAt)
    problems.push(`availableAt is ${iso(lot.availableAt)}, the program gives ${iso(availableAt)}`);
  const expiresAt = expiresAtFor(program, lot.occurredAt);
  if (lot.expiresAt !== expiresAt)
    problems.push(`expiresAt is ${iso(lot.expiresAt)}, the program gives ${iso(expiresAt)}`);
  return problems;
};

/** A bonus lot (signup, referral, birthday): its points and, for a birthday, its date (5.1, 5.2, 5.6). */
export const bonusProblems = (
  program: Program,
  lot: LotFact,
  /**
   * `joinedAt`: when the birth date in force was given (the join, or the
   * update-profile that gave it: club-v1 §10 "Due times"). With
   * `birthDateUnreadable` (sealed, no key) the date is not re-derived.
   */
  member: { joinedAt: number; birthDate: string | undefined; birthDateUnreadable?: boolean },
): string[] => {
  const problems = lotTimeProblems(program, lot);
  const bonus =
    lot.reason === "signup"
      ? program.earn.signupBonus
      : lot.reason === "referral"
        ? program.earn.referralBonus
        : lot.reason === "birthday"
          ? program.earn.birthdayBonus
          : undefined;
  if (bonus !== undefined && lot.points !== bonus)
    problems.push(`${lot.reason} bonus of ${lot.points} points, the program gives ${bonus}`);
  if (lot.reason === "birthday" && lot.birthdayYear !== undefined && member.birthDateUnreadable !== true) {
    if (member.birthDate === undefined) problems.push("birthday points for a member without birthDate");
    else {
      const cal = program.calendar;
      const birth = dateInCalendar(cal, member.birthDate);
      const b = birthdayInYear(cal, birth, lot.birthdayYear);
      const joinDay = startOfUtcDay(member.joinedAt);
      if (lot.birthdayYear < birth.year || b < joinDay)
        problems.push(`birthday of ${cal} year ${lot.birthdayYear} falls before the member joined`);
      else if (lot.occurredAt !== Math.max(b, member.joinedAt))
        problems.push(
          `birthday of ${cal} year ${lot.birthdayYear} is dated ${iso(lot.occurredAt)}, it falls on ${iso(Math.max(b, member.joinedAt))}`,
        );
    }
  }
  return problems;
};

export interface PurchaseFact {
  amount: string;
  at: number;
  /** Stored tier before the purchase; "" = starting tier. */
  tierBefore: string;
}

/** Points of a purchase by 5.2 (a decimal: it may exceed a safe integer). */
export const expectedPurchasePoints = (program: Program, p: PurchaseFact): Dec =>
  purchasePoints(program, p.amount, p.at, resolveTier(program, p.tierBefore));

export interface TierFact {
  at: number;
  from: string;
  to: string;
  direction: "up" | "down";
  metric: string;
  /** Stored tier and tierSince before the change. */
  tierBefore: string;
  tierSince: number;
}

/** A TierChanged against 5.7: from, direction, metric, target and retention. */
export const tierProblems = (program: Program, fact: TierFact, purchases: Iterable<Purchase>): string[] => {
  const problems: string[] = [];
  const levels = program.tiers.levels;
  const current = resolveTier(program, fact.tierBefore);
  // A known stored tier is compared without the program (the caller does it).
  if (fact.tierBefore === "" && fact.from !== current)
    problems.push(`from is ${fact.from}, the member was in ${current}`);
  const fromIndex = levels.findIndex((l) => l.id === fact.from);
  const toIndex = levels.findIndex((l) => l.id === fact.to);
  if (toIndex < 0) problems.push(`to names ${fact.to}, which is no level of the program`);
  else if (fromIndex >= 0 && (fact.direction === "up") !== toIndex > fromIndex)
    problems.push(`direction ${fact.direction} does not match ${fact.from} -> ${fact.to}`);
  const metric = tierMetric(program, purchases, fact.at);
  if (!metric.eq(fact.metric))
    problems.push(`metric is ${fact.metric}, the purchases give ${formatMoney(metric)}`);
  const target = targetLevel(program, metric);
  if (fact.to !== target.id) problems.push(`to is ${fact.to}, the target at ${iso(fact.at)} is ${target.id}`);
  const retentionEnd = fact.tierSince + program.tiers.retentionDays * DAY_MS;
  if (fact.direction === "down" && fact.at < retentionEnd)
    problems.push(`move down before tierSince + retentionDays (${iso(retentionEnd)})`);
  return problems;
};
