import type { Command, DrawCommand, JoinCommand, MemberCommand } from "../commands.js";
import { commandIdOf } from "../commands.js";
import { type Rejection, reject } from "../errors.js";
import { type RedeemContext, sameCommandContent } from "../idempotency.js";
import { parseTime, toIso } from "../primitives.js";
import { findReward } from "../program-rewards.js";
import type { MemberState } from "../state.js";
import { decideAddNote } from "./add-note.js";
import { decideAdjust } from "./adjust.js";
import { Draft } from "./draft.js";
import type { Drafted } from "./drafted.js";
import { draftDrawWin } from "./draw-win.js";
import { emitDueItems, hasDueItems } from "./due-items.js";
import { decideEnterDraw } from "./enter-draw.js";
import { decideFeedback } from "./feedback.js";
import { decideForget, personalValueAfterForget } from "./forget.js";
import { checkJoin, decideJoin } from "./join.js";
import { decideMessageSent } from "./message-sent.js";
import { decidePurchase } from "./purchase.js";
import { decideRedeem } from "./redeem.js";
import { draftReferral } from "./referral.js";
import { decideRefund } from "./refund.js";
import { decideReverseRedemption } from "./reverse-redemption.js";
import { draftSweep } from "./sweep.js";
import { emitTierMove } from "./tiers.js";
import type { DecideContext, Decision, DrawWinReaction, ReferralReaction } from "./types.js";
import { decideUpdateProfile } from "./update-profile.js";
import { decideUseCoupon } from "./use-coupon.js";

/**
 * What the decider decides on: a validated member command or sweep, the
 * referral reaction, or a draw's winner. A `draw` itself spans streams: the
 * application layer holds it (application/draw.ts).
 */
export type DecideInput = Exclude<Command, DrawCommand> | ReferralReaction | DrawWinReaction;

type OtherCommand = Exclude<MemberCommand, JoinCommand>;

/** Step 6 of one command on the draft: a rejection, or undefined once its events are emitted. */
const step6 = (c: OtherCommand, out: Draft, now: number, ctx: DecideContext): Rejection | undefined => {
  const forgotten = personalValueAfterForget(c, out.state);
  if (forgotten) return forgotten;
  switch (c.type) {
    case "purchase":
      return decidePurchase(c, out, now);
    case "refund":
      return decideRefund(c, out, now);
    case "redeem":
      return decideRedeem(c, out, now, ctx.couponSecret);
    case "reverse-redemption":
      return decideReverseRedemption(c, out, now);
    case "adjust":
      return decideAdjust(c, out, now);
    case "feedback":
      return decideFeedback(c, out, now);
    case "use-coupon":
      return decideUseCoupon(c, out, now);
    case "enter-draw":
      return decideEnterDraw(c, out, now);
    case "update-profile":
      return decideUpdateProfile(c, out, now);
    case "add-note":
      return decideAddNote(c, out, now);
    case "message-sent":
      return decideMessageSent(c, out, now);
    case "forget":
      return decideForget(c, out, now);
  }
};

/** The `actor` metadata of a command's events (spec 2; club-v1 §4, §6). */
const actorOf = (c: OtherCommand): string | undefined =>
  c.type === "adjust" || c.type === "add-note" || c.type === "forget" ? c.actor : undefined;

const idempotencyMessage = (c: OtherCommand): string => {
  const [field, id] =
    c.type === "purchase"
      ? ["purchaseId", c.purchaseId]
      : c.type === "refund"
        ? ["refundId", c.refundId]
        : c.type === "adjust"
          ? ["adjustmentId", c.adjustmentId]
          : c.type === "feedback"
            ? ["feedbackId", c.feedbackId]
            : c.type === "use-coupon"
              ? ["couponId", c.couponId]
              : c.type === "enter-draw"
                ? ["entryId", c.entryId]
                : c.type === "update-profile"
                  ? ["updateId", c.updateId]
                  : c.type === "add-note"
                    ? ["noteId", c.noteId]
                    : c.type === "message-sent"
                      ? ["messageKey", c.messageKey]
                      : c.type === "forget"
                        ? ["requestId", c.requestId]
                        : ["redemptionId", c.redemptionId];
  return `${field}: ${id} was already used by another ${c.type} command`;
};

/** Step 3's view of a catalogue redeem (club-v1 §2, §9): the cost an omitted `points` means, and the first form. */
const redeemContext = (c: OtherCommand, ctx: DecideContext): RedeemContext => {
  if (c.type !== "redeem" || c.rewardId === undefined) return {};
  return {
    cost: findReward(ctx.program.rewards, c.rewardId)?.cost,
    firstGavePoints: ctx.pointsGivenOf?.(c.memberId, c.redemptionId),
  };
};

const rejected = (rejection: Rejection): Drafted => ({ kind: "rejected", rejection });

/** Steps 2 to 7 of spec 5 for a member command other than a join. */
const draftCommand = (c: OtherCommand, state: MemberState, ctx: DecideContext, now: number): Drafted => {
  // Step 2.
  if (!state.joined)
    return rejected(reject("UNKNOWN_MEMBER", `memberId: member ${c.memberId} has not joined`));
  // Step 3.
  const seen = sameCommandContent(state, c, redeemContext(c, ctx));
  if (seen === true) return { kind: "replay" };
  if (seen === false)
    return rejected(
      c.type === "reverse-redemption"
        ? reject("ALREADY_REVERSED", `redemptionId: ${c.redemptionId} was already reversed`)
        : c.type === "use-coupon"
          ? reject("COUPON_USED", `couponId: ${c.couponId} was already used`)
          : reject("IDEMPOTENCY_CONFLICT", idempotencyMessage(c)),
    );
  // Step 4.
  if (now < state.lastEventAt)
    return rejected(
      reject(
        "OUT_OF_ORDER",
        `at: ${toIso(now)} is before the member's last event ${toIso(state.lastEventAt)}`,
      ),
    );
  const commandId = commandIdOf(c);
  const out = new Draft(state, ctx.program, commandId);
  if (hasDueItems(state, ctx.program, now)) emitDueItems(out, now); // step 5
  const rejection = step6(c, out, now, ctx); // step 6
  if (rejection) {
    out.discard();
    return rejected(rejection);
  }
  emitTierMove(out, now); // step 7
  return {
    kind: "events",
    draft: out,
    correlationId: commandId,
    actor: actorOf(c),
  };
};

/** The decision with its draft (the state after the events), for sealing. */
export const draftDecision = (input: DecideInput, state: MemberState, ctx: DecideContext): Drafted => {
  switch (input.type) {
    case "sweep":
      return draftSweep(input, state, ctx.program);
    case "referral":
      return draftReferral(input, state, ctx.program);
    case "draw-win":
      return draftDrawWin(input, state, ctx.program);
    case "join": {
      const now = parseTime(input.at) as number;
      const check = checkJoin(input, state, ctx);
      if (check === "replay") return { kind: "replay" };
      if (check) return rejected(check);
      const commandId = commandIdOf(input);
      const out = new Draft(state, ctx.program, commandId);
      decideJoin(input, out, now);
      return { kind: "events", draft: out, correlationId: commandId, actor: undefined };
    }
    default:
      return draftCommand(input, state, ctx, parseTime(input.at) as number);
  }
};

/**
 * The decider (spec 5, steps 2 to 7): one validated command and the member's
 * state in, plain domain events out. Pure: `state` is not changed.
 */
export const decide = (input: DecideInput, state: MemberState, ctx: DecideContext): Decision => {
  const d = draftDecision(input, state, ctx);
  return d.kind === "events" ? { kind: "events", events: d.draft.events } : d;
};
