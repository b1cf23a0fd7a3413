import type { EventMetadata, EventType, ProposedEvent } from "@vafa/core";
import { type CommandRef, parseCommandId } from "./envelope-schema.js";
import type { EventLocation, Findings } from "./findings.js";

// commandId, correlationId and actor against the event they carry (spec 2).

/** Reports what is wrong with the event's command metadata, as one SCHEMA finding. */
export const checkCommand = (findings: Findings, e: ProposedEvent, loc: EventLocation): void => {
  const m: EventMetadata = e.metadata;
  const ref = parseCommandId(m.commandId);
  if (!ref) {
    findings.at(loc, "SCHEMA", `commandId ${m.commandId} is not <command type>:<its own id>`);
    return;
  }
  const problems: string[] = [];
  const owner = ownerCommand(e);
  if (owner && !owner.some((o) => sameRef(o, ref)))
    problems.push(`${describe(e)} cannot come from ${m.commandId}`);
  if (ref.kind === "publish" && e.type !== "ProgramPublished") problems.push(`${e.type} from ${m.commandId}`);
  // Every event of the referral reaction (its bonus, and the due items and tier
  // it runs first on the referrer) carries the referee's purchase (spec 2, 5.2).
  const correlated =
    ref.kind === "referral" ? isPurchaseCommand(m.correlationId) : m.correlationId === m.commandId;
  if (!correlated) problems.push(`correlationId ${m.correlationId} for command ${m.commandId}`);
  // adjust (spec 2), add-note and forget (club-v1 §4, §6) carry their actor.
  const withActor = ref.kind === "adjust" || ref.kind === "add-note" || ref.kind === "forget";
  if (withActor !== (m.actor !== undefined))
    problems.push(
      withActor
        ? `an ${ref.kind} event without actor`
        : "actor on an event of no adjust command (nor add-note or forget)",
    );
  const dataActor = (e.data as { actor?: unknown }).actor;
  if (typeof dataActor === "string" && m.actor !== undefined && dataActor !== m.actor)
    problems.push(`metadata actor ${m.actor} differs from data actor ${dataActor}`);
  if (problems.length > 0) findings.at(loc, "SCHEMA", problems.join("; "));
};

/** The commands that may append this event, or null when any member command may (due items, tiers). */
const ownerCommand = (e: ProposedEvent): CommandRef[] | null => {
  const d = e.data as Record<string, unknown>;
  const id = (key: string) => String(d[key]);
  switch (e.type) {
    case "MemberJoined":
      return [{ kind: "join", id: id("memberId") }];
    case "PurchaseRecorded":
      return [{ kind: "purchase", id: id("purchaseId") }];
    case "PurchaseRefunded":
    case "PointsClawedBack":
      return [{ kind: "refund", id: id("refundId") }];
    case "PointsRedeemed":
      return [{ kind: "redeem", id: id("redemptionId") }];
    case "RedemptionReversed":
      return [{ kind: "reverse-redemption", id: id("redemptionId") }];
    case "PointsDebited":
      return [{ kind: "adjust", id: id("adjustmentId") }];
    case "FeedbackSubmitted":
      return [{ kind: "feedback", id: id("feedbackId") }];
    case "CouponIssued":
      return [{ kind: "redeem", id: id("couponId") }];
    case "CouponUsed":
      return [{ kind: "use-coupon", id: id("couponId") }];
    case "CouponVoided":
      return [{ kind: "reverse-redemption", id: id("couponId") }];
    case "RewardClaimed":
    case "RewardReleased":
      return [{ kind: "claim", memberId: id("memberId"), redemptionId: id("redemptionId") }];
    case "DrawEntered":
      return [{ kind: "enter-draw", id: id("entryId") }];
    case "ProfileUpdated":
      return [{ kind: "update-profile", id: id("updateId") }];
    case "NoteAdded":
      return [{ kind: "add-note", id: id("noteId") }];
    case "MessageSent":
      return [{ kind: "message-sent", id: id("messageKey") }];
    case "MemberForgotten":
      return [{ kind: "forget", id: id("requestId") }];
    case "DrawWon":
    case "DrawHeld":
      return [{ kind: "draw", id: id("drawId") }];
    case "ProgramPublished": {
      const p = d.program as { programId: string; version: number };
      return [{ kind: "publish", programId: p.programId, version: p.version }];
    }
    case "PointsEarned":
      switch (d.reason) {
        case "signup":
          return [{ kind: "join", id: e.streamId.slice("member-".length) }];
        case "purchase":
          return [{ kind: "purchase", id: id("purchaseId") }];
        case "referral":
          return [{ kind: "referral", id: id("refereeId") }];
        case "adjustment":
          return [{ kind: "adjust", id: id("adjustmentId") }];
        case "draw":
          return [{ kind: "draw", id: id("drawId") }];
        default:
          return null;
      }
    default:
      return null;
  }
};

/** `purchase:<purchaseId>`: the correlationId of every event of the referral reaction. */
const isPurchaseCommand = (id: string): boolean => {
  const ref = parseCommandId(id);
  return ref?.kind === "purchase";
};

/** `a` is an owner of ownerCommand (never a sweep: due items and tiers have no owner). */
const sameRef = (a: CommandRef, b: CommandRef): boolean => {
  if (a.kind !== b.kind) return false;
  if (a.kind === "publish" && b.kind === "publish")
    return a.programId === b.programId && a.version === b.version;
  if (a.kind === "claim" && b.kind === "claim")
    return a.memberId === b.memberId && a.redemptionId === b.redemptionId;
  return (a as { id: string }).id === (b as { id: string }).id;
};

const describe = (e: ProposedEvent): string =>
  e.type === "PointsEarned"
    ? `a ${(e.data as { reason: string }).reason} PointsEarned`
    : (e.type as EventType);
