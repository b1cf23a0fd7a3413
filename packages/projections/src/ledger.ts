import { type EventType, type Program, type ProgramPublished, programSchema, VafaError } from "@vafa/core";
import { MemberFold } from "./member-fold.js";
import { noProgramError, type ProgramView, programView } from "./program-view.js";
import { PositionGuard, type Projection, type ProjectionEvent } from "./projection.js";
import { type BalanceRow, balancesAsOf } from "./queries/balances.js";
import { type Kpis, kpis } from "./queries/kpis.js";
import { type Liability, liabilityAsOf } from "./queries/liability.js";
import { type MemberPeriod, memberPeriod } from "./queries/period.js";
import { type RfmRow, rfmAsOf } from "./queries/rfm.js";
import { type Rollforward, rollforward } from "./queries/rollforward.js";
import { queryTime } from "./time.js";

const MEMBER_PREFIX = "member-";
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
  private period: { from: string; to: string; size: number; value: MemberPeriod } | undefined = undefined;

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
  /** Set by `settlePeriod`: the record answers that one period and nothing else. */
  settled = false;

  /**
   * Computes the answer for one period (kpis, rollforward) and drops the
   * history: read stream by stream, memory then follows members, not events.
   * Afterwards only that period can be asked (others throw); an event that
   * arrives later is flagged on the projection (`reopened`).
   */
  settlePeriod(from: string, to: string): void {
    if (this.settled) return;
    // kpis reads only joinedAt, tier and the period's purchases of the closing fold.
    memberPeriod(this, from, to).close.trimForPeriod(from);
    this.history.length = 0;
    this.folded = 0;
    this.current = undefined;
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
    const purchases = this.live().purchases;
    const atMs: number[] = [];
    const net: bigint[] = [];
    for (const p of purchases) {
      const ms = Date.parse(p.at);
      if (Number.isNaN(ms) || new Date(ms).toISOString() !== p.at) return;
      const n = p.amount - p.refunded;
      if (n <= 0n) continue;
      if (n > 0x7fffffffffffffffn) return;
      atMs.push(ms);
      net.push(n);
    }
    this.rfmPurchases = { atMs: Float64Array.from(atMs), net: BigInt64Array.from(net) };
    this.current = undefined;
    this.settled = true;
  }

  /** Set by `settleAsOf`: spent lots and purchases were dropped; the fold answers balances and liability only. */
  trimmed = false;

  /**
   * Drops what balances and liability never read once the stream has ended:
   * spent lots and purchases (projections without history only).
   */
  settleAsOf(): void {
    if (this.settled || this.keepHistory) return;
    this.live().trimForAsOf();
    this.trimmed = true;
  }

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
  periodOf(from: string, to: string, compute: (rec: MemberRecord) => MemberPeriod): MemberPeriod {
    const memo = this.period;
    if (memo !== undefined && memo.from === from && memo.to === to && memo.size === this.size)
      return memo.value;
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
    `member ${memberId} was reduced to one query's answer when its stream ended (settlePeriod, settleRfm)`,
    "rebuild the projection without settling members to ask anything else",
  );

const historyError = (memberId: string, cut: string): VafaError =>
  new VafaError(
    "VALIDATION",
    `member ${memberId} has events after ${cut}, and this projection keeps no history to look back`,
    "create it with keepHistory: true, or rebuild it with `until` set to the query time",
  );

export interface LedgerProjectionOptions {
  /**
   * Keep each member's events (type, time, data) so queries can look at any
   * earlier time (default true). Without it memory is bounded by the members'
   * lots and purchases, and a query may only ask about times at or after each
   * member's last event (rebuild with `until` to answer an earlier one).
   */
  keepHistory?: boolean;
  /** Used until a `ProgramPublished` event is applied (a higher version always wins). */
  program?: Program;
}

/** Read access to a ledger projection for the query functions. */
export interface LedgerView {
  program(): ProgramView;
  /** Members sorted by memberId (UTF-16 code units). */
  members(): readonly MemberRecord[];
}

/** The whole-ledger fold: members plus the program of the highest published version. */
export class LedgerProjection implements Projection, LedgerView {
  private readonly guard = new PositionGuard();
  private readonly byStream = new Map<string, MemberRecord>();
  private sorted: MemberRecord[] | undefined = undefined;
  private current: Program | undefined;
  private view: ProgramView | undefined;
  private readonly keepHistory: boolean;
  /** Events applied (duplicates by position excluded). */
  applied = 0;
  /** True when an event came for a member already settled (`settlePeriod`): its answer is stale, rebuild without settling. */
  reopened = false;

  constructor(options: LedgerProjectionOptions = {}) {
    this.keepHistory = options.keepHistory ?? true;
    this.current = options.program;
  }

  get position(): bigint | undefined {
    return this.guard.position;
  }

  apply(event: ProjectionEvent): boolean {
    if (!this.guard.accept(event.position)) return false;
    this.applied++;
    const streamId = event.streamId;
    let rec = this.byStream.get(streamId);
    if (rec === undefined) {
      if (!streamId.startsWith(MEMBER_PREFIX)) {
        if (event.type === "ProgramPublished") this.publish((event.data as ProgramPublished | null)?.program);
        return true;
      }
      rec = new MemberRecord(streamId.slice(MEMBER_PREFIX.length), this.keepHistory);
      this.byStream.set(streamId, rec);
      this.sorted = undefined;
    }
    const at = event.occurredAt;
    if (at > rec.lastAt) rec.lastAt = at;
    rec.size++;
    if (rec.settled || rec.trimmed) {
      // Its answer was computed when its stream ended: it is stale now, the caller reads again.
      this.reopened = true;
      return true;
    }
    if (this.keepHistory) {
      rec.history.push(event.type, at, event.data);
    } else {
      rec.applyNow(event.type, at, event.data);
    }
    return true;
  }

  private publish(candidate: unknown): void {
    // Program events are rare: validating them (zod) costs nothing in replay, and
    // an invalid one (the audit reports it) must not break every query.
    const parsed = programSchema.safeParse(candidate);
    if (!parsed.success) return;
    const program = candidate as Program;
    if (this.current === undefined || program.version > this.current.version) {
      this.current = program;
      this.view = undefined;
    }
  }

  program(): ProgramView {
    if (this.view === undefined) {
      if (this.current === undefined) throw noProgramError();
      this.view = programView(this.current);
    }
    return this.view;
  }

  /** The program in force for names and values (highest version), if any. */
  get publishedProgram(): Program | undefined {
    return this.current;
  }

  members(): readonly MemberRecord[] {
    if (this.sorted === undefined) {
      this.sorted = [...this.byStream.values()].sort((a, b) =>
        a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
      );
    }
    return this.sorted;
  }

  /** `settleAsOf` for the member of a stream (no-op for other streams). */
  settleAsOfStream(streamId: string): void {
    this.byStream.get(streamId)?.settleAsOf();
  }

  /** `settleRfm` for the member of a stream (no-op for other streams). */
  settleRfmStream(streamId: string): void {
    this.byStream.get(streamId)?.settleRfm();
  }

  /** `settlePeriod` for the member of a stream (no-op for other streams). */
  settleStream(streamId: string, from: string, to: string): void {
    this.byStream.get(streamId)?.settlePeriod(queryTime(from, "from"), queryTime(to, "to"));
  }

  member(memberId: string): MemberRecord | undefined {
    return this.byStream.get(MEMBER_PREFIX + memberId);
  }

  /** Spec 6 balances as of T (events with `occurredAt <= T`). */
  balancesAsOf(asOf: string): BalanceRow[] {
    return balancesAsOf(this, asOf);
  }

  /** Spec 6 rfm as of T. */
  rfmAsOf(asOf: string): RfmRow[] {
    return rfmAsOf(this, asOf);
  }

  /** Spec 6 liability as of T. */
  liabilityAsOf(asOf: string): Liability {
    return liabilityAsOf(this, asOf);
  }

  /** Spec 6 kpis for [from, to). */
  kpis(from: string, to: string): Kpis {
    return kpis(this, from, to);
  }

  /** Spec 6 rollforward for [from, to). */
  rollforward(from: string, to: string): Rollforward {
    return rollforward(this, from, to);
  }
}

/** A ledger projection: feed it events in global order (or an export, stream by stream), then query any T. */
export const createLedgerProjection = (options: LedgerProjectionOptions = {}): LedgerProjection =>
  new LedgerProjection(options);
