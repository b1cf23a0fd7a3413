import { DAY_MS, type Program } from "@vafa/core";
import { LedgerProjection } from "../ledger.js";
import { MemberFold } from "../member-fold.js";
import type { ProgramView } from "../program-view.js";
import { PositionGuard, type Projection, type ProjectionEvent } from "../projection.js";
import { queryTime } from "../time.js";
import { compactRfmInput, type RfmInput, type RfmRow, rfmInputOf, scoreRfm } from "./rfm.js";

// Spec 6 rfm from a file read stream by stream, folding only what RFM reads:
// the same answers as `LedgerProjection` settled with `settleRfmStream`
// (rfm-fold.property test), with none of the other members' state.

const MEMBER_PREFIX = "member-";
const MAX_NET = 0x7fffffffffffffffn;

const digitsAt = (s: string, at: number, n: number): number => {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
};

const daysIn = (y: number, m: number): number =>
  m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/**
 * The ms of a time in `toISOString` form (`2024-01-31T10:00:00.000Z`), or NaN
 * when it is not that form: as `Date.parse` checked by a round trip through
 * `toISOString`, without building a Date for the common case.
 */
export const canonicalMs = (at: string): number => {
  if (
    at.length === 24 &&
    at[4] === "-" &&
    at[7] === "-" &&
    at[10] === "T" &&
    at[13] === ":" &&
    at[16] === ":"
  ) {
    if (at[19] === "." && at[23] === "Z") {
      const y = digitsAt(at, 0, 4);
      const mo = digitsAt(at, 5, 2);
      const d = digitsAt(at, 8, 2);
      const h = digitsAt(at, 11, 2);
      const mi = digitsAt(at, 14, 2);
      const s = digitsAt(at, 17, 2);
      const ms = digitsAt(at, 20, 3);
      // Date.UTC reads years below 100 as 19xx: those take the slow way.
      if (y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h >= 0 && h < 24)
        if (mi >= 0 && mi < 60 && s >= 0 && s < 60 && ms >= 0) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
    }
  }
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === at ? ms : Number.NaN;
};

interface RfmMember {
  memberId: string;
  /** The fold while the stream is read (or kept when a time is not canonical). */
  fold: MemberFold | undefined;
  /** Set when the stream ended: the purchases with a positive net, as times (ms) and nets. */
  compact: { atMs: Float64Array; net: BigInt64Array } | undefined;
}

/** A projection for `rfm` alone: members' purchases and the program of the highest version. */
export class RfmFold implements Projection {
  private readonly guard = new PositionGuard();
  /** Non-member streams (programs), folded as the ledger projection folds them. */
  private readonly programs = new LedgerProjection({ keepHistory: false });
  private readonly byStream = new Map<string, RfmMember>();
  /** True when an event came for a member already settled: read again without settling. */
  reopened = false;

  get position(): bigint | undefined {
    return this.guard.position;
  }

  apply(event: ProjectionEvent): boolean {
    if (!this.guard.accept(event.position)) return false;
    const streamId = event.streamId;
    let m = this.byStream.get(streamId);
    if (m === undefined) {
      if (!streamId.startsWith(MEMBER_PREFIX)) {
        // Its guard sees a subset of the positions this one accepted: it accepts them too.
        this.programs.apply(event);
        return true;
      }
      const memberId = streamId.slice(MEMBER_PREFIX.length);
      m = { memberId, fold: new MemberFold(memberId), compact: undefined };
      this.byStream.set(streamId, m);
    }
    if (m.fold === undefined) this.reopened = true;
    else if (event.type === "PurchaseRecorded" || event.type === "PurchaseRefunded")
      m.fold.apply(event.type, event.occurredAt, event.data);
    return true;
  }

  /** As `MemberRecord.settleRfm`: the member of an ended stream reduced to 16 bytes a purchase. */
  settle(streamId: string): void {
    const m = this.byStream.get(streamId);
    if (m?.fold === undefined) return;
    const atMs: number[] = [];
    const net: bigint[] = [];
    for (const p of m.fold.purchases) {
      const ms = canonicalMs(p.at);
      if (Number.isNaN(ms)) return;
      const n = p.amount - p.refunded;
      if (n <= 0n) continue;
      if (n > MAX_NET) return;
      atMs.push(ms);
      net.push(n);
    }
    m.compact = { atMs: Float64Array.from(atMs), net: BigInt64Array.from(net) };
    m.fold = undefined;
  }

  get publishedProgram(): Program | undefined {
    return this.programs.publishedProgram;
  }

  /** Member ids, sorted (UTF-16 code units). */
  memberIds(): string[] {
    return this.sorted().map((m) => m.memberId);
  }

  private sorted(): RfmMember[] {
    return [...this.byStream.values()].sort((a, b) =>
      a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
    );
  }

  /** As `rfmInputs`, under `program` (default: the highest version this fold saw). */
  inputs(asOf: string, view?: ProgramView): RfmInput[] {
    const t = queryTime(asOf, "asOf");
    const program = view ?? this.programs.program();
    const tMs = Date.parse(t);
    const windowStart = new Date(tMs - program.rfmWindowDays * DAY_MS).toISOString();
    const windowStartMs = Date.parse(windowStart);
    const inputs: RfmInput[] = [];
    for (const m of this.sorted()) {
      const input =
        m.compact !== undefined
          ? compactRfmInput(m.memberId, m.compact, tMs, windowStartMs)
          : rfmInputOf(m.fold as MemberFold, tMs, windowStart);
      if (input !== undefined) inputs.push(input);
    }
    return inputs;
  }

  /** Spec 6 rfm as of T. */
  rows(asOf: string): RfmRow[] {
    return scoreRfm(this.inputs(asOf));
  }
}
