import {
  type Allocation,
  allocate,
  clawbackLots,
  clawbackPoints,
  Dec,
  type MemberState,
  type ProposedEvent,
} from "@vafa/core";
import type { EventLocation, Findings } from "./findings.js";
import { repeated } from "./member-findings.js";

// Refunds and their clawbacks (spec 5.3): the points a refund calls for, and
// the PointsClawedBack that must follow it at once.

/** A refund whose clawback has not been seen yet. */
export interface PendingRefund {
  purchaseId: string;
  refundId: string;
  points: number;
  loc: EventLocation;
}

/** PurchaseRefunded against its purchase; returns the clawback it calls for, if any. */
export const checkRefund = (
  findings: Findings,
  s: MemberState,
  d: ProposedEvent<"PurchaseRefunded">["data"],
  loc: EventLocation,
): PendingRefund | null => {
  let pending: PendingRefund | null = null;
  if (s.refunds.has(d.refundId)) repeated(findings, loc, "refundId", d.refundId);
  const p = s.purchases.get(d.purchaseId);
  if (!p) {
    findings.at(loc, "CLAWBACK_MISMATCH", `refund ${d.refundId} of unknown purchase ${d.purchaseId}`);
  } else {
    const left = new Dec(p.amount).minus(p.refunded);
    if (new Dec(d.amount).lte(0) || new Dec(d.amount).gt(left))
      findings.at(
        loc,
        "CLAWBACK_MISMATCH",
        `refund of ${d.amount} where ${left.toFixed()} of purchase ${d.purchaseId} is left to refund`,
      );
    // Cumulative rule of 5.3 on the points the purchase lot earned.
    const points = clawbackPoints(p, new Dec(p.refunded).plus(d.amount));
    if (points > 0) pending = { purchaseId: d.purchaseId, refundId: d.refundId, points, loc };
  }
  return pending;
};

export const reportMissingClawback = (findings: Findings, pending: PendingRefund): void => {
  findings.at(
    pending.loc,
    "CLAWBACK_MISMATCH",
    `refund ${pending.refundId} should claw back ${pending.points} points and no clawback follows`,
  );
};

/** A PointsClawedBack that follows its refund, against 5.3. */
export const clawbackProblems = (
  s: MemberState,
  d: ProposedEvent<"PointsClawedBack">["data"],
  pending: PendingRefund,
  now: number,
): string[] => {
  const expected = clawbackPlan(s, d.purchaseId, pending.points, now);
  const problems: string[] = [];
  if (d.points !== pending.points) problems.push(`takes ${d.points} points, 5.3 gives ${pending.points}`);
  const got = d.allocations.map((a) => `${a.lotId}:${a.points}`).join(",");
  const want = expected.allocations.map((a) => `${a.lotId}:${a.points}`).join(",");
  if (got !== want) problems.push(`allocations [${got}], 5.3 gives [${want}]`);
  if (d.debtIncurred !== expected.debt)
    problems.push(`debtIncurred is ${d.debtIncurred}, 5.3 gives ${expected.debt}`);
  return problems;
};

/** 5.3 with core's lot arithmetic: the purchase's own lot first, then other non-expired lots FIFO, the rest debt. */
const clawbackPlan = (
  s: MemberState,
  purchaseId: string,
  points: number,
  now: number,
): { allocations: Allocation[]; debt: number } => {
  const { allocations, rest } = allocate(clawbackLots(s, s.purchases.get(purchaseId)?.lotId, now), points);
  return { allocations, debt: rest };
};
