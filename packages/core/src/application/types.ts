import type { Command } from "../commands.js";
import type { ProposedEvent } from "../envelope.js";
import type { Rejection } from "../errors.js";
import type { KeyStore } from "../privacy/key-store.js";
import type { Program } from "../program.js";
import type { MemberState } from "../state.js";
import type { EventStore } from "../store.js";

/**
 * What happened to one command. `events` are the events this call appended
 * (empty for a no-op replay), as they were proposed to the store: read them
 * back from the store for `recordedAt` and positions.
 */
export type CommandOutcome =
  | { status: "accepted"; events: ProposedEvent[]; replay: boolean }
  | { status: "rejected"; rejection: Rejection };

export interface LedgerOptions {
  store: EventStore;
  /** The program commands are decided under; published on first use if its version is new. */
  program: Program;
  /** Attempts of decide+append on expected-revision conflicts before `CONCURRENCY` (default 10). */
  maxAttempts?: number;
  /**
   * HMAC key of coupon codes (club-v1 §2): never stored in an event. Required
   * (`COUPON_SECRET_MISSING`) when a reward of the program issues coupons.
   */
  couponSecret?: string;
  /**
   * Members' data keys (club-v1 §6). Required (`KEY_STORE_MISSING`) when the
   * program sets `privacy.encryptPersonalData`; `forget` destroys a key.
   */
  keyStore?: KeyStore;
}

export interface Ledger {
  readonly program: Program;
  /**
   * Publishes `program` (spec 5.10) if its version is not in the program stream yet.
   * `at` dates the `ProgramPublished` event.
   */
  publishProgram(at: string): Promise<{ published: boolean; events: ProposedEvent[] }>;
  /**
   * Validates and decides one command of spec 5 and appends its events.
   * Typed with `Command` (inferred from the zod schemas), so `amount: 42.5`
   * fails at compile time; the command is still validated at run time, and a
   * parsed JSON value (`any`) is accepted as it is (docs/getting-started.md).
   */
  execute(command: Command): Promise<CommandOutcome>;
  /**
   * Runs commands in order with the outcomes `execute` would give one by one,
   * event for event, but appends them in one atomic `appendToStreams` call
   * (a sweep covers the members this batch created too). On a
   * conflict only the commands of the streams involved are decided again.
   * Typed like `execute`; each command is still validated at run time.
   *
   * Pipelining: start the next call before this one resolves, with
   * `{ after: thisCallsPromise }`, and it is decided while this one is stored.
   */
  executeMany(commands: readonly Command[], options?: ExecuteManyOptions): Promise<CommandOutcome[]>;
  /** The member's state as the ledger decides on it (caught up with the store). */
  loadMember(memberId: string): Promise<MemberState>;
}

export interface ExecuteManyOptions {
  /**
   * The promise of an earlier `executeMany` call on this ledger (issue 11):
   * this batch is decided on the states that call drafted, while it is being
   * stored, and appended only after it. If that call fails, this one fails with
   * `PRECEDING_BATCH_FAILED` and appends nothing, so the batches land in order;
   * if it was decided again (a conflict), this one is decided again on what
   * was stored. Any other promise: this call waits for it, then runs.
   */
  after?: Promise<unknown>;
}
