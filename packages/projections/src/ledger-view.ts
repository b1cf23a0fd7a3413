/**
 * What the queries read: a member's record (live fold plus optional history) and the
 * ledger view. Kept apart from ledger.ts so queries/* depend on this module one way.
 */
import { type EventType, VafaError } from "@vafa/core";
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

  /** The fold of every applied event. */
  live(): MemberFold {
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
    const value = compute(this);
    this.period = { from, to, size: this.size, value };
    return value;
  }
}

/** Lots a member may hold before empty, expired ones are dropped (projections without history). */
const PRUNE_FROM = 32;

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
