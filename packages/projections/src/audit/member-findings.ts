import { type Allocation, toIso } from "@vafa/core";
import type { EventLocation, Findings } from "./findings.js";

// Small helpers shared by the checks of one member stream (member-audit.ts).

export const iso = (ms: number | null): string => (ms === null ? "never" : toIso(ms));
export const sum = (allocations: readonly Allocation[]): number =>
  allocations.reduce((s, a) => s + a.points, 0);

/**
 * `new Dec(amount).gt(0)` of an amount that passed the money schema
 * (MONEY_PATTERN: plain digits, no sign or exponent): some digit is not 0.
 */
export const isPositiveMoney = (amount: string): boolean => /[1-9]/.test(amount);

/** An id that must be unique in the stream appears again. */
export const repeated = (findings: Findings, loc: EventLocation, field: string, id: string): void => {
  findings.at(loc, "SCHEMA", `${field} ${id} repeats in the stream`);
};

/** Runs a program check; a check that throws (bad data) is itself a finding. */
export const reportProblems = (
  findings: Findings,
  loc: EventLocation,
  code: "EARN_MISMATCH" | "TIER_MISMATCH",
  check: () => string[],
): void => {
  let problems: string[];
  try {
    problems = check();
  } catch (error) {
    problems = [`could not be checked: ${error instanceof Error ? error.message : String(error)}`];
  }
  if (problems.length > 0) findings.at(loc, code, problems.join("; "));
};
