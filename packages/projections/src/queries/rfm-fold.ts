import { DAY_MS, type Program } from "@vafa/core";
import { compactPurchases } from "../compact-purchases.js";
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
    const compact = compactPurchases(m.fold.purchases);
    if (compact === undefined) return;
    m.compact = compact;
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
