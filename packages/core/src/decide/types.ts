import type { Rejection } from "../errors.js";
import type { LedgerEvent } from "../events.js";
import type { Program } from "../program.js";

/** What a command needs besides the member's state. */
export interface DecideContext {
  program: Program;
  /** For a join with `referredBy`: whether that member exists in the store (any join time). */
  referrerExists?: boolean;
  /** HMAC key of coupon codes (club-v1 §2); required when a reward issues coupons. */
  couponSecret?: string;
  /**
   * Whether the catalogue redeem `memberId`/`redemptionId` that this ledger
   * accepted gave `points` (club-v1 §9); undefined when it does not know (the
   * member's state then says it, or nobody does).
   */
  pointsGivenOf?: (memberId: string, redemptionId: string) => boolean | undefined;
}

/**
 * The referral reaction on the referrer (spec 5.2): not a command a caller
 * sends, but decided like one, on the referrer's stream.
 */
export interface ReferralReaction {
  type: "referral";
  refereeId: string;
  /** Time of the referee's first purchase (UTC ms). */
  purchaseAt: number;
  /** `purchase:<purchaseId>` of that first purchase. */
  correlationId: string;
}

/**
 * A draw's winner (club spec §3): decided like the referral reaction, on the
 * winner's stream, once the draw's DrawHeld is stored.
 */
export interface DrawWinReaction {
  type: "draw-win";
  drawId: string;
  rank: number;
  /** The draw's `at` (UTC ms). */
  at: number;
  prizePoints: number;
}

/**
 * What the decider says about one command, as plain domain events (no ids,
 * revisions or hashes: sealing adds them).
 * - `events`: append these.
 * - `replay`: the same command was accepted before (spec 5 step 3); append nothing.
 * - `nothing-to-do`: a sweep or a referral with nothing due; append nothing.
 * - `rejected`: refused (spec 5.8); append nothing.
 */
export type Decision =
  | { kind: "events"; events: LedgerEvent[] }
  | { kind: "replay" }
  | { kind: "nothing-to-do" }
  | { kind: "rejected"; rejection: Rejection };
