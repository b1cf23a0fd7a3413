/** Stable rejection codes of the ledger (spec 5.8). */
export const REJECTION_CODES = [
  "VALIDATION",
  "UNKNOWN_MEMBER",
  "MEMBER_EXISTS",
  "OUT_OF_ORDER",
  "CURRENCY_MISMATCH",
  "INSUFFICIENT_POINTS",
  "BELOW_MIN_REDEMPTION",
  "UNKNOWN_PURCHASE",
  "REFUND_EXCEEDS_PURCHASE",
  "UNKNOWN_REDEMPTION",
  "ALREADY_REVERSED",
  "IDEMPOTENCY_CONFLICT",
  "REFERRER_NOT_FOUND",
  "SELF_REFERRAL",
  "CONCURRENCY",
  // club-v1 §7 (rewards and coupons)
  "UNKNOWN_REWARD",
  "REWARD_NOT_AVAILABLE",
  "TIER_NOT_ELIGIBLE",
  "REWARD_LIMIT",
  "OUT_OF_STOCK",
  "UNKNOWN_COUPON",
  "COUPON_CODE_MISMATCH",
  "COUPON_VOID",
  "COUPON_USED",
  "COUPON_EXPIRED",
  // Prize draws (club spec §7).
  "UNKNOWN_DRAW",
  "DRAW_CLOSED",
  "TICKET_LIMIT",
  "DRAW_NOT_CLOSED",
  "SEED_MISMATCH",
  "ALREADY_DRAWN",
  // Erasure (club-v1 §6).
  "ERASURE_UNAVAILABLE",
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

/** A command the ledger refused: nothing was appended. */
export interface Rejection {
  readonly code: RejectionCode;
  /** For a person: names the field and what to do. */
  readonly message: string;
}

export const reject = (code: RejectionCode, message: string): Rejection => ({ code, message });

/** Codes of errors that are not command rejections (programming or infrastructure faults). */
export type VafaErrorCode =
  | RejectionCode
  | "STORE_UNAVAILABLE"
  /** Another process holds an embedded store's folder (PGlite: one process per folder). */
  | "STORE_LOCKED"
  /** A reader was pointed at a location that holds no store; nothing was created. */
  | "STORE_NOT_FOUND"
  /** An event's hash or its link to the previous event does not verify (spec 2): the log was changed. */
  | "HASH_MISMATCH"
  | "STORE_CORRUPT"
  | "PROGRAM_INVALID"
  | "PROGRAM_NOT_PUBLISHED"
  | "INVARIANT"
  | "COUPON_SECRET_MISSING"
  /** A program that encrypts personal data was given no key store (club-v1 §6). */
  | "KEY_STORE_MISSING"
  /** A key was asked to be created again for a member whose key was destroyed (club-v1 §6). */
  | "KEY_DESTROYED"
  /** `executeMany(commands, { after })`: the call it was chained after failed; nothing was appended. */
  | "PRECEDING_BATCH_FAILED";

/** Typed error with a stable code; `hint` says what to do next. */
export class VafaError extends Error {
  override readonly name = "VafaError";
  constructor(
    readonly code: VafaErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(hint ? `${message} (${hint})` : message, options);
  }
}

/** Raised by a store when the expected revision does not match (spec 5.9). */
export class ConcurrencyError extends VafaError {
  constructor(
    readonly streamId: string,
    readonly expectedRevision: ExpectedRevision,
    readonly actualRevision: number | "no_stream",
  ) {
    super(
      "CONCURRENCY",
      `stream ${streamId}: expected revision ${String(expectedRevision)}, found ${String(actualRevision)}`,
      "load the stream again and decide the command on fresh state",
    );
  }
}

/** `no_stream`: the stream must not exist; `any`: no check; a number: the last revision. */
export type ExpectedRevision = number | "no_stream" | "any";
