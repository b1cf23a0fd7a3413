import {
  birthdayInYear,
  calendarYear,
  dateInCalendar,
  startOfCalendarYear,
  startOfUtcDay,
} from "./calendar.js";
import {
  Dec,
  formatMoney,
  programDec,
  programScaledInteger,
  roundTo,
  type ScaledInteger,
  scaledInteger,
  unitsToMoney,
} from "./money.js";
import { DAY_MS, parseTime } from "./primitives.js";
import type { Campaign, Program, TierLevel } from "./program.js";
import { type SpendWindow, setSpendWindow, spendWindowOf } from "./spend-window.js";
import type { MemberState, Purchase } from "./state.js";

// The arithmetic of the program (spec 3, 5.2, 5.6, 5.7), shared by the decider and the audit.

/** When a lot earned at `earnedAt` expires under the program's policy (spec 3), or null. */
export const expiresAtFor = (program: Program, earnedAt: number): number | null => {
  const policy = program.expiry;
  if (policy.policy === "never") return null;
  if (policy.policy === "rolling") return earnedAt + policy.days * DAY_MS;
  return startOfCalendarYear(program.calendar, calendarYear(program.calendar, earnedAt) + policy.years);
};

/** When a lot becomes available: purchases wait `pendingDays` (section 4). */
export const availableAtFor = (program: Program, reason: string, earnedAt: number): number =>
  reason === "purchase" ? earnedAt + program.earn.pendingDays * DAY_MS : earnedAt;

export const levelOf = (program: Program, tierId: string): TierLevel | undefined =>
  program.tiers.levels.find((l) => l.id === tierId);

/** Campaigns in force for a purchase at `at` by a member in `tier` (spec 3). */
export const campaignsFor = (program: Program, at: number, tier: string): Campaign[] =>
  (program.earn.campaigns ?? []).filter(
    (c) =>
      (parseTime(c.from) as number) <= at &&
      at < (parseTime(c.to) as number) &&
      (c.tiers === undefined || c.tiers.includes(tier)),
  );

/**
 * Points a purchase earns (spec 5.2): round once of
 * amount * pointsPerUnit * tierMultiplier * product(campaign multipliers).
 * A tier the program no longer has counts with multiplier 1.
 */
export const purchasePoints = (program: Program, amount: string, at: number, tier: string): Dec =>
  integerPurchasePoints(program, amount, at, tier) ?? decimalPurchasePoints(program, amount, at, tier);

const decimalPurchasePoints = (program: Program, amount: string, at: number, tier: string): Dec => {
  let value = new Dec(amount)
    .times(programDec(program.earn.pointsPerUnit))
    .times(programDec(levelOf(program, tier)?.multiplier ?? "1"));
  for (const c of campaignsFor(program, at, tier)) value = value.times(programDec(c.multiplier));
  return roundTo(value, program.earn.rounding);
};

/**
 * `purchasePoints` in safe integers (issue 11): every factor a plain decimal
 * and every product of their integers below 2^53 (so exact in doubles),
 * rounded by quotient and remainder; undefined otherwise (Decimal computes it).
 */
const integerPurchasePoints = (
  program: Program,
  amount: string,
  at: number,
  tier: string,
): Dec | undefined => {
  const first = scaledInteger(amount);
  if (first === undefined) return undefined;
  let n = first.n;
  let scale = first.scale;
  const times = (f: ScaledInteger | undefined): boolean => {
    if (f === undefined) return false;
    n *= f.n;
    scale += f.scale;
    return Number.isSafeInteger(n);
  };
  if (!times(programScaledInteger(program.earn.pointsPerUnit))) return undefined;
  if (!times(programScaledInteger(levelOf(program, tier)?.multiplier ?? "1"))) return undefined;
  for (const c of campaignsFor(program, at, tier))
    if (!times(programScaledInteger(c.multiplier))) return undefined;
  const unit = 10 ** scale;
  if (!Number.isSafeInteger(unit)) return undefined;
  const rest = n % unit;
  const whole = (n - rest) / unit;
  // roundTo: floor, ceil, else half-up (half away from zero; n is not negative).
  const rounding = program.earn.rounding;
  const up = rounding === "floor" ? false : rounding === "ceil" ? rest > 0 : 2 * rest >= unit;
  return new Dec(up ? whole + 1 : whole);
};

/** floor(amount * pointsPerUnit): what the `points` tier metric counts. */
export const basePoints = (program: Program, amount: string): Dec =>
  new Dec(amount).times(programDec(program.earn.pointsPerUnit)).floor();

/**
 * The purchases that can count in metric(t): a member's, newest first, from
 * the last at or before `t` back to the window's start, when they were
 * recorded in time order; otherwise all of them. The cost is the window's, not
 * the member's history (issue 11).
 */
export function* purchasesForMetric(program: Program, s: MemberState, t: number): Generator<Purchase> {
  if (!s.purchasesByTime) {
    yield* s.purchases.values();
    return;
  }
  const from = t - program.tiers.windowDays * DAY_MS;
  const order = s.purchaseOrder;
  for (let i = order.length - 1; i >= 0; i--) {
    const p = s.purchases.get(order[i] as string);
    if (p === undefined || p.at > t) continue;
    if (p.at <= from) return;
    yield p;
  }
}

/** metric(t) of spec 5.7 over the purchases with `at` in (t - windowDays, t]; exact (integer units). */
export const tierMetric = (program: Program, purchases: Iterable<Purchase>, t: number): Dec => {
  const from = t - program.tiers.windowDays * DAY_MS;
  if (program.tiers.metric === "spend") {
    // Doubles add integers exactly below 2^53; switch to BigInt only past that.
    let small = 0;
    let big = 0n;
    for (const p of purchases) {
      if (p.at <= from || p.at > t) continue;
      const net = p.refunds.length === 0 ? p.amountUnits : netUnitsAt(p, t);
      const n = Number(net);
      if (Number.isSafeInteger(n) && Number.isSafeInteger(small + n)) small += n;
      else big += net;
    }
    return new Dec(unitsToMoney(big + BigInt(small)));
  }
  let points = new Dec(0);
  for (const p of purchases) {
    if (p.at <= from || p.at > t) continue;
    // floor(basePoints * net / amount), exact in integers.
    const base = BigInt(basePoints(program, p.amount).toFixed());
    points = points.plus((base * netUnitsAt(p, t)) / p.amountUnits);
  }
  return points;
};

/**
 * metric(t) from the state's running spend sum when it is exactly that: every
 * purchase inside (t - windowDays, t] and no refund after `t`; otherwise
 * undefined (then `tierMetric` walks the purchases). Property test:
 * metric.unit.test.ts.
 */
export const spendMetricShortcut = (program: Program, s: MemberState, t: number): Dec | undefined =>
  program.tiers.metric === "spend" &&
  s.spendFirstAt > t - program.tiers.windowDays * DAY_MS &&
  s.spendLastAt <= t
    ? new Dec(unitsToMoney(s.spendUnits))
    : undefined;

/**
 * metric(t) from the running window sum when it is exactly that: purchases in
 * time order, no purchase or refund after `t`, and the window's start not
 * before the sum's; otherwise undefined. Walks only the purchases that left
 * the window since the sum's start (`advanceSpendWindow` moves it).
 */
export const spendWindowMetric = (program: Program, s: MemberState, t: number): Dec | undefined => {
  const from = t - program.tiers.windowDays * DAY_MS;
  if (program.tiers.metric !== "spend" || !s.purchasesByTime || s.spendLastAt > t) return undefined;
  const window = spendWindowOf(s);
  return from < window.from ? undefined : new Dec(unitsToMoney(leaveWindow(s, window, from).units));
};

/** Moves a working copy's window sum to start at `t - windowDays` (its own cache, never its state's). */
export const advanceSpendWindow = (program: Program, s: MemberState, t: number): void => {
  const from = t - program.tiers.windowDays * DAY_MS;
  if (program.tiers.metric !== "spend" || !s.purchasesByTime) return;
  const window = spendWindowOf(s);
  if (from > window.from) setSpendWindow(s, leaveWindow(s, window, from));
};

/** The window less the purchases at or before `from` (purchases in time order). */
const leaveWindow = (s: MemberState, window: SpendWindow, from: number): SpendWindow => {
  const order = s.purchaseOrder;
  let start = window.start;
  let units = window.units;
  for (; start < order.length; start++) {
    const p = s.purchases.get(order[start] as string) as Purchase;
    if (p.at > from) break;
    units -= p.amountUnits - p.refundedUnits;
  }
  return { start, from, units };
};

/** Net units of a purchase at `t`: refunds count at their own time. */
const netUnitsAt = (p: Purchase, t: number): bigint => {
  let net = p.amountUnits;
  for (const r of p.refunds) if (r.at <= t) net -= r.units;
  return net;
};

/** The highest level whose threshold is at most `metric`. */
export const targetLevel = (program: Program, metric: Dec): TierLevel => {
  let target = program.tiers.levels[0] as TierLevel;
  for (const l of program.tiers.levels) if (metric.gte(programDec(l.threshold))) target = l;
  return target;
};

export interface TierMove {
  from: string;
  to: string;
  direction: "up" | "down";
  metric: string;
}

/** Tier evaluation of spec 5.7 at `t`, or null when the tier stays. */
export const evaluateTier = (program: Program, state: MemberState, t: number): TierMove | null => {
  const metric =
    spendMetricShortcut(program, state, t) ??
    spendWindowMetric(program, state, t) ??
    tierMetric(program, purchasesForMetric(program, state, t), t);
  const target = targetLevel(program, metric);
  const levels = program.tiers.levels;
  const current = levels.findIndex((l) => l.id === state.tier);
  const wanted = levels.indexOf(target);
  if (wanted > current)
    return { from: state.tier, to: target.id, direction: "up", metric: formatMoney(metric) };
  if (wanted < current && t >= state.tierSince + program.tiers.retentionDays * DAY_MS)
    return { from: state.tier, to: target.id, direction: "down", metric: formatMoney(metric) };
  return null;
};

/** Birthdays due at `now` and not paid yet (spec 5.6): [{year, at}] in time order. */
export const dueBirthdays = (
  program: Program,
  state: MemberState,
  now: number,
): { year: number; at: number }[] => {
  // The birth date in force as it can be read: none after `forget` (club-v1 §6).
  const { birthDate, birthDateGivenAt } = state.profile;
  if (program.earn.birthdayBonus <= 0 || birthDate === undefined) return [];
  // Counted from the day it was given: the join, or the update-profile that gave it (club-v1 §10 "Due times").
  const givenAt = birthDateGivenAt ?? state.joinedAt;
  const cal = program.calendar;
  const birth = dateInCalendar(cal, birthDate);
  const fromDay = startOfUtcDay(givenAt);
  const due: { year: number; at: number }[] = [];
  for (let year = Math.max(birth.year, calendarYear(cal, fromDay)); ; year++) {
    const b = birthdayInYear(cal, birth, year);
    if (b > now) break;
    if (b >= fromDay && !state.birthdaysPaid.has(year)) due.push({ year, at: Math.max(b, givenAt) });
  }
  return due;
};
