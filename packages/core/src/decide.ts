import type {
  AdjustCommand,
  FeedbackCommand,
  JoinCommand,
  MemberCommand,
  PurchaseCommand,
  RedeemCommand,
  RefundCommand,
  ReverseRedemptionCommand,
} from "./commands.js";
import { commandIdOf } from "./commands.js";
import { eventIdFor, type ProposedEvent, sealEvent } from "./envelope.js";
import { type Rejection, reject } from "./errors.js";
import type { Allocation, EventDataMap, EventType } from "./events.js";
import { applyMemberEvent, cloneMemberState } from "./evolve.js";
import { sameCommandContent } from "./idempotency.js";
import { Dec } from "./money.js";
import { parseDate, parseTime, toIso } from "./primitives.js";
import type { Program } from "./program.js";
import { availableAtFor, dueBirthdays, evaluateTier, expiresAtFor, purchasePoints } from "./rules.js";
import {
  availablePoints,
  fifoCompare,
  isExpired,
  isPending,
  type Lot,
  type MemberState,
  nextEventIndex,
  type Purchase,
} from "./state.js";

/** What a command needs besides the member's state. */
export interface DecideContext {
  program: Program;
  /** For a join with `referredBy`: whether that member exists in the store (any join time). */
  referrerExists?: boolean;
}

export type Decision =
  | { ok: true; events: ProposedEvent[]; state: MemberState; replay: boolean }
  | { ok: false; rejection: Rejection };

/** Appends events to a draft state: ids, revisions, hash chain and metadata (spec 2). */
class Emitter {
  readonly events: ProposedEvent[] = [];
  constructor(
    private readonly s: MemberState,
    private readonly program: Program,
    private readonly commandId: string,
    private readonly correlationId: string,
    private readonly actor: string | undefined,
  ) {}

  nextEventId(): string {
    const index = nextEventIndex(this.s, this.commandId);
    return eventIdFor(this.s.streamId, this.commandId, index);
  }

  emit<T extends EventType>(type: T, at: number, data: EventDataMap[T], eventId = this.nextEventId()): void {
    const stamp = {
      streamId: this.s.streamId,
      revision: this.s.revision + 1,
      lastHash: this.s.lastHash,
      programId: this.program.programId,
      programVersion: this.program.version,
      commandId: this.commandId,
      correlationId: this.correlationId,
      actor: this.actor,
    };
    const event = sealEvent(stamp, eventId, type, toIso(at), data) as ProposedEvent;
    applyMemberEvent(this.s, event);
    this.events.push(event);
  }

  /** A new lot (spec 4, 5.4): repays debt first. */
  earn(
    at: number,
    points: number,
    reason: EventDataMap["PointsEarned"]["reason"],
    extra: Partial<EventDataMap["PointsEarned"]>,
  ): void {
    const lotId = this.nextEventId();
    const expiresAt = expiresAtFor(this.program, at);
    this.emit(
      "PointsEarned",
      at,
      {
        lotId,
        points,
        reason,
        ...extra,
        availableAt: toIso(availableAtFor(this.program, reason, at)),
        expiresAt: expiresAt === null ? null : toIso(expiresAt),
        debtRepaid: Math.min(points, this.s.debt),
      },
      lotId,
    );
  }
}

/** Takes `points` from `lots` in order; returns the allocations and what is left untaken. */
const allocate = (lots: Lot[], points: number): { allocations: Allocation[]; rest: number } => {
  const allocations: Allocation[] = [];
  let rest = points;
  for (const lot of lots) {
    if (rest === 0) break;
    const take = Math.min(lot.remaining, rest);
    if (take > 0) {
      allocations.push({ lotId: lot.lotId, points: take });
      rest -= take;
    }
  }
  return { allocations, rest };
};

const availableLotsFifo = (s: MemberState, now: number): Lot[] =>
  s.lots.filter((l) => l.remaining > 0 && !isExpired(l, now) && !isPending(l, now)).sort(fifoCompare);

/** Step 5 (spec 5.6): expiries and birthdays due at `now`, in time order, expiries first on ties. */
const runDueItems = (s: MemberState, out: Emitter, program: Program, now: number): void => {
  const birthdays = dueBirthdays(program, s, now);
  let next = 0;
  for (;;) {
    let expiring: Lot | undefined;
    for (const lot of s.lots)
      if (lot.remaining > 0 && lot.expiresAt !== null && lot.expiresAt <= now)
        if (!expiring || fifoCompare(lot, expiring) < 0) expiring = lot;
    const birthday = birthdays[next];
    if (expiring && (!birthday || (expiring.expiresAt as number) <= birthday.at)) {
      out.emit("PointsExpired", expiring.expiresAt as number, {
        lotId: expiring.lotId,
        points: expiring.remaining,
      });
    } else if (birthday) {
      next++;
      out.earn(birthday.at, program.earn.birthdayBonus, "birthday", { birthdayYear: birthday.year });
    } else return;
  }
};

/** Whether step 5 has anything to do; read on the plain state, so a quiet member costs no draft. */
const hasDueItems = (s: MemberState, program: Program, now: number): boolean =>
  s.lots.some((l) => l.remaining > 0 && l.expiresAt !== null && l.expiresAt <= now) ||
  dueBirthdays(program, s, now).length > 0;

/** Step 7 (spec 5.7), evaluated on the plain state after step 6; appends to `events`. */
const withTierEvaluation = (
  state: MemberState,
  events: ProposedEvent[],
  program: Program,
  commandId: string,
  actor: string | undefined,
  now: number,
): MemberState => {
  const move = evaluateTier(program, state, now);
  if (!move) return state;
  const next = cloneMemberState(state);
  const out = new Emitter(next, program, commandId, commandId, actor);
  out.emit("TierChanged", now, move);
  events.push(...out.events);
  return next;
};

type Step6 = (s: MemberState, out: Emitter, now: number) => Rejection | undefined;

const decidePurchase =
  (c: PurchaseCommand, program: Program): Step6 =>
  (s, out, now) => {
    const points = purchasePoints(program, c.amount, now, s.tier);
    if (points.gt(Number.MAX_SAFE_INTEGER))
      return reject("VALIDATION", `amount: ${c.amount} would earn more points than a safe integer`);
    out.emit("PurchaseRecorded", now, {
      purchaseId: c.purchaseId,
      amount: c.amount,
      ...(c.channel !== undefined ? { channel: c.channel } : {}),
      ...(c.items !== undefined ? { items: c.items } : {}),
    });
    if (points.gt(0)) out.earn(now, points.toNumber(), "purchase", { purchaseId: c.purchaseId });
    return undefined;
  };

const decideRefund =
  (c: RefundCommand): Step6 =>
  (s, out, now) => {
    let p = s.purchases.get(c.purchaseId);
    if (!p) return reject("UNKNOWN_PURCHASE", `purchaseId: ${c.purchaseId} is not a purchase of this member`);
    const left = new Dec(p.amount).minus(p.refunded);
    if (new Dec(c.amount).gt(left))
      return reject(
        "REFUND_EXCEEDS_PURCHASE",
        `amount: ${c.amount} exceeds what is left to refund (${left.toFixed()})`,
      );
    out.emit("PurchaseRefunded", now, { purchaseId: c.purchaseId, refundId: c.refundId, amount: c.amount });
    p = s.purchases.get(c.purchaseId) as Purchase; // the entry after the refund
    // Cumulative clawback (spec 5.3): a full refund takes back exactly what the purchase earned.
    const clawedTotal = new Dec(p.earned).times(p.refunded).div(p.amount).floor().toNumber();
    const take = clawedTotal - p.clawed;
    if (take <= 0) return undefined;
    const own = s.lots.find((l) => l.lotId === p.lotId && l.remaining > 0 && !isExpired(l, now));
    const others = s.lots.filter((l) => l !== own && l.remaining > 0 && !isExpired(l, now)).sort(fifoCompare);
    const { allocations, rest } = allocate(own ? [own, ...others] : others, take);
    out.emit("PointsClawedBack", now, {
      purchaseId: c.purchaseId,
      refundId: c.refundId,
      points: take,
      allocations,
      debtIncurred: rest,
    });
    return undefined;
  };

const decideRedeem =
  (c: RedeemCommand, program: Program): Step6 =>
  (s, out, now) => {
    if (c.points < program.redemption.minPoints)
      return reject(
        "BELOW_MIN_REDEMPTION",
        `points: ${c.points} is below the minimum ${program.redemption.minPoints}`,
      );
    const available = availablePoints(s, now);
    if (c.points > available)
      return reject("INSUFFICIENT_POINTS", `points: ${c.points} requested, ${available} available`);
    const { allocations } = allocate(availableLotsFifo(s, now), c.points);
    out.emit("PointsRedeemed", now, {
      redemptionId: c.redemptionId,
      points: c.points,
      ...(c.rewardId !== undefined ? { rewardId: c.rewardId } : {}),
      allocations,
    });
    return undefined;
  };

const decideReverse =
  (c: ReverseRedemptionCommand): Step6 =>
  (s, out, now) => {
    const r = s.redemptions.get(c.redemptionId);
    if (!r)
      return reject(
        "UNKNOWN_REDEMPTION",
        `redemptionId: ${c.redemptionId} is not a redemption of this member`,
      );
    if (r.reversedAt !== undefined)
      return reject("ALREADY_REVERSED", `redemptionId: ${c.redemptionId} was already reversed`);
    out.emit("RedemptionReversed", now, {
      redemptionId: r.redemptionId,
      points: r.points,
      debtRepaid: Math.min(r.points, s.debt),
      allocations: r.allocations.map((a) => ({ lotId: a.lotId, points: a.points })),
    });
    // Points returned to lots already past their expiry expire at once, in allocation order.
    const seen = new Set<string>();
    for (const a of r.allocations) {
      const lot = s.lots.find((l) => l.lotId === a.lotId);
      if (!lot || seen.has(lot.lotId) || lot.remaining <= 0 || !isExpired(lot, now)) continue;
      seen.add(lot.lotId);
      out.emit("PointsExpired", now, { lotId: lot.lotId, points: lot.remaining });
    }
    return undefined;
  };

const decideAdjust =
  (c: AdjustCommand): Step6 =>
  (s, out, now) => {
    if (c.points > 0) {
      out.earn(now, c.points, "adjustment", { adjustmentId: c.adjustmentId, actor: c.actor, note: c.reason });
      return undefined;
    }
    const points = -c.points;
    const available = availablePoints(s, now);
    if (points > available)
      return reject("INSUFFICIENT_POINTS", `points: ${points} to debit, ${available} available`);
    const { allocations } = allocate(availableLotsFifo(s, now), points);
    out.emit("PointsDebited", now, {
      adjustmentId: c.adjustmentId,
      points,
      reason: c.reason,
      actor: c.actor,
      allocations,
    });
    return undefined;
  };

const decideFeedback =
  (c: FeedbackCommand): Step6 =>
  (_s, out, now) => {
    out.emit("FeedbackSubmitted", now, {
      feedbackId: c.feedbackId,
      score: c.score,
      ...(c.comment !== undefined ? { comment: c.comment } : {}),
    });
    return undefined;
  };

/** jalaali-js converts Gregorian years 560..3798 (spec 5 step 1 for a Jalali program). */
const birthDateInRange = (program: Program, birthDate: string): boolean => {
  const d = parseDate(birthDate);
  return program.calendar !== "jalali" || (d !== undefined && d.year >= 560 && d.year <= 3798);
};

const decideJoin = (s: MemberState, c: JoinCommand, ctx: DecideContext, now: number): Decision => {
  const { program } = ctx;
  if (c.birthDate !== undefined && !birthDateInRange(program, c.birthDate))
    return {
      ok: false,
      rejection: reject("VALIDATION", "birthDate: outside the range of the Jalali calendar"),
    };
  if (s.joined) {
    if (sameCommandContent(s, c)) return { ok: true, events: [], state: s, replay: true };
    return { ok: false, rejection: reject("MEMBER_EXISTS", `memberId: member ${c.memberId} already joined`) };
  }
  if (c.referredBy === c.memberId)
    return { ok: false, rejection: reject("SELF_REFERRAL", "referredBy: a member cannot refer themself") };
  if (c.referredBy !== undefined && !ctx.referrerExists)
    return {
      ok: false,
      rejection: reject("REFERRER_NOT_FOUND", `referredBy: member ${c.referredBy} has not joined`),
    };
  const commandId = commandIdOf(c);
  const events: ProposedEvent[] = [];
  const state = cloneMemberState(s);
  {
    const out = new Emitter(state, program, commandId, commandId, undefined);
    out.emit("MemberJoined", now, {
      memberId: c.memberId,
      kind: c.kind,
      ...(c.birthDate !== undefined ? { birthDate: c.birthDate } : {}),
      ...(c.referredBy !== undefined ? { referredBy: c.referredBy } : {}),
      ...(c.attributes !== undefined ? { attributes: c.attributes } : {}),
    });
    if (program.earn.signupBonus > 0) out.earn(now, program.earn.signupBonus, "signup", {});
    events.push(...out.events);
  }
  return { ok: true, events, state, replay: false };
};

/**
 * Decides one validated member command at its own `at` (spec 5, steps 2 to 7).
 * Pure: the input state is not changed (the decision works on a copy made by
 * `cloneMemberState`); a rejection carries no events.
 */
export const decide = (state: MemberState, command: MemberCommand, ctx: DecideContext): Decision => {
  const now = parseTime(command.at) as number;
  if (command.type === "join") return decideJoin(state, command, ctx, now);
  const { program } = ctx;
  // Step 2.
  if (!state.joined)
    return {
      ok: false,
      rejection: reject("UNKNOWN_MEMBER", `memberId: member ${command.memberId} has not joined`),
    };
  // Step 3.
  const replay = sameCommandContent(state, command);
  if (replay === true) return { ok: true, events: [], state, replay: true };
  if (replay === false) {
    const rejection =
      command.type === "reverse-redemption"
        ? reject("ALREADY_REVERSED", `redemptionId: ${command.redemptionId} was already reversed`)
        : reject("IDEMPOTENCY_CONFLICT", idempotencyMessage(command));
    return { ok: false, rejection };
  }
  // Step 4.
  if (now < state.lastEventAt)
    return {
      ok: false,
      rejection: reject(
        "OUT_OF_ORDER",
        `at: ${toIso(now)} is before the member's last event ${toIso(state.lastEventAt)}`,
      ),
    };
  const step6 = step6For(command, program);
  const commandId = commandIdOf(command);
  const actor = command.type === "adjust" ? command.actor : undefined;
  const events: ProposedEvent[] = [];
  const due = hasDueItems(state, program, now);
  const afterStep6 = cloneMemberState(state);
  const out = new Emitter(afterStep6, program, commandId, commandId, actor);
  if (due) runDueItems(afterStep6, out, program, now); // step 5
  const rejection = step6(afterStep6, out, now); // step 6
  events.push(...out.events);
  if (rejection) return { ok: false, rejection };
  const next = withTierEvaluation(afterStep6, events, program, commandId, actor, now); // step 7
  return { ok: true, events, state: next, replay: false };
};

const step6For = (c: Exclude<MemberCommand, JoinCommand>, program: Program): Step6 => {
  switch (c.type) {
    case "purchase":
      return decidePurchase(c, program);
    case "refund":
      return decideRefund(c);
    case "redeem":
      return decideRedeem(c, program);
    case "reverse-redemption":
      return decideReverse(c);
    case "adjust":
      return decideAdjust(c);
    case "feedback":
      return decideFeedback(c);
  }
};

const idempotencyMessage = (c: Exclude<MemberCommand, JoinCommand>): string => {
  const [field, id] =
    c.type === "purchase"
      ? ["purchaseId", c.purchaseId]
      : c.type === "refund"
        ? ["refundId", c.refundId]
        : c.type === "adjust"
          ? ["adjustmentId", c.adjustmentId]
          : c.type === "feedback"
            ? ["feedbackId", c.feedbackId]
            : ["redemptionId", c.redemptionId];
  return `${field}: ${id} was already used by another ${c.type} command`;
};

/** A sweep on one member (spec 5.6): steps 5 and 7 at `now`; skipped when the member's last event is later. */
export const decideSweep = (state: MemberState, at: string, program: Program): Decision => {
  const now = parseTime(at) as number;
  if (!state.joined || now < state.lastEventAt) return { ok: true, events: [], state, replay: false };
  const commandId = `sweep:${toIso(now)}`;
  const events: ProposedEvent[] = [];
  let afterDue = state;
  if (hasDueItems(state, program, now)) {
    afterDue = cloneMemberState(state);
    const out = new Emitter(afterDue, program, commandId, commandId, undefined);
    runDueItems(afterDue, out, program, now);
    events.push(...out.events);
  }
  const next = withTierEvaluation(afterDue, events, program, commandId, undefined, now);
  return { ok: true, events, state: next, replay: false };
};

/**
 * The referral reaction on the referrer (spec 5.2): step 5 up to
 * `t = max(at, referrer's last event)`, then the bonus; no tier evaluation.
 * Returns no events when this referee was already rewarded.
 */
export const decideReferral = (
  referrer: MemberState,
  refereeId: string,
  purchaseAt: number,
  correlationId: string,
  program: Program,
): Decision => {
  if (!referrer.joined || referrer.referralsPaid.has(refereeId) || program.earn.referralBonus <= 0)
    return { ok: true, events: [], state: referrer, replay: true };
  const t = Math.max(purchaseAt, referrer.lastEventAt);
  const events: ProposedEvent[] = [];
  const next = cloneMemberState(referrer);
  const out = new Emitter(next, program, `referral:${refereeId}`, correlationId, undefined);
  runDueItems(next, out, program, t);
  out.earn(t, program.earn.referralBonus, "referral", { refereeId });
  events.push(...out.events);
  return { ok: true, events, state: next, replay: false };
};
