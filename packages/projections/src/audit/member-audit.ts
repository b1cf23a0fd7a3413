import {
  applyMemberEvent,
  encryptsPersonalData,
  initialMemberState,
  isSealedValue,
  type Lot,
  type MemberState,
  openEventData,
  PERSONAL_FIELDS,
  type ProposedEvent,
} from "@vafa/core";
import { checkCoupon } from "./coupon-checks.js";
import {
  type AwaitingLot,
  awaitingLotOf,
  checkBonusRepeats,
  checkEarnFields,
  checkPurchaseLot,
  lotFactOf,
  reportStrayPurchaseLot,
} from "./earn-checks.js";
import type { EventLocation, Findings } from "./findings.js";
import { LotBook } from "./lot-book.js";
import { isPositiveMoney, repeated, reportProblems } from "./member-findings.js";
import { bonusProblems, type LotFact } from "./program-checks.js";
import type { ProgramBook } from "./programs.js";
import { checkRefund, clawbackProblems, type PendingRefund, reportMissingClawback } from "./refund-checks.js";
import type { RedemptionFact } from "./reward-audit.js";
import { TierCheck } from "./tier-checks.js";
import type { DataKeyLookup } from "./types.js";

type Ev<T extends ProposedEvent["type"]> = ProposedEvent<T>;

/**
 * Replays one member stream (spec 4, 5) and checks each event against the
 * state before it (spec 7). The state is the one of `@vafa/core` evolve, fed
 * the events as recorded, so each error is reported once, where it happens.
 */
export class MemberAudit {
  private readonly state: MemberState;
  private readonly lots: LotBook;
  private readonly tiers: TierCheck;
  private signupPaid = false;
  private beforeJoinReported = false;
  private awaitingLot: AwaitingLot | null = null;
  private pendingRefund: PendingRefund | null = null;
  /** The stream holds a sealed personal value (club-v1 §6). */
  sealedSeen = false;
  /** Birthday lots not re-derived: their birth date in force is sealed and did not open (club-v1 §10 "Audit"). */
  birthdaysUnchecked = 0;
  /** The birth date in force is sealed and could not be opened. */
  private birthDateUnreadable = false;

  constructor(
    streamId: string,
    private readonly findings: Findings,
    private readonly programs: ProgramBook,
    private readonly dataKeys?: DataKeyLookup,
  ) {
    // "" is the starting tier: the first level of whatever program is in force.
    this.state = initialMemberState(streamId, "");
    this.lots = new LotBook(this.state, findings);
    this.tiers = new TierCheck(this.state, findings, programs);
  }

  /** Checks then applies one event whose envelope and data passed their schemas; `now`: its occurredAt in ms. */
  apply(sealedEvent: ProposedEvent, loc: EventLocation, now: number): void {
    const e = this.personal(sealedEvent, loc);
    const s = this.state;
    if (!s.joined && e.type !== "MemberJoined" && !this.beforeJoinReported) {
      this.beforeJoinReported = true;
      this.findings.at(loc, "SCHEMA", `${e.type} before the stream's MemberJoined`);
    }
    const awaiting = this.awaitingLot;
    if (awaiting && !(e.type === "PointsEarned" && this.isLotOf(e as Ev<"PointsEarned">, awaiting)))
      this.closePurchase(awaiting, null);
    if (this.pendingRefund && e.type !== "PointsClawedBack") this.missingClawback(this.pendingRefund);
    if (e.type !== "PointsExpired") this.lots.checkNothingPastExpiry(now, loc, e.type);

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
        this.tiers.check(e as Ev<"TierChanged">, loc, now);
        this.evolve(e);
        return;
      case "FeedbackSubmitted": {
        const d = (e as Ev<"FeedbackSubmitted">).data;
        if (s.feedback.has(d.feedbackId)) repeated(this.findings, loc, "feedbackId", d.feedbackId);
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
        if (s.drawEntries.has(d.entryId)) repeated(this.findings, loc, "entryId", d.entryId);
        this.lots.checkDebit(d.points, d.allocations, loc, now, `draw entry ${d.entryId}`);
        this.evolve(e);
        this.lots.touchAll(d.allocations);
        return;
      }
      case "DrawWon":
      // Profiles, notes, messages and erasure (club-v1 §4-§6): the birth date in
      // force, and none after a MemberForgotten, for the birthday checks (§10).
      case "ProfileUpdated":
      case "NoteAdded":
      case "MessageSent":
      case "MemberForgotten":
        this.evolve(e);
        return;
      // ProgramPublished, DrawHeld, RewardClaimed, RewardReleased: the caller
      // reports them (wrong kind of stream) and does not pass them here.
    }
  }

  /** End of the log: what a command should have appended after the last event. */
  finish(): void {
    if (this.awaitingLot) this.closePurchase(this.awaitingLot, null);
    if (this.pendingRefund) this.missingClawback(this.pendingRefund);
  }

  /**
   * club-v1 §6, §10 "Audit": personal values are plain under a program that
   * does not encrypt and sealed under one that does (else SCHEMA); a sealed
   * value is opened when the member's key is known, so the birth date in
   * force can be re-derived. Returns the event as the state should see it.
   */
  private personal(e: ProposedEvent, loc: EventLocation): ProposedEvent {
    const data = e.data as object;
    let sealed = false;
    let plain = false;
    // core's hasSealedValue and hasPlainPersonalValue, read off the few personal keys
    // (data passed its schema: a plain object) without listing every entry.
    for (const field of PERSONAL_FIELDS) {
      const value = (data as Record<string, unknown>)[field];
      if (value === undefined) continue;
      if (isSealedValue(value)) sealed = true;
      else plain = true;
    }
    if (sealed) this.sealedSeen = true;
    if (sealed || plain)
      this.programs.withProgram(e.metadata.programId, e.metadata.programVersion, loc, (program) => {
        const encrypts = encryptsPersonalData(program);
        if (encrypts && plain)
          this.findings.at(
            loc,
            "SCHEMA",
            `a plain personal value under ${program.programId} v${program.version}, which encrypts personal data`,
          );
        else if (!encrypts && sealed)
          this.findings.at(
            loc,
            "SCHEMA",
            `a sealed personal value under ${program.programId} v${program.version}, which does not encrypt personal data`,
          );
      });
    if (e.type === "MemberForgotten") this.birthDateUnreadable = false;
    // A second MemberJoined is not applied (SCHEMA): its birth date is not in force.
    const applied = !(e.type === "MemberJoined" && this.state.joined);
    const birthDate = applied ? (data as { birthDate?: unknown }).birthDate : undefined;
    if (!sealed) {
      if (birthDate !== undefined) this.birthDateUnreadable = false;
      return e;
    }
    const memberId = this.state.streamId.slice("member-".length);
    const opened = { ...e, data: openEventData(data, e.eventId, this.dataKeys?.(memberId)) } as ProposedEvent;
    if (birthDate !== undefined)
      this.birthDateUnreadable =
        isSealedValue(birthDate) && (opened.data as { birthDate?: unknown }).birthDate === undefined;
    return opened;
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
      repeated(this.findings, loc, "purchaseId", d.purchaseId);
      return;
    }
    if (!isPositiveMoney(d.amount)) this.findings.at(loc, "SCHEMA", "purchase amount must be greater than 0");
    this.awaitingLot = awaitingLotOf(e, this.state.tier, loc, now);
    this.tiers.purchaseRecorded(d.purchaseId, e.revision);
    this.evolve(e);
  }

  private refund(e: Ev<"PurchaseRefunded">, loc: EventLocation): void {
    const d = e.data;
    const pending = checkRefund(this.findings, this.state, d, loc);
    if (pending) this.pendingRefund = pending;
    this.tiers.refundRecorded(d.refundId, e.revision);
    this.evolve(e);
  }

  private earned(e: Ev<"PointsEarned">, loc: EventLocation, now: number): void {
    const d = e.data;
    const s = this.state;
    if (d.lotId !== e.eventId) this.findings.at(loc, "SCHEMA", `lotId ${d.lotId} is not the event's eventId`);
    if (this.lots.has(d.lotId)) {
      repeated(this.findings, loc, "lotId", d.lotId);
      return;
    }
    checkEarnFields(this.findings, d, s.debt, loc);

    const fact = lotFactOf(d, now);
    const meta = e.metadata;
    if (d.reason === "purchase") {
      const awaiting = this.awaitingLot;
      if (awaiting && this.isLotOf(e, awaiting)) {
        this.closePurchase(awaiting, { fact, loc });
      } else reportStrayPurchaseLot(this.findings, s, d, loc);
    } else {
      checkBonusRepeats(this.findings, s, d, this.signupPaid, loc);
      if (d.reason === "signup") this.signupPaid = true;
      // The birth date in force, counted from the day it was given (club-v1 §10
      // "Due times"); one that is sealed and did not open is not re-derived,
      // also when it replaced a plain one (the state still holds that one).
      const member = {
        joinedAt: s.profile.birthDateGivenAt ?? s.joinedAt,
        birthDate: this.birthDateUnreadable ? undefined : s.profile.birthDate,
      };
      const unreadable = d.reason === "birthday" && this.birthDateUnreadable;
      if (unreadable) this.birthdaysUnchecked++;
      this.programs.withProgram(meta.programId, meta.programVersion, loc, (program) =>
        reportProblems(this.findings, loc, "EARN_MISMATCH", () =>
          bonusProblems(program, fact, { ...member, birthDateUnreadable: unreadable }),
        ),
      );
    }
    this.evolve(e);
    this.lots.add(s.lots[s.lots.length - 1] as Lot);
  }

  private coupon(e: ProposedEvent, loc: EventLocation, now: number): void {
    checkCoupon(this.findings, this.state, e, loc, now);
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
    if (this.state.redemptions.has(d.redemptionId))
      repeated(this.findings, loc, "redemptionId", d.redemptionId);
    this.lots.checkDebit(d.points, d.allocations, loc, now, `redemption ${d.redemptionId}`);
    this.evolve(e);
    this.lots.touchAll(d.allocations);
  }

  private debited(e: Ev<"PointsDebited">, loc: EventLocation, now: number): void {
    const d = e.data;
    if (this.state.adjustments.has(d.adjustmentId))
      repeated(this.findings, loc, "adjustmentId", d.adjustmentId);
    this.lots.checkDebit(d.points, d.allocations, loc, now, `debit ${d.adjustmentId}`);
    this.evolve(e);
    this.lots.touchAll(d.allocations);
  }

  private reversed(e: Ev<"RedemptionReversed">, loc: EventLocation, now: number): void {
    const d = e.data;
    const fact = this.rewardRedemptions.get(d.redemptionId);
    if (fact && fact.reversedAt === undefined) fact.reversedAt = now;
    this.lots.checkReversal(d, loc);
    this.evolve(e);
    this.lots.returned(d.allocations, now);
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
      const problems = clawbackProblems(this.state, d, pending, now);
      if (problems.length > 0) this.findings.at(loc, "CLAWBACK_MISMATCH", problems.join("; "));
    }
    this.lots.checkAllocations(d.allocations, loc, now, false);
    this.evolve(e);
    this.lots.touchAll(d.allocations);
  }

  private expired(e: Ev<"PointsExpired">, loc: EventLocation, now: number): void {
    const lot = this.lots.checkExpiry(e.data, loc, now);
    if (!lot) return;
    this.evolve(e);
    this.lots.touch(lot);
  }

  // --- helpers ----------------------------------------------------------

  private evolve(e: ProposedEvent): void {
    applyMemberEvent(this.state, e);
  }

  private isLotOf(e: Ev<"PointsEarned">, awaiting: AwaitingLot): boolean {
    return e.data.reason === "purchase" && e.data.purchaseId === awaiting.purchaseId;
  }

  /** The purchase's points against 5.2 once we know whether it recorded a lot. */
  private closePurchase(awaiting: AwaitingLot, lot: { fact: LotFact; loc: EventLocation } | null): void {
    this.awaitingLot = null;
    checkPurchaseLot(this.findings, this.programs, awaiting, lot);
  }

  private missingClawback(pending: PendingRefund): void {
    this.pendingRefund = null;
    reportMissingClawback(this.findings, pending);
  }
}
