import {
  type Allocation,
  allocate,
  applyMemberEvent,
  availablePoints,
  clawbackLots,
  clawbackPoints,
  Dec,
  debtRepaid,
  initialMemberState,
  isExpired,
  isPending,
  type Lot,
  type MemberState,
  type ProposedEvent,
  type Purchase,
  toIso,
} from "@vafa/core";
import type { EventLocation, Findings } from "./findings.js";
import {
  bonusProblems,
  expectedPurchasePoints,
  type LotFact,
  lotTimeProblems,
  type PurchaseFact,
  tierProblems,
} from "./program-checks.js";
import type { ProgramBook } from "./programs.js";
import type { RedemptionFact } from "./reward-audit.js";

type Ev<T extends ProposedEvent["type"]> = ProposedEvent<T>;

const iso = (ms: number | null): string => (ms === null ? "never" : toIso(ms));
const sum = (allocations: readonly Allocation[]): number => allocations.reduce((s, a) => s + a.points, 0);
const ms = (text: string): number => Date.parse(text);

// Which optional PointsEarned fields each reason carries (section 4).
const EARN_FIELDS: Record<string, readonly string[]> = {
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

interface AwaitingLot extends PurchaseFact {
  purchaseId: string;
  loc: EventLocation;
  programId: string;
  programVersion: number;
}

interface PendingRefund {
  purchaseId: string;
  refundId: string;
  points: number;
  loc: EventLocation;
}

/**
 * Replays one member stream (spec 4, 5) and checks each event against the
 * state before it (spec 7). The state is the one of `@vafa/core` evolve, fed
 * the events as recorded, so each error is reported once, where it happens.
 */
export class MemberAudit {
  private readonly state: MemberState;
  private readonly lots = new Map<string, Lot>();
  /** Lots holding points that will expire: the only ones the expiry check looks at. */
  private readonly live = new Set<Lot>();
  /** Lots already reported as holding points past their expiry. */
  private readonly flagged = new Set<Lot>();
  /** Expired lots that a reversal just gave points back to, with the reversal's time (5.5). */
  private readonly returnedExpired = new Map<Lot, number>();
  private readonly purchaseRevision = new Map<string, number>();
  private readonly refundRevision = new Map<string, number>();
  private signupPaid = false;
  private beforeJoinReported = false;
  private awaitingLot: AwaitingLot | null = null;
  private pendingRefund: PendingRefund | null = null;

  constructor(
    streamId: string,
    private readonly findings: Findings,
    private readonly programs: ProgramBook,
  ) {
    // "" is the starting tier: the first level of whatever program is in force.
    this.state = initialMemberState(streamId, "");
  }

  /** Checks then applies one event whose envelope and data passed their schemas. */
  apply(e: ProposedEvent, loc: EventLocation): void {
    const now = ms(e.occurredAt);
    const s = this.state;
    if (!s.joined && e.type !== "MemberJoined" && !this.beforeJoinReported) {
      this.beforeJoinReported = true;
      this.findings.at(loc, "SCHEMA", `${e.type} before the stream's MemberJoined`);
    }
    if (
      this.awaitingLot &&
      !(e.type === "PointsEarned" && this.isLotOf(e as Ev<"PointsEarned">, this.awaitingLot))
    )
      this.closePurchase(null);
    if (this.pendingRefund && e.type !== "PointsClawedBack") this.missingClawback();
    if (e.type !== "PointsExpired") this.checkNothingPastExpiry(now, loc, e.type);

    switch (e.type) {
      case "MemberJoined":
        this.joined(e as Ev<"MemberJoined">, loc);
        return;
      case "PurchaseRecorded":
        this.purchase(e as Ev<"PurchaseRecorded">, loc, now);
        return;
      case "PurchaseRefunded":
        this.refund(e as Ev<"PurchaseRefunded">, loc);
        return;
      case "PointsEarned":
        this.earned(e as Ev<"PointsEarned">, loc, now);
        return;
      case "PointsRedeemed":
        this.redeemed(e as Ev<"PointsRedeemed">, loc, now);
        return;
      case "RedemptionReversed":
        this.reversed(e as Ev<"RedemptionReversed">, loc, now);
        return;
      case "PointsClawedBack":
        this.clawedBack(e as Ev<"PointsClawedBack">, loc, now);
        return;
      case "PointsDebited":
        this.debited(e as Ev<"PointsDebited">, loc, now);
        return;
      case "PointsExpired":
        this.expired(e as Ev<"PointsExpired">, loc, now);
        return;
      case "TierChanged":
        this.tierChanged(e as Ev<"TierChanged">, loc, now);
        return;
      case "FeedbackSubmitted": {
        const d = (e as Ev<"FeedbackSubmitted">).data;
        if (s.feedback.has(d.feedbackId)) this.repeated(loc, "feedbackId", d.feedbackId);
        this.evolve(e);
        return;
      }
      case "CouponIssued":
      case "CouponUsed":
      case "CouponVoided":
        this.coupon(e, loc, now);
        return;
      case "DrawEntered": {
        // Paid like a redemption (club spec §3); tickets and winners are checked by the DrawBook.
        const d = (e as Ev<"DrawEntered">).data;
        if (s.drawEntries.has(d.entryId)) this.repeated(loc, "entryId", d.entryId);
        this.checkDebit(d.points, d.allocations, loc, now, `draw entry ${d.entryId}`);
        this.evolve(e);
        this.touchAll(d.allocations);
        return;
      }
      case "DrawWon":
        this.evolve(e);
        return;
      case "ProgramPublished":
      case "DrawHeld":
      case "RewardClaimed":
      case "RewardReleased":
        return; // reported by the caller: wrong kind of stream
    }
  }

  /** End of the log: what a command should have appended after the last event. */
  finish(): void {
    if (this.awaitingLot) this.closePurchase(null);
    if (this.pendingRefund) this.missingClawback();
  }

  // --- per event type ---------------------------------------------------

  private joined(e: Ev<"MemberJoined">, loc: EventLocation): void {
    if (this.state.joined) {
      this.findings.at(loc, "SCHEMA", "a second MemberJoined in the stream");
      return;
    }
    if (`member-${e.data.memberId}` !== this.state.streamId)
      this.findings.at(loc, "SCHEMA", `MemberJoined of ${e.data.memberId} in stream ${this.state.streamId}`);
    this.evolve(e);
  }

  private purchase(e: Ev<"PurchaseRecorded">, loc: EventLocation, now: number): void {
    const d = e.data;
    if (this.state.purchases.has(d.purchaseId)) {
      this.repeated(loc, "purchaseId", d.purchaseId);
      return;
    }
    if (new Dec(d.amount).lte(0)) this.findings.at(loc, "SCHEMA", "purchase amount must be greater than 0");
    this.awaitingLot = {
      purchaseId: d.purchaseId,
      amount: d.amount,
      at: now,
      tierBefore: this.state.tier,
      loc,
      programId: e.metadata.programId,
      programVersion: e.metadata.programVersion,
    };
    this.purchaseRevision.set(d.purchaseId, e.revision);
    this.evolve(e);
  }

  private refund(e: Ev<"PurchaseRefunded">, loc: EventLocation): void {
    const d = e.data;
    const s = this.state;
    if (s.refunds.has(d.refundId)) this.repeated(loc, "refundId", d.refundId);
    const p = s.purchases.get(d.purchaseId);
    if (!p) {
      this.findings.at(loc, "CLAWBACK_MISMATCH", `refund ${d.refundId} of unknown purchase ${d.purchaseId}`);
    } else {
      const left = new Dec(p.amount).minus(p.refunded);
      if (new Dec(d.amount).lte(0) || new Dec(d.amount).gt(left))
        this.findings.at(
          loc,
          "CLAWBACK_MISMATCH",
          `refund of ${d.amount} where ${left.toFixed()} of purchase ${d.purchaseId} is left to refund`,
        );
      // Cumulative rule of 5.3 on the points the purchase lot earned.
      const points = clawbackPoints(p, new Dec(p.refunded).plus(d.amount));
      if (points > 0) this.pendingRefund = { purchaseId: d.purchaseId, refundId: d.refundId, points, loc };
    }
    this.refundRevision.set(d.refundId, e.revision);
    this.evolve(e);
  }

  private earned(e: Ev<"PointsEarned">, loc: EventLocation, now: number): void {
    const d = e.data;
    const s = this.state;
    if (d.lotId !== e.eventId) this.findings.at(loc, "SCHEMA", `lotId ${d.lotId} is not the event's eventId`);
    if (this.lots.has(d.lotId)) {
      this.repeated(loc, "lotId", d.lotId);
      return;
    }
    const wanted = EARN_FIELDS[d.reason] ?? [];
    const present = OPTIONAL_EARN_FIELDS.filter((k) => d[k] !== undefined);
    if (present.join() !== wanted.join())
      this.findings.at(
        loc,
        "SCHEMA",
        `a ${d.reason} lot carries ${present.join(", ") || "no optional field"}; it must carry ${wanted.join(", ") || "none"}`,
      );
    const repaid = debtRepaid(d.points, s.debt);
    if (d.debtRepaid !== repaid)
      this.findings.at(loc, "ALLOCATION", `debtRepaid is ${d.debtRepaid}, the debt asks for ${repaid}`);

    const fact: LotFact = {
      reason: d.reason,
      points: d.points,
      occurredAt: now,
      availableAt: ms(d.availableAt),
      expiresAt: d.expiresAt === null ? null : ms(d.expiresAt),
      ...(d.birthdayYear !== undefined ? { birthdayYear: d.birthdayYear } : {}),
    };
    const meta = e.metadata;
    if (d.reason === "purchase") {
      const awaiting = this.awaitingLot;
      if (awaiting && this.isLotOf(e, awaiting)) {
        this.awaitingLot = null;
        this.closePurchase({ fact, loc }, awaiting);
      } else {
        const why = d.purchaseId !== undefined && s.purchases.has(d.purchaseId) ? "apart from" : "without";
        this.findings.at(
          loc,
          "EARN_MISMATCH",
          `purchase points recorded ${why} purchase ${d.purchaseId ?? ""}`,
        );
      }
    } else {
      if (d.reason === "birthday" && d.birthdayYear !== undefined && s.birthdaysPaid.has(d.birthdayYear))
        this.findings.at(loc, "EARN_MISMATCH", `a second birthday for year ${d.birthdayYear}`);
      if (d.reason === "referral" && d.refereeId !== undefined && s.referralsPaid.has(d.refereeId))
        this.findings.at(loc, "EARN_MISMATCH", `a second referral bonus for referee ${d.refereeId}`);
      if (d.reason === "signup" && this.signupPaid)
        this.findings.at(loc, "EARN_MISMATCH", "a second signup bonus");
      if (d.reason === "adjustment" && d.adjustmentId !== undefined && s.adjustments.has(d.adjustmentId))
        this.repeated(loc, "adjustmentId", d.adjustmentId);
      if (d.reason === "signup") this.signupPaid = true;
      const member = { joinedAt: s.joinedAt, birthDate: s.joined?.birthDate };
      this.programs.withProgram(meta.programId, meta.programVersion, loc, (program) =>
        this.report(loc, "EARN_MISMATCH", () => bonusProblems(program, fact, member)),
      );
    }
    this.evolve(e);
    const lot = s.lots[s.lots.length - 1] as Lot;
    this.lots.set(lot.lotId, lot);
    this.touch(lot);
  }

  /** club-v1 §2 coupons: issued by a reward redemption, used once while valid, voided by its reversal. */
  private coupon(e: ProposedEvent, loc: EventLocation, now: number): void {
    const s = this.state;
    if (e.type === "CouponIssued") {
      const d = (e as Ev<"CouponIssued">).data;
      const r = s.redemptions.get(d.couponId);
      if (s.coupons.has(d.couponId)) this.repeated(loc, "couponId", d.couponId);
      else if (!r || r.rewardId !== d.rewardId || s.lastCommand.id !== `redeem:${d.couponId}`)
        this.findings.at(
          loc,
          "COUPON_MISMATCH",
          `coupon ${d.couponId} does not follow its redemption of ${d.rewardId}`,
        );
      else if (Date.parse(d.validUntil) <= now)
        this.findings.at(
          loc,
          "COUPON_MISMATCH",
          `coupon ${d.couponId} is valid until ${d.validUntil}, not after its issue`,
        );
    } else if (e.type === "CouponUsed") {
      const d = (e as Ev<"CouponUsed">).data;
      const c = s.coupons.get(d.couponId);
      const problem = !c
        ? "no such coupon was issued"
        : c.usedAt !== undefined
          ? "it was already used"
          : c.voidedAt !== undefined
            ? "it was voided"
            : now >= c.validUntil
              ? `it expired at ${iso(c.validUntil)}`
              : s.redemptions.get(d.couponId)?.reversedAt !== undefined
                ? "its redemption was reversed"
                : undefined;
      if (problem) this.findings.at(loc, "COUPON_MISMATCH", `use of coupon ${d.couponId}: ${problem}`);
    } else {
      const d = (e as Ev<"CouponVoided">).data;
      const c = s.coupons.get(d.couponId);
      const problem = !c
        ? "no such coupon was issued"
        : c.usedAt !== undefined
          ? "it was used"
          : c.voidedAt !== undefined
            ? "it was already voided"
            : s.redemptions.get(d.couponId)?.reversedAt === undefined
              ? "its redemption stands"
              : undefined;
      if (problem) this.findings.at(loc, "COUPON_MISMATCH", `void of coupon ${d.couponId}: ${problem}`);
    }
    this.evolve(e);
  }

  /** Reward redemptions of this member (club-v1 §2), for the stock checks across streams. */
  readonly rewardRedemptions = new Map<string, RedemptionFact>();

  private redeemed(e: Ev<"PointsRedeemed">, loc: EventLocation, now: number): void {
    const d = e.data;
    if (d.rewardId !== undefined && !this.rewardRedemptions.has(d.redemptionId))
      this.rewardRedemptions.set(d.redemptionId, {
        rewardId: d.rewardId,
        reversedAt: undefined,
        programId: e.metadata.programId,
        programVersion: e.metadata.programVersion,
        loc,
      });
    if (this.state.redemptions.has(d.redemptionId)) this.repeated(loc, "redemptionId", d.redemptionId);
    this.checkDebit(d.points, d.allocations, loc, now, `redemption ${d.redemptionId}`);
    this.evolve(e);
    this.touchAll(d.allocations);
  }

  private debited(e: Ev<"PointsDebited">, loc: EventLocation, now: number): void {
    const d = e.data;
    if (this.state.adjustments.has(d.adjustmentId)) this.repeated(loc, "adjustmentId", d.adjustmentId);
    this.checkDebit(d.points, d.allocations, loc, now, `debit ${d.adjustmentId}`);
    this.evolve(e);
    this.touchAll(d.allocations);
  }

  private reversed(e: Ev<"RedemptionReversed">, loc: EventLocation, now: number): void {
    const d = e.data;
    const fact = this.rewardRedemptions.get(d.redemptionId);
    if (fact && fact.reversedAt === undefined) fact.reversedAt = now;
    const s = this.state;
    const r = s.redemptions.get(d.redemptionId);
    if (!r) this.findings.at(loc, "ALLOCATION", `reversal of unknown redemption ${d.redemptionId}`);
    else if (r.reversedAt !== undefined)
      this.findings.at(loc, "ALLOCATION", `redemption ${d.redemptionId} was already reversed`);
    else {
      const same =
        r.points === d.points &&
        r.allocations.length === d.allocations.length &&
        r.allocations.every(
          (a, i) => a.lotId === d.allocations[i]?.lotId && a.points === d.allocations[i]?.points,
        );
      if (!same)
        this.findings.at(
          loc,
          "ALLOCATION",
          `reversal of ${d.redemptionId} does not give back exactly what it took (${r.points} points from ${r.allocations.length} lots)`,
        );
    }
    if (sum(d.allocations) !== d.points)
      this.findings.at(loc, "ALLOCATION", `allocations sum to ${sum(d.allocations)}, not ${d.points}`);
    const repaid = debtRepaid(d.points, s.debt);
    if (d.debtRepaid !== repaid)
      this.findings.at(loc, "ALLOCATION", `debtRepaid is ${d.debtRepaid}, the debt asks for ${repaid}`);
    for (const a of d.allocations)
      if (!this.lots.has(a.lotId))
        this.findings.at(loc, "ALLOCATION", `allocation names unknown lot ${a.lotId}`);
    this.evolve(e);
    for (const a of d.allocations) {
      const lot = this.lots.get(a.lotId);
      if (!lot) continue;
      this.touch(lot);
      // Points back in an expired lot expire at once, right after (5.5).
      if (lot.remaining > 0 && isExpired(lot, now)) this.returnedExpired.set(lot, now);
    }
  }

  private clawedBack(e: Ev<"PointsClawedBack">, loc: EventLocation, now: number): void {
    const d = e.data;
    const pending = this.pendingRefund;
    this.pendingRefund = null;
    if (!pending || pending.purchaseId !== d.purchaseId || pending.refundId !== d.refundId) {
      if (pending) this.missingClawback(pending);
      this.findings.at(
        loc,
        "CLAWBACK_MISMATCH",
        `clawback for refund ${d.refundId} that calls for none here`,
      );
    } else {
      const expected = this.clawbackPlan(d.purchaseId, pending.points, now);
      const problems: string[] = [];
      if (d.points !== pending.points) problems.push(`takes ${d.points} points, 5.3 gives ${pending.points}`);
      const got = d.allocations.map((a) => `${a.lotId}:${a.points}`).join(",");
      const want = expected.allocations.map((a) => `${a.lotId}:${a.points}`).join(",");
      if (got !== want) problems.push(`allocations [${got}], 5.3 gives [${want}]`);
      if (d.debtIncurred !== expected.debt)
        problems.push(`debtIncurred is ${d.debtIncurred}, 5.3 gives ${expected.debt}`);
      if (problems.length > 0) this.findings.at(loc, "CLAWBACK_MISMATCH", problems.join("; "));
    }
    this.checkAllocations(d.allocations, loc, now, false);
    this.evolve(e);
    this.touchAll(d.allocations);
  }

  private expired(e: Ev<"PointsExpired">, loc: EventLocation, now: number): void {
    const d = e.data;
    const lot = this.lots.get(d.lotId);
    if (!lot) {
      this.findings.at(loc, "EXPIRY_MISMATCH", `expiry of unknown lot ${d.lotId}`);
      return;
    }
    const problems: string[] = [];
    if (lot.expiresAt === null || lot.expiresAt > now)
      problems.push(`lot ${d.lotId} expires ${iso(lot.expiresAt)}, after this expiry`);
    else {
      const returnedAt = this.returnedExpired.get(lot);
      if (now !== lot.expiresAt && now !== returnedAt)
        problems.push(`expiry dated ${iso(now)}, the lot expires at ${iso(lot.expiresAt)}`);
    }
    if (d.points !== lot.remaining)
      problems.push(`expires ${d.points} points, the lot holds ${lot.remaining}`);
    if (problems.length > 0) {
      this.findings.at(loc, "EXPIRY_MISMATCH", problems.join("; "));
      this.flagged.add(lot);
    }
    this.returnedExpired.delete(lot);
    this.evolve(e);
    this.touch(lot);
  }

  private tierChanged(e: Ev<"TierChanged">, loc: EventLocation, now: number): void {
    const d = e.data;
    const s = this.state;
    const fact = {
      at: now,
      from: d.from,
      to: d.to,
      direction: d.direction,
      metric: d.metric,
      tierBefore: s.tier,
      tierSince: s.tierSince,
    };
    if (s.tier !== "" && d.from !== s.tier)
      this.findings.at(loc, "TIER_MISMATCH", `from is ${d.from}, the member was in ${s.tier}`);
    const revision = e.revision;
    this.programs.withProgram(e.metadata.programId, e.metadata.programVersion, loc, (program) =>
      this.report(loc, "TIER_MISMATCH", () => tierProblems(program, fact, this.purchasesBefore(revision))),
    );
    this.evolve(e);
  }

  // --- helpers ----------------------------------------------------------

  private evolve(e: ProposedEvent): void {
    applyMemberEvent(this.state, e);
  }

  private repeated(loc: EventLocation, field: string, id: string): void {
    this.findings.at(loc, "SCHEMA", `${field} ${id} repeats in the stream`);
  }

  /** Runs a program check; a check that throws (bad data) is itself a finding. */
  private report(loc: EventLocation, code: "EARN_MISMATCH" | "TIER_MISMATCH", check: () => string[]): void {
    let problems: string[];
    try {
      problems = check();
    } catch (error) {
      problems = [`could not be checked: ${error instanceof Error ? error.message : String(error)}`];
    }
    if (problems.length > 0) this.findings.at(loc, code, problems.join("; "));
  }

  private isLotOf(e: Ev<"PointsEarned">, awaiting: AwaitingLot): boolean {
    return e.data.reason === "purchase" && e.data.purchaseId === awaiting.purchaseId;
  }

  /** The purchase's points against 5.2 once we know whether it recorded a lot. */
  private closePurchase(
    lot: { fact: LotFact; loc: EventLocation } | null,
    awaiting = this.awaitingLot,
  ): void {
    this.awaitingLot = null;
    if (!awaiting) return;
    this.programs.withProgram(awaiting.programId, awaiting.programVersion, awaiting.loc, (program) => {
      let expected: Dec;
      try {
        expected = expectedPurchasePoints(program, awaiting);
      } catch (error) {
        this.findings.at(awaiting.loc, "EARN_MISMATCH", `could not be checked: ${String(error)}`);
        return;
      }
      if (!lot) {
        if (expected.gt(0))
          this.findings.at(
            awaiting.loc,
            "EARN_MISMATCH",
            `purchase ${awaiting.purchaseId} should have earned ${expected.toFixed()} points and earned none`,
          );
        return;
      }
      this.report(lot.loc, "EARN_MISMATCH", () => {
        const problems = expected.eq(lot.fact.points)
          ? []
          : [
              `purchase ${awaiting.purchaseId} earned ${lot.fact.points} points, 5.2 gives ${expected.toFixed()}`,
            ];
        return [...problems, ...lotTimeProblems(program, lot.fact)];
      });
    });
  }

  private missingClawback(pending = this.pendingRefund): void {
    this.pendingRefund = null;
    if (!pending) return;
    this.findings.at(
      pending.loc,
      "CLAWBACK_MISMATCH",
      `refund ${pending.refundId} should claw back ${pending.points} points and no clawback follows`,
    );
  }

  /** 5.3 with core's lot arithmetic: the purchase's own lot first, then other non-expired lots FIFO, the rest debt. */
  private clawbackPlan(
    purchaseId: string,
    points: number,
    now: number,
  ): { allocations: Allocation[]; debt: number } {
    const s = this.state;
    const { allocations, rest } = allocate(clawbackLots(s, s.purchases.get(purchaseId)?.lotId, now), points);
    return { allocations, debt: rest };
  }

  /** Redemption and debit: allocations sum to the points, from available lots, within `available` (5.5). */
  private checkDebit(
    points: number,
    allocations: readonly Allocation[],
    loc: EventLocation,
    now: number,
    what: string,
  ) {
    if (sum(allocations) !== points)
      this.findings.at(loc, "ALLOCATION", `allocations sum to ${sum(allocations)}, not ${points}`);
    this.checkAllocations(allocations, loc, now, true);
    const available = availablePoints(this.state, now);
    if (points > available)
      this.findings.at(loc, "OVERDRAW", `${what} of ${points} points, ${available} available`);
  }

  private checkAllocations(
    allocations: readonly Allocation[],
    loc: EventLocation,
    now: number,
    notPending: boolean,
  ) {
    const taken = new Map<Lot, number>();
    for (const a of allocations) {
      const lot = this.lots.get(a.lotId);
      if (!lot) {
        this.findings.at(loc, "ALLOCATION", `allocation names unknown lot ${a.lotId}`);
        continue;
      }
      if (isExpired(lot, now))
        this.findings.at(
          loc,
          "ALLOCATION",
          `allocation takes from lot ${a.lotId}, expired at ${iso(lot.expiresAt)}`,
        );
      else if (notPending && isPending(lot, now))
        this.findings.at(
          loc,
          "ALLOCATION",
          `allocation takes from lot ${a.lotId}, pending until ${iso(lot.availableAt)}`,
        );
      const total = (taken.get(lot) ?? 0) + a.points;
      taken.set(lot, total);
      if (total > lot.remaining)
        this.findings.at(
          loc,
          "ALLOCATION",
          `allocation takes ${total} points from lot ${a.lotId}, which holds ${lot.remaining}`,
        );
    }
  }

  /** EXPIRY_MISMATCH: a later event while a lot past its expiresAt still holds points (5.6). */
  private checkNothingPastExpiry(now: number, loc: EventLocation, type: string): void {
    for (const lot of this.live) {
      if (lot.expiresAt === null || lot.expiresAt > now || lot.remaining <= 0 || this.flagged.has(lot))
        continue;
      this.flagged.add(lot);
      this.findings.at(
        loc,
        "EXPIRY_MISMATCH",
        `${type} at ${iso(now)} while lot ${lot.lotId} still holds ${lot.remaining} points past its expiry ${iso(lot.expiresAt)}`,
      );
    }
    this.returnedExpired.clear();
  }

  private touch(lot: Lot): void {
    if (lot.remaining > 0 && lot.expiresAt !== null) this.live.add(lot);
    else this.live.delete(lot);
    if (lot.remaining <= 0) this.flagged.delete(lot);
  }

  private touchAll(allocations: readonly Allocation[]): void {
    for (const a of allocations) {
      const lot = this.lots.get(a.lotId);
      if (lot) this.touch(lot);
    }
  }

  /** Purchases and refunds recorded before `revision`: the tier metric of a check run late. */
  private *purchasesBefore(revision: number): Generator<Purchase> {
    for (const p of this.state.purchases.values()) {
      if ((this.purchaseRevision.get(p.purchaseId) ?? 0) >= revision) continue;
      const refunds = p.refunds.filter((r) => (this.refundRevision.get(r.refundId) ?? 0) < revision);
      yield refunds.length === p.refunds.length ? p : { ...p, refunds };
    }
  }
}
