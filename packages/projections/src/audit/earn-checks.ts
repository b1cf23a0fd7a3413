import { debtRepaid, type EarnReason, type MemberState, type ProposedEvent } from "@vafa/core";
import { timeMs } from "./envelope-schema.js";
import type { EventLocation, Findings } from "./findings.js";
import { repeated, reportProblems } from "./member-findings.js";
import {
  expectedPurchasePoints,
  type LotFact,
  lotTimeProblems,
  type PurchaseFact,
} from "./program-checks.js";
import type { ProgramBook } from "./programs.js";

// PointsEarned re-derived (spec 4, 5.2): its fields, its debt repayment,
// a purchase's points and a bonus paid once.

type EarnedData = ProposedEvent<"PointsEarned">["data"];

// Which optional PointsEarned fields each reason carries (section 4).
const EARN_FIELDS: Record<EarnReason, readonly string[]> = {
  purchase: ["purchaseId"],
  signup: [],
  birthday: ["birthdayYear"],
  referral: ["refereeId"],
  adjustment: ["adjustmentId", "actor", "note"],
  draw: ["drawId", "rank"],
};
const OPTIONAL_EARN_FIELDS = [
  "purchaseId",
  "refereeId",
  "birthdayYear",
  "adjustmentId",
  "actor",
  "note",
  "drawId",
  "rank",
] as const;

/** A purchase whose lot (or none) has not been seen yet. */
export interface AwaitingLot extends PurchaseFact {
  purchaseId: string;
  loc: EventLocation;
  programId: string;
  programVersion: number;
}

// A time that passed its schema: `timeMs` reads the digits of the usual form.
const ms = timeMs;

/** What the program checks read of a lot. */
export const lotFactOf = (d: EarnedData, now: number): LotFact => ({
  reason: d.reason,
  points: d.points,
  occurredAt: now,
  availableAt: ms(d.availableAt),
  expiresAt: d.expiresAt === null ? null : ms(d.expiresAt),
  ...(d.birthdayYear !== undefined ? { birthdayYear: d.birthdayYear } : {}),
});

/** A PurchaseRecorded, awaiting the lot that must follow it. */
export const awaitingLotOf = (
  e: ProposedEvent<"PurchaseRecorded">,
  tierBefore: string,
  loc: EventLocation,
  now: number,
): AwaitingLot => ({
  purchaseId: e.data.purchaseId,
  amount: e.data.amount,
  at: now,
  tierBefore,
  loc,
  programId: e.metadata.programId,
  programVersion: e.metadata.programVersion,
});

/** Purchase points that do not follow their purchase at once. */
export const reportStrayPurchaseLot = (
  findings: Findings,
  s: MemberState,
  d: EarnedData,
  loc: EventLocation,
): void => {
  const why = d.purchaseId !== undefined && s.purchases.has(d.purchaseId) ? "apart from" : "without";
  findings.at(loc, "EARN_MISMATCH", `purchase points recorded ${why} purchase ${d.purchaseId ?? ""}`);
};

/** The optional fields the lot's reason asks for, and its debtRepaid (5.4). */
export const checkEarnFields = (
  findings: Findings,
  d: EarnedData,
  debt: number,
  loc: EventLocation,
): void => {
  const wanted = EARN_FIELDS[d.reason];
  // Both lists follow OPTIONAL_EARN_FIELDS' order: the same length and every wanted field present is the same list.
  let count = 0;
  for (const k of OPTIONAL_EARN_FIELDS) if (d[k] !== undefined) count++;
  let same = count === wanted.length;
  for (const k of wanted) if (d[k as keyof EarnedData] === undefined) same = false;
  if (!same) {
    const present = OPTIONAL_EARN_FIELDS.filter((k) => d[k] !== undefined);
    findings.at(
      loc,
      "SCHEMA",
      `a ${d.reason} lot carries ${present.join(", ") || "no optional field"}; it must carry ${wanted.join(", ") || "none"}`,
    );
  }
  const repaid = debtRepaid(d.points, debt);
  if (d.debtRepaid !== repaid)
    findings.at(loc, "ALLOCATION", `debtRepaid is ${d.debtRepaid}, the debt asks for ${repaid}`);
};

/** A bonus paid twice (a birthday year, a referee, the signup, an adjustment id). */
export const checkBonusRepeats = (
  findings: Findings,
  s: MemberState,
  d: EarnedData,
  signupPaid: boolean,
  loc: EventLocation,
): void => {
  // A field left out (SCHEMA, checkEarnFields) is never in the set.
  if (d.reason === "birthday" && s.birthdaysPaid.has(d.birthdayYear as number))
    findings.at(loc, "EARN_MISMATCH", `a second birthday for year ${d.birthdayYear}`);
  if (d.reason === "referral" && s.referralsPaid.has(d.refereeId as string))
    findings.at(loc, "EARN_MISMATCH", `a second referral bonus for referee ${d.refereeId}`);
  if (d.reason === "signup" && signupPaid) findings.at(loc, "EARN_MISMATCH", "a second signup bonus");
  if (d.reason === "adjustment" && s.adjustments.has(d.adjustmentId as string))
    repeated(findings, loc, "adjustmentId", d.adjustmentId as string);
};

/** The purchase's points against 5.2 once we know whether it recorded a lot. */
export const checkPurchaseLot = (
  findings: Findings,
  programs: ProgramBook,
  awaiting: AwaitingLot,
  lot: { fact: LotFact; loc: EventLocation } | null,
): void => {
  // reportProblems turns a check that throws into a finding, where the check points.
  programs.withProgram(awaiting.programId, awaiting.programVersion, awaiting.loc, (program) => {
    if (!lot) {
      reportProblems(findings, awaiting.loc, "EARN_MISMATCH", () => {
        const expected = expectedPurchasePoints(program, awaiting);
        return expected.gt(0)
          ? [
              `purchase ${awaiting.purchaseId} should have earned ${expected.toFixed()} points and earned none`,
            ]
          : [];
      });
      return;
    }
    reportProblems(findings, lot.loc, "EARN_MISMATCH", () => {
      const expected = expectedPurchasePoints(program, awaiting);
      const problems = expected.eq(lot.fact.points)
        ? []
        : [
            `purchase ${awaiting.purchaseId} earned ${lot.fact.points} points, 5.2 gives ${expected.toFixed()}`,
          ];
      return [...problems, ...lotTimeProblems(program, lot.fact)];
    });
  });
};
