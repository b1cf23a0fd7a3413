import type { Allocation, MemberJoined, ProfileUpdated } from "./events.js";

// The state of one member stream, derived only from its events (spec 4, 5).
// Times are UTC milliseconds; money stays in the strings the events carry.

export interface Lot {
  lotId: string;
  points: number;
  remaining: number;
  earnedAt: number;
  availableAt: number;
  /** `null`: never expires. */
  expiresAt: number | null;
  /** Stream revision of the PointsEarned event: the FIFO tie-break. */
  revision: number;
  reason: string;
  purchaseId?: string;
}

export interface Purchase {
  purchaseId: string;
  amount: string;
  /** `amount` in units of 1e-8 (money has at most 8 decimals). */
  amountUnits: bigint;
  at: number;
  channel?: string;
  items?: unknown;
  /** Sum of refunds so far (money string). */
  refunded: string;
  refundedUnits: bigint;
  refunds: { refundId: string; amount: string; units: bigint; at: number }[];
  /** Points of the purchase lot (0 when it earned none). */
  earned: number;
  lotId?: string;
  /** Points clawed back by its refunds so far. */
  clawed: number;
}

export interface Redemption {
  redemptionId: string;
  points: number;
  rewardId?: string;
  at: number;
  allocations: Allocation[];
  reversedAt?: number;
  /**
   * Whether a catalogue redeem gave `points` (club-v1 §9: a replay with the
   * other form is IDEMPOTENCY_CONFLICT). Set by the decider; the events do not
   * record it, so a state folded from the store leaves it out.
   */
  pointsGiven?: boolean;
}

/** A coupon a reward redemption issued (club-v1 §2); its id is the redemptionId. */
export interface Coupon {
  couponId: string;
  rewardId: string;
  code: string;
  issuedAt: number;
  validUntil: number;
  usedAt?: number;
  orderId?: string;
  voidedAt?: number;
}

export interface Adjustment {
  adjustmentId: string;
  points: number;
  reason: string;
  actor: string;
  at: number;
}

/** A draw entry (club spec §3): entries are final. */
export interface DrawEntry {
  entryId: string;
  drawId: string;
  tickets: number;
  points: number;
  at: number;
}

/**
 * A member's profile as it can be read now (club-v1 §4, §10): a personal value
 * that cannot be opened (its key destroyed by `forget`) is absent.
 */
export interface Profile {
  name?: string;
  /** Absent when no key is left. */
  contact?: { email?: string; phone?: string };
  /** As given: an absent channel means no consent (members opt in). */
  consent: { sms?: boolean; email?: boolean };
  lang?: "fa" | "en";
  birthDate?: string;
  /** When the birth date in force was given (UTC ms): its birthdays count from that day (club-v1 §10 "Due times"). */
  birthDateGivenAt?: number;
  attributes: Record<string, string | number>;
}

/** A profile update as it can be read now: its data with unreadable personal values left out. */
export interface ProfileUpdate {
  at: number;
  data: ProfileUpdated;
}

export interface Note {
  at: number;
  /** Absent once it cannot be read. */
  text?: string;
  actor: string;
}

export interface SentMessage {
  at: number;
  channel: "sms" | "email";
  providerMessageId?: string;
}

export interface MemberState {
  streamId: string;
  /** Last revision; -1 when the stream is empty. */
  revision: number;
  lastHash: string | null;
  /** occurredAt of the last event; -Infinity when none. */
  lastEventAt: number;
  joined: MemberJoined | null;
  joinedAt: number;
  /** Lots in creation order. */
  lots: Lot[];
  /** lotId -> index in `lots`. */
  lotIndex: Map<string, number>;
  debt: number;
  purchases: Map<string, Purchase>;
  /** refundId -> purchaseId. */
  refunds: Map<string, { purchaseId: string; amount: string; at: number }>;
  redemptions: Map<string, Redemption>;
  adjustments: Map<string, Adjustment>;
  feedback: Map<string, { score: number; comment?: string; at: number }>;
  /** couponId -> coupon (club-v1 §2). */
  coupons: Map<string, Coupon>;
  tier: string;
  tierSince: number;
  birthdaysPaid: Set<number>;
  referralsPaid: Set<string>;
  /** The latest commandId and how many events it appended in a row: the next event-id index. */
  lastCommand: { id: string; count: number };
  /** Events per sweep commandId: only a sweep can append to a stream again later (spec 5.6). */
  sweepCounts: Map<string, number>;
  /** entryId -> entry (club spec §3). */
  drawEntries: Map<string, DrawEntry>;
  /** Draws this member won (DrawWon): the winner's events come once. */
  drawsWon: Set<string>;
  /**
   * The spend tier metric's running sum (spec 5.7): the purchases' amounts less
   * all their refunds, in units of 1e-8, with bounds on the times it covers (the
   * earliest purchase; the latest purchase or refund). While every purchase is
   * inside the window and no refund is later than `t`, it is metric(t).
   */
  spendUnits: bigint;
  spendFirstAt: number;
  spendLastAt: number;
  /**
   * purchaseIds in recording order: the tier metric walks it backwards from
   * `t` and stops at the window's start (spec 5.7), while `purchasesByTime`
   * holds (each purchase no earlier than the one before: the decider's
   * OUT_OF_ORDER check makes it so).
   */
  purchaseOrder: string[];
  purchasesByTime: boolean;
  /** The profile in force (club-v1 §4). */
  profile: Profile;
  /** updateId -> update (club-v1 §4): the idempotency of update-profile. */
  profileUpdates: Map<string, ProfileUpdate>;
  /** noteId -> note (club-v1 §4). */
  notes: Map<string, Note>;
  /** messageKey -> what the host reported sent (club-v1 §5). */
  messagesSent: Map<string, SentMessage>;
  /** requestId -> forget request (club-v1 §6). */
  forgetRequests: Map<string, { at: number; actor: string }>;
  /** Time of the first MemberForgotten; undefined while not forgotten. */
  forgottenAt: number | undefined;
}

export const initialMemberState = (streamId: string, firstTier: string): MemberState => ({
  streamId,
  revision: -1,
  lastHash: null,
  lastEventAt: Number.NEGATIVE_INFINITY,
  joined: null,
  joinedAt: 0,
  lots: [],
  lotIndex: new Map(),
  debt: 0,
  purchases: new Map(),
  refunds: new Map(),
  redemptions: new Map(),
  adjustments: new Map(),
  feedback: new Map(),
  coupons: new Map(),
  tier: firstTier,
  tierSince: 0,
  birthdaysPaid: new Set(),
  referralsPaid: new Set(),
  lastCommand: { id: "", count: 0 },
  sweepCounts: new Map(),
  drawEntries: new Map(),
  drawsWon: new Set(),
  spendUnits: 0n,
  spendFirstAt: Number.POSITIVE_INFINITY,
  spendLastAt: Number.NEGATIVE_INFINITY,
  purchaseOrder: [],
  purchasesByTime: true,
  profile: { consent: {}, attributes: {} },
  profileUpdates: new Map(),
  notes: new Map(),
  messagesSent: new Map(),
  forgetRequests: new Map(),
  forgottenAt: undefined,
});

/** FIFO order of spec 5.4: expiresAt ascending (never last), then creation order. */
export const fifoCompare = (a: Lot, b: Lot): number => {
  const ea = a.expiresAt ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt ?? Number.POSITIVE_INFINITY;
  return ea !== eb ? ea - eb : a.revision - b.revision;
};

export const isExpired = (lot: Lot, now: number): boolean => lot.expiresAt !== null && lot.expiresAt <= now;
export const isPending = (lot: Lot, now: number): boolean => now < lot.availableAt;

/** Sum of available lots at `now` (spec 5.4). */
export const availablePoints = (state: MemberState, now: number): number =>
  state.lots.reduce((sum, l) => (!isExpired(l, now) && !isPending(l, now) ? sum + l.remaining : sum), 0);

export const pendingPoints = (state: MemberState, now: number): number =>
  state.lots.reduce((sum, l) => (!isExpired(l, now) && isPending(l, now) ? sum + l.remaining : sum), 0);

/**
 * Index of the next event `commandId` appends to this stream (spec 2). Every
 * other command appends once, in one run of events; a sweep may come back.
 */
export const nextEventIndex = (s: MemberState, commandId: string): number =>
  s.lastCommand.id === commandId ? s.lastCommand.count : (s.sweepCounts.get(commandId) ?? 0);
