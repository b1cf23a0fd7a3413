import { type Program, type ProgramPublished, programSchema } from "@vafa/core";
import { type LedgerView, MemberRecord } from "./ledger-view.js";
import { noProgramError, type ProgramView, programView } from "./program-view.js";
import { PositionGuard, type Projection, type ProjectionEvent } from "./projection.js";
import { type BalanceRow, balancesAsOf } from "./queries/balances.js";
import { type Kpis, kpis } from "./queries/kpis.js";
import { type Liability, liabilityAsOf } from "./queries/liability.js";
import { asOfSummariser } from "./queries/member-asof.js";
import { memberPeriod } from "./queries/period.js";
import { type RfmRow, rfmAsOf } from "./queries/rfm.js";
import { type Rollforward, rollforward } from "./queries/rollforward.js";
import { queryTime } from "./time.js";

const MEMBER_PREFIX = "member-";
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
  /** True when an event came for a member already settled (`settle*Stream`): its answer is stale, rebuild without settling. */
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
    if (rec.settled) {
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

  /**
   * `settleAsOf` at `asOf` for the member of a stream (no-op for other
   * streams): balances and liability at that T, and with `rfm` its RFM
   * purchases too (read with `until: asOf`, so rfm as of that T).
   */
  settleAsOfStream(streamId: string, asOf: string, options: { rfm?: boolean } = {}): void {
    const rec = this.byStream.get(streamId);
    if (rec === undefined) return;
    const t = queryTime(asOf, "asOf");
    rec.settleAsOf(t, asOfSummariser(t), options.rfm === true);
  }

  /** `settleRfm` for the member of a stream (no-op for other streams). */
  settleRfmStream(streamId: string): void {
    this.byStream.get(streamId)?.settleRfm();
  }

  /** `settlePeriod` for the member of a stream (no-op for other streams). */
  settleStream(streamId: string, from: string, to: string): void {
    const fromT = queryTime(from, "from");
    const toT = queryTime(to, "to");
    this.byStream.get(streamId)?.settlePeriod((rec) => memberPeriod(rec, fromT, toT));
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
