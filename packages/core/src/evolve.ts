import { enableMapSet, produce, setAutoFreeze } from "immer";
import type { ProposedEvent } from "./envelope.js";
import { Dec } from "./money.js";
import { parseTime } from "./primitives.js";
import { type MemberState, initialMemberState, nextEventIndex } from "./state.js";

enableMapSet();
// States are never mutated outside a producer; deep-freezing every new state costs more than the decision itself.
setAutoFreeze(false);

const ms = (iso: string): number => parseTime(iso) as number;

/**
 * Applies one member event to a state in place. Used on immer drafts by the
 * decider and on plain objects by `foldMemberEvents` (no immer in bulk loops).
 */
export const applyMemberEvent = (s: MemberState, e: ProposedEvent): void => {
  const at = ms(e.occurredAt);
  s.revision = e.revision;
  s.lastHash = e.metadata.hash;
  s.lastEventAt = at;
  const commandId = e.metadata.commandId;
  const index = nextEventIndex(s, commandId);
  s.lastCommand = { id: commandId, count: index + 1 };
  if (commandId.startsWith("sweep:")) s.sweepCounts.set(commandId, index + 1);
  const lotById = (lotId: string) => s.lots.find((l) => l.lotId === lotId);
  switch (e.type) {
    case "MemberJoined": {
      const d = e.data as ProposedEvent<"MemberJoined">["data"];
      s.joined = d;
      s.joinedAt = at;
      s.tierSince = at;
      return;
    }
    case "PurchaseRecorded": {
      const d = e.data as ProposedEvent<"PurchaseRecorded">["data"];
      s.purchases.set(d.purchaseId, {
        purchaseId: d.purchaseId,
        amount: d.amount,
        at,
        ...(d.channel !== undefined ? { channel: d.channel } : {}),
        ...(d.items !== undefined ? { items: d.items } : {}),
        refunded: "0",
        refunds: [],
        earned: 0,
        clawed: 0,
      });
      return;
    }
    case "PurchaseRefunded": {
      const d = e.data as ProposedEvent<"PurchaseRefunded">["data"];
      const p = s.purchases.get(d.purchaseId);
      if (p) {
        p.refunded = new Dec(p.refunded).plus(d.amount).toFixed();
        p.refunds.push({ refundId: d.refundId, amount: d.amount, at });
      }
      s.refunds.set(d.refundId, { purchaseId: d.purchaseId, amount: d.amount, at });
      return;
    }
    case "PointsEarned": {
      const d = e.data as ProposedEvent<"PointsEarned">["data"];
      s.debt -= d.debtRepaid;
      s.lots.push({
        lotId: d.lotId,
        points: d.points,
        remaining: d.points - d.debtRepaid,
        earnedAt: at,
        availableAt: ms(d.availableAt),
        expiresAt: d.expiresAt === null ? null : ms(d.expiresAt),
        revision: e.revision,
        reason: d.reason,
        ...(d.purchaseId !== undefined ? { purchaseId: d.purchaseId } : {}),
      });
      if (d.reason === "purchase" && d.purchaseId !== undefined) {
        const p = s.purchases.get(d.purchaseId);
        if (p) {
          p.earned = d.points;
          p.lotId = d.lotId;
        }
      }
      if (d.reason === "birthday" && d.birthdayYear !== undefined) s.birthdaysPaid.add(d.birthdayYear);
      if (d.reason === "referral" && d.refereeId !== undefined) s.referralsPaid.add(d.refereeId);
      if (d.reason === "adjustment" && d.adjustmentId !== undefined)
        s.adjustments.set(d.adjustmentId, {
          adjustmentId: d.adjustmentId,
          points: d.points,
          reason: d.note ?? "",
          actor: d.actor ?? "",
          at,
        });
      return;
    }
    case "PointsRedeemed": {
      const d = e.data as ProposedEvent<"PointsRedeemed">["data"];
      for (const a of d.allocations) {
        const lot = lotById(a.lotId);
        if (lot) lot.remaining -= a.points;
      }
      s.redemptions.set(d.redemptionId, {
        redemptionId: d.redemptionId,
        points: d.points,
        ...(d.rewardId !== undefined ? { rewardId: d.rewardId } : {}),
        at,
        allocations: d.allocations,
      });
      return;
    }
    case "RedemptionReversed": {
      const d = e.data as ProposedEvent<"RedemptionReversed">["data"];
      s.debt -= d.debtRepaid;
      // The debt share is taken from the allocations in order (spec 5.5).
      let debtShare = d.debtRepaid;
      for (const a of d.allocations) {
        const share = Math.min(a.points, debtShare);
        debtShare -= share;
        const lot = lotById(a.lotId);
        if (lot) lot.remaining += a.points - share;
      }
      const r = s.redemptions.get(d.redemptionId);
      if (r) r.reversedAt = at;
      return;
    }
    case "PointsClawedBack": {
      const d = e.data as ProposedEvent<"PointsClawedBack">["data"];
      for (const a of d.allocations) {
        const lot = lotById(a.lotId);
        if (lot) lot.remaining -= a.points;
      }
      s.debt += d.debtIncurred;
      const p = s.purchases.get(d.purchaseId);
      if (p) p.clawed += d.points;
      return;
    }
    case "PointsDebited": {
      const d = e.data as ProposedEvent<"PointsDebited">["data"];
      for (const a of d.allocations) {
        const lot = lotById(a.lotId);
        if (lot) lot.remaining -= a.points;
      }
      s.adjustments.set(d.adjustmentId, {
        adjustmentId: d.adjustmentId,
        points: -d.points,
        reason: d.reason,
        actor: d.actor,
        at,
      });
      return;
    }
    case "PointsExpired": {
      const d = e.data as ProposedEvent<"PointsExpired">["data"];
      const lot = lotById(d.lotId);
      if (lot) lot.remaining -= d.points;
      return;
    }
    case "TierChanged": {
      const d = e.data as ProposedEvent<"TierChanged">["data"];
      s.tier = d.to;
      s.tierSince = at;
      return;
    }
    case "FeedbackSubmitted": {
      const d = e.data as ProposedEvent<"FeedbackSubmitted">["data"];
      s.feedback.set(d.feedbackId, {
        score: d.score,
        ...(d.comment !== undefined ? { comment: d.comment } : {}),
        at,
      });
      return;
    }
    case "ProgramPublished":
      return;
  }
};

/** Emmett-style evolve: a new state, the old one untouched (immer). */
export const evolve = (state: MemberState, event: ProposedEvent): MemberState =>
  produce(state, (draft) => {
    applyMemberEvent(draft as MemberState, event);
  });

/** Plain fold for loading a stream: no immer, one mutable state. */
export const foldMemberEvents = (
  streamId: string,
  firstTier: string,
  events: Iterable<ProposedEvent>,
  from: MemberState = initialMemberState(streamId, firstTier),
): MemberState => {
  for (const e of events) applyMemberEvent(from, e);
  return from;
};
