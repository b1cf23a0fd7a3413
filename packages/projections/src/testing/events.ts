import type { Program } from "@vafa/core";
import type { ProjectionEvent } from "../projection.js";
import { vectorJson } from "./vectors.js";

// Hand-made events for example tests (only the fields projections read are meaningful).

export const programEvent = (
  options: {
    rfmWindowDays?: number;
    calendar?: "gregorian" | "jalali";
    version?: number;
    pointValue?: string;
  } = {},
  position?: bigint,
): ProjectionEvent => {
  const base = vectorJson<Program>("gregorian", "program.json");
  const program: Program = {
    ...base,
    version: options.version ?? 1,
    calendar: options.calendar ?? "gregorian",
    redemption: { ...base.redemption, pointValue: options.pointValue ?? base.redemption.pointValue },
    rfm: { windowDays: options.rfmWindowDays ?? base.rfm.windowDays },
  };
  return {
    streamId: `program-${program.programId}`,
    type: "ProgramPublished",
    occurredAt: "2000-01-01T00:00:00.000Z",
    data: { program },
    ...(position === undefined ? {} : { position }),
  };
};

export type Step =
  | ["join", string]
  | ["join", string, string]
  | ["purchase", string, string, string]
  | ["refund", string, string, string]
  | ["earn", string, string, number, string | null]
  | ["earn", string, string, number, string | null, string]
  | ["redeem", string, number, [string, number][]]
  | ["expire", string, string, number]
  | ["tier", string, string, string, "up" | "down"]
  | ["feedback", string, number];

let counter = 0;

/** Events of one member stream from compact steps. */
export const memberEvents = (memberId: string, steps: Step[]): ProjectionEvent[] =>
  steps.map((s): ProjectionEvent => {
    const streamId = `member-${memberId}`;
    const at = s[1];
    const ev = (type: ProjectionEvent["type"], data: unknown): ProjectionEvent => ({
      streamId,
      type,
      occurredAt: at,
      data,
    });
    switch (s[0]) {
      case "join":
        return ev("MemberJoined", {
          memberId,
          kind: "person",
          ...(s[2] === undefined ? {} : { birthDate: s[2] }),
        });
      case "purchase":
        return ev("PurchaseRecorded", { purchaseId: s[2], amount: s[3] });
      case "refund":
        return ev("PurchaseRefunded", { purchaseId: s[2], refundId: `${s[2]}-r${++counter}`, amount: s[3] });
      case "earn":
        return ev("PointsEarned", {
          lotId: s[2],
          points: s[3],
          reason: "adjustment",
          availableAt: s[5] ?? at,
          expiresAt: s[4],
          debtRepaid: 0,
        });
      case "redeem":
        return ev("PointsRedeemed", {
          redemptionId: `r${++counter}`,
          points: s[2],
          allocations: s[3].map(([lotId, points]) => ({ lotId, points })),
        });
      case "expire":
        return ev("PointsExpired", { lotId: s[2], points: s[3] });
      case "tier":
        return ev("TierChanged", { from: s[2], to: s[3], direction: s[4], metric: "0" });
      case "feedback":
        return ev("FeedbackSubmitted", { feedbackId: `f${++counter}`, score: s[2] });
      default:
        throw new Error(`unknown step ${JSON.stringify(s)}`);
    }
  });

/** Assigns positions 1, 2, ... in the given order. */
export const withPositions = (events: ProjectionEvent[], start = 1n): ProjectionEvent[] =>
  events.map((e, i) => ({ ...e, position: start + BigInt(i) }));
