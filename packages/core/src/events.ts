import { z } from "zod";
import { idSchema, isoTimeOutSchema, moneySchema, plainDecimalSchema } from "./primitives.js";
import { programSchema } from "./program.js";

// Event data of spec section 4. Keys are declared in the table's order, which is
// also the order events are written in (the golden vectors compare byte for byte).

const points = z.number().int().positive().refine(Number.isSafeInteger, "must be a safe integer");
const count = z.number().int().nonnegative().refine(Number.isSafeInteger, "must be a safe integer");
const allocations = z.array(z.object({ lotId: z.string().uuid(), points }).strict());
const attributes = z.record(z.union([z.string(), z.number().finite()]));
const items = z.array(
  z.object({ sku: z.string().min(1), quantity: z.number().int().min(1), unitPrice: moneySchema }).strict(),
);

// Personal values (club-v1 §6) are written plain, or sealed as {"$pii": ...}
// under a program that encrypts them.
const sealed = z.object({ $pii: z.string().regex(/^[A-Za-z0-9_-]+$/) }).strict();
const personal = <T extends z.ZodTypeAny>(plain: T) => z.union([plain, sealed]);
const birthDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const name = z.string().min(1).max(200);
const contact = z
  .object({ email: z.string().min(1).optional(), phone: z.string().min(1).optional() })
  .strict();
const contactPatch = z
  .object({ email: z.string().min(1).nullable().optional(), phone: z.string().min(1).nullable().optional() })
  .strict();
const consent = z.object({ sms: z.boolean().optional(), email: z.boolean().optional() }).strict();
const lang = z.enum(["fa", "en"]);

// L1's keys first, in L1's order, then club-v1 §4's (club-v1 §10 "Sealing").
export const memberJoinedData = z
  .object({
    memberId: idSchema,
    kind: z.enum(["person", "organization"]),
    birthDate: personal(birthDate).optional(),
    referredBy: idSchema.optional(),
    attributes: attributes.optional(),
    name: personal(name).optional(),
    contact: personal(contact).optional(),
    consent: consent.optional(),
    lang: lang.optional(),
  })
  .strict();

// Profiles, notes, messages and erasure (club-v1 §4-6); keys in the spec's order.
export const profileUpdatedData = z
  .object({
    updateId: idSchema,
    name: personal(name).optional(),
    contact: personal(contactPatch).optional(),
    consent: consent.optional(),
    lang: lang.optional(),
    birthDate: personal(birthDate).optional(),
    attributes: z.record(z.union([z.string(), z.number().finite(), z.null()])).optional(),
  })
  .strict();
export const noteAddedData = z
  .object({ noteId: idSchema, text: personal(z.string().min(1).max(2000)), actor: z.string().min(1) })
  .strict();
export const messageSentData = z
  .object({
    messageKey: z.string().min(1),
    channel: z.enum(["sms", "email"]),
    providerMessageId: z.string().min(1).optional(),
  })
  .strict();
export const memberForgottenData = z.object({ requestId: idSchema, actor: z.string().min(1) }).strict();

export const purchaseRecordedData = z
  .object({
    purchaseId: idSchema,
    amount: moneySchema,
    channel: z.string().min(1).optional(),
    items: items.optional(),
  })
  .strict();

export const purchaseRefundedData = z
  .object({ purchaseId: idSchema, refundId: idSchema, amount: moneySchema })
  .strict();

export const earnReasons = ["purchase", "signup", "birthday", "referral", "adjustment", "draw"] as const;
export type EarnReason = (typeof earnReasons)[number];

export const pointsEarnedData = z
  .object({
    lotId: z.string().uuid(),
    points,
    reason: z.enum(earnReasons),
    purchaseId: idSchema.optional(),
    refereeId: idSchema.optional(),
    birthdayYear: z.number().int().optional(),
    adjustmentId: idSchema.optional(),
    actor: z.string().min(1).optional(),
    note: z.string().min(1).optional(),
    // A draw prize (club spec §3).
    drawId: idSchema.optional(),
    rank: z.number().int().min(1).optional(),
    availableAt: isoTimeOutSchema,
    expiresAt: isoTimeOutSchema.nullable(),
    debtRepaid: count,
  })
  .strict();

export const pointsRedeemedData = z
  .object({ redemptionId: idSchema, points, rewardId: idSchema.optional(), allocations })
  .strict();

export const redemptionReversedData = z
  .object({ redemptionId: idSchema, points, debtRepaid: count, allocations })
  .strict();

export const pointsClawedBackData = z
  .object({ purchaseId: idSchema, refundId: idSchema, points, allocations, debtIncurred: count })
  .strict();

export const pointsDebitedData = z
  .object({
    adjustmentId: idSchema,
    points,
    reason: z.string().min(1),
    actor: z.string().min(1),
    allocations,
  })
  .strict();

export const pointsExpiredData = z.object({ lotId: z.string().uuid(), points }).strict();

export const tierChangedData = z
  .object({ from: idSchema, to: idSchema, direction: z.enum(["up", "down"]), metric: plainDecimalSchema })
  .strict();

export const feedbackSubmittedData = z
  .object({
    feedbackId: idSchema,
    score: z.number().int().min(0).max(10),
    comment: personal(z.string().min(1)).optional(),
  })
  .strict();

// Club events (club-v1 §2); keys in the order of the spec's braces.
export const couponIssuedData = z
  .object({ couponId: idSchema, rewardId: idSchema, code: z.string().min(1), validUntil: isoTimeOutSchema })
  .strict();
export const couponVoidedData = z.object({ couponId: idSchema }).strict();
export const couponUsedData = z.object({ couponId: idSchema, orderId: idSchema.optional() }).strict();
export const rewardClaimedData = z
  .object({ rewardId: idSchema, memberId: idSchema, redemptionId: idSchema })
  .strict();
export const rewardReleasedData = z
  .object({
    rewardId: idSchema,
    memberId: idSchema,
    redemptionId: idSchema,
    reason: z.enum(["reversed", "orphaned"]),
  })
  .strict();

// Prize draws (club spec §3); keys in the spec's order (§9).
export const drawEnteredData = z
  .object({ drawId: idSchema, entryId: idSchema, tickets: points, points, allocations })
  .strict();

export const drawWonData = z.object({ drawId: idSchema, rank: z.number().int().min(1) }).strict();

export const drawHeldData = z
  .object({
    drawId: idSchema,
    seed: z.string().min(1),
    beacon: z.string().min(1).optional(),
    tickets: count,
    entrants: count,
    winners: z.array(
      z.object({ rank: z.number().int().min(1), memberId: idSchema, tickets: points }).strict(),
    ),
  })
  .strict();

export const programPublishedData = z.object({ program: programSchema }).strict();

export const eventDataSchemas = {
  MemberJoined: memberJoinedData,
  PurchaseRecorded: purchaseRecordedData,
  PurchaseRefunded: purchaseRefundedData,
  PointsEarned: pointsEarnedData,
  PointsRedeemed: pointsRedeemedData,
  RedemptionReversed: redemptionReversedData,
  PointsClawedBack: pointsClawedBackData,
  PointsDebited: pointsDebitedData,
  PointsExpired: pointsExpiredData,
  TierChanged: tierChangedData,
  FeedbackSubmitted: feedbackSubmittedData,
  ProgramPublished: programPublishedData,
  CouponIssued: couponIssuedData,
  CouponVoided: couponVoidedData,
  CouponUsed: couponUsedData,
  RewardClaimed: rewardClaimedData,
  RewardReleased: rewardReleasedData,
  DrawEntered: drawEnteredData,
  DrawWon: drawWonData,
  DrawHeld: drawHeldData,
  ProfileUpdated: profileUpdatedData,
  NoteAdded: noteAddedData,
  MessageSent: messageSentData,
  MemberForgotten: memberForgottenData,
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const EVENT_TYPES = Object.keys(eventDataSchemas) as EventType[];

export type MemberJoined = z.infer<typeof memberJoinedData>;
export type PurchaseRecorded = z.infer<typeof purchaseRecordedData>;
export type PurchaseRefunded = z.infer<typeof purchaseRefundedData>;
export type PointsEarned = z.infer<typeof pointsEarnedData>;
export type PointsRedeemed = z.infer<typeof pointsRedeemedData>;
export type RedemptionReversed = z.infer<typeof redemptionReversedData>;
export type PointsClawedBack = z.infer<typeof pointsClawedBackData>;
export type PointsDebited = z.infer<typeof pointsDebitedData>;
export type PointsExpired = z.infer<typeof pointsExpiredData>;
export type TierChanged = z.infer<typeof tierChangedData>;
export type FeedbackSubmitted = z.infer<typeof feedbackSubmittedData>;
export type ProgramPublished = z.infer<typeof programPublishedData>;
export type CouponIssued = z.infer<typeof couponIssuedData>;
export type CouponVoided = z.infer<typeof couponVoidedData>;
export type CouponUsed = z.infer<typeof couponUsedData>;
export type RewardClaimed = z.infer<typeof rewardClaimedData>;
export type RewardReleased = z.infer<typeof rewardReleasedData>;
export type DrawEntered = z.infer<typeof drawEnteredData>;
export type DrawWon = z.infer<typeof drawWonData>;
export type DrawHeld = z.infer<typeof drawHeldData>;
export type ProfileUpdated = z.infer<typeof profileUpdatedData>;
export type NoteAdded = z.infer<typeof noteAddedData>;
export type MessageSent = z.infer<typeof messageSentData>;
export type MemberForgotten = z.infer<typeof memberForgottenData>;
export type Allocation = { lotId: string; points: number };

export interface EventDataMap {
  MemberJoined: MemberJoined;
  PurchaseRecorded: PurchaseRecorded;
  PurchaseRefunded: PurchaseRefunded;
  PointsEarned: PointsEarned;
  PointsRedeemed: PointsRedeemed;
  RedemptionReversed: RedemptionReversed;
  PointsClawedBack: PointsClawedBack;
  PointsDebited: PointsDebited;
  PointsExpired: PointsExpired;
  TierChanged: TierChanged;
  FeedbackSubmitted: FeedbackSubmitted;
  ProgramPublished: ProgramPublished;
  CouponIssued: CouponIssued;
  CouponVoided: CouponVoided;
  CouponUsed: CouponUsed;
  RewardClaimed: RewardClaimed;
  RewardReleased: RewardReleased;
  DrawEntered: DrawEntered;
  DrawWon: DrawWon;
  DrawHeld: DrawHeld;
  ProfileUpdated: ProfileUpdated;
  NoteAdded: NoteAdded;
  MessageSent: MessageSent;
  MemberForgotten: MemberForgotten;
}

/** A domain event: type plus data, with the time it happened (ISO, UTC, ms). */
export type LedgerEvent = {
  [K in EventType]: { type: K; occurredAt: string; data: EventDataMap[K] };
}[EventType];
