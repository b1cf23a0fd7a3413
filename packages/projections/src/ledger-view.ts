/**
 * What the queries read: a member's record (live fold plus optional history) and the
 * ledger view. Kept apart from ledger.ts so queries/* depend on this module one way.
 */
import { type EventType, VafaError } from "@vafa/core";
import { compactPurchases } from "./compact-purchases.js";
import { MemberFold } from "./member-fold.js";
import type { ProgramView } from "./program-view.js";

const NO_HISTORY: unknown[] = Object.freeze([]) as unknown as unknown[];

/**
 * One member: its live fold plus, with `keepHistory`, the member's events in
 * stream order (type, time, data only: no envelope), folded into `fold` lazily.
 */
export class MemberRecord {
  /** The live fold; with history it is created on first use (a bulk load for a past T never needs it). */
  private current: MemberFold | undefined;
  /**
   * The member's events as flat triples `type, occurredAt, data` (one array per
   * member keeps allocation low); empty without `keepHistory`.
   */
  readonly history: unknown[];
  /** How many history slots `fold` has applied. */
  folded = 0;
  /** Latest `occurredAt` seen ("" before any). */
  lastAt = "";
  /** Events applied to this member (history or not). */
  size = 0;
  // One remembered answer per kind: queries usually ask one T (or one period) several times.
  private asOf: { cut: string; inclusive: boolean; size: number; fold: MemberFold } | undefined = undefined;
  private period: { from: string; to: string; size: number; value: unknown } | undefined = undefined;

  /** Lot count past which spent lots are dropped next (doubles, so the scans stay amortised). */
  private pruneAt = PRUNE_FROM;

  constructor(
    readonly memberId: string,
    readonly keepHistory: boolean,
  ) {
    this.current = keepHistory ? undefined : new MemberFold(memberId);
    this.history = keepHistory ? [] : NO_HISTORY;
  }

  /** Applies an event straight to the live fold (projections without history). */
  applyNow(type: EventType, at: string, data: unknown): void {
    const fold = this.live();
    fold.apply(type, at, data);
    // Without history, queries never look before the member's last event, so
    // lots that are empty and expired by then can go: memory follows live lots.
    if (!this.keepHistory && fold.lots.length > this.pruneAt) {
      fold.dropSpentLots(at);
      this.pruneAt = Math.max(PRUNE_FROM, 2 * fold.lots.length);
    }
  }

  /** Set by `settlePeriod`, `settleRfm` or `settleAsOf`: the record answers that one question and nothing else. */
  settled = false;

  /**
   * Computes the answer for one period (kpis, rollforward; `compute` leaves it
   * in the period memo) and drops the history: read stream by stream, memory
   * then follows members, not events. Afterwards only that period can be
   * asked (others throw); an event that arrives later is flagged on the
   * projection (`reopened`).
   */
  settlePeriod(compute: (rec: MemberRecord) => unknown): void {
    if (this.settled) return;
    compute(this);
    this.history.length = 0;
    this.folded = 0;
    this.current = undefined;
    this.asOf = undefined;
    this.settled = true;
  }

  /**
   * Set by `settleRfm`: the member's purchases with a positive net amount as
   * times (ms) and nets (1e-8 units), all RFM needs once the stream is over.
   */
  rfmPurchases: { atMs: Float64Array; net: BigInt64Array } | undefined = undefined;

  /**
   * Reduces the member to what RFM reads (a stream that has ended: no refund
   * can follow) and drops the fold: 16 bytes per purchase. Only when every
   * purchase time is canonical (`toISOString` form), so comparing times in ms
   * is comparing their texts, as `rfmInputOf` does; else the fold is kept.
   */
  settleRfm(): void {
    if (this.settled || this.keepHistory) return;
    const compact = compactPurchases(this.live().purchases);
    if (compact === undefined) return;
    this.rfmPurchases = compact;
    this.current = undefined;
    this.settled = true;
  }

  /** Set by `settleAsOf`: the answer as of one cut. */
  private asOfAnswer: { cut: string; value: unknown } | undefined = undefined;

  /**
   * Reduces the member to its answer as of `cut` (balances and liability read
   * about twenty numbers) once its stream has ended and every applied event is
   * at or before `cut`; drops the fold. Projections without history only.
   */
  settleAsOf(cut: string, summarise: (fold: MemberFold) => unknown, withRfm = false): void {
    if (this.settled || this.keepHistory) return;
    const fold = this.foldAt(cut, true);
    // With RFM's purchases too (as `settleRfm`), one pass answers rfm, balances and liability at `cut`.
    if (withRfm) {
      const compact = compactPurchases(fold.purchases);
      if (compact === undefined) return;
      this.rfmPurchases = compact;
    }
    this.asOfAnswer = { cut, value: summarise(fold) };
    this.current = undefined;
    this.settled = true;
  }

  /**
   * `summarise` of the fold as of `cut` (inclusive), or the answer kept by
   * `settleAsOf` for that cut (one summariser per cut, so the same value).
   */
  answerAt<T>(cut: string, summarise: (fold: MemberFold) => T): T {
    const answer = this.asOfAnswer;
    if (answer !== undefined && answer.cut === cut) return answer.value as T;
    return summarise(this.foldAt(cut, true));
  }

  /** The fold of every applied event. */
  live(): MemberFold {
    if (this.settled) throw settledError(this.memberId);
    let fold = this.current;
    if (fold === undefined) {
      fold = new MemberFold(this.memberId);
      this.current = fold;
    }
    const history = this.history;
    for (let i = this.folded; i < history.length; i += 3)
      fold.apply(history[i] as EventType, history[i + 1] as string, history[i + 2]);
    this.folded = history.length;
    return fold;
  }

  /**
   * The fold of the events with `occurredAt <= cut` (inclusive) or `< cut`:
   * the live fold when every event qualifies, else a fresh fold of the history.
   */
  foldAt(cut: string, inclusive: boolean): MemberFold {
    if (this.settled) throw settledError(this.memberId);
    if (inclusive ? this.lastAt <= cut : this.lastAt < cut) return this.live();
    if (!this.keepHistory) throw historyError(this.memberId, cut);
    const memo = this.asOf;
    if (memo !== undefined && memo.cut === cut && memo.inclusive === inclusive && memo.size === this.size)
      return memo.fold;
    const f = new MemberFold(this.memberId);
    const history = this.history;
    for (let i = 0; i < history.length; i += 3) {
      const at = history[i + 1] as string;
      if (inclusive ? at <= cut : at < cut) f.apply(history[i] as EventType, at, history[i + 2]);
    }
    this.asOf = { cut, inclusive, size: this.size, fold: f };
    return f;
  }

  /** A period summary, computed once per (from, to) until new events arrive. */
  periodOf<T>(from: string, to: string, compute: (rec: MemberRecord) => T): T {
    const memo = this.period;
    // One caller (queries/period.ts) so one T: generic only to keep this module free of queries/*.
    if (memo !== undefined && memo.from === from && memo.to === to && memo.size === this.size)
      return memo.value as T;
    if (this.settled) throw settledError(this.memberId);
    const value = compute(this);
    this.period = { from, to, size: this.size, value };
    return value;
  }
}

/** Lots a member may hold before empty, expired ones are dropped (projections without history). */
const PRUNE_FROM = 32;

const settledError = (memberId: string): VafaError =>
  new VafaError(
    "VALIDATION",
    `member ${memberId} was reduced to one query's answer when its stream ended (settlePeriod, settleRfm, settleAsOf)`,
    "rebuild the projection without settling members to ask anything else",
  );

const historyError = (memberId: string, cut: string): VafaError =>
  new VafaError(
    "VALIDATION",
    `member ${memberId} has events after ${cut}, and this projection keeps no history to look back`,
    "create it with keepHistory: true, or rebuild it with `until` set to the query time",
  );

/** Read access to a ledger projection for the query functions. */
export interface LedgerView {
  program(): ProgramView;
  /** Members sorted by memberId (UTF-16 code units). */
  members(): readonly MemberRecord[];
}
