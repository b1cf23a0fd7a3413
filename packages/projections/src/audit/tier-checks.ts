import type { MemberState, ProposedEvent, Purchase } from "@vafa/core";
import type { EventLocation, Findings } from "./findings.js";
import { reportProblems } from "./member-findings.js";
import { tierProblems } from "./program-checks.js";
import type { ProgramBook } from "./programs.js";

/**
 * TierChanged against the program's tier rules (spec 6). Keeps the revision
 * of each purchase and refund: a tier check run late counts only what came
 * before it.
 */
export class TierCheck {
  private readonly purchaseRevision = new Map<string, number>();
  private readonly refundRevision = new Map<string, number>();

  constructor(
    private readonly state: MemberState,
    private readonly findings: Findings,
    private readonly programs: ProgramBook,
  ) {}

  purchaseRecorded(purchaseId: string, revision: number): void {
    this.purchaseRevision.set(purchaseId, revision);
  }

  refundRecorded(refundId: string, revision: number): void {
    this.refundRevision.set(refundId, revision);
  }

  /** Checks a TierChanged against the state before it. */
  check(e: ProposedEvent<"TierChanged">, loc: EventLocation, now: number): void {
    const d = e.data;
    const s = this.state;
    const fact = {
      at: now,
      from: d.from,
      to: d.to,
      direction: d.direction,
      metric: d.metric,
      tierBefore: s.tier,
      tierSince: s.tierSince,
    };
    if (s.tier !== "" && d.from !== s.tier)
      this.findings.at(loc, "TIER_MISMATCH", `from is ${d.from}, the member was in ${s.tier}`);
    const revision = e.revision;
    this.programs.withProgram(e.metadata.programId, e.metadata.programVersion, loc, (program) =>
      reportProblems(this.findings, loc, "TIER_MISMATCH", () =>
        tierProblems(program, fact, this.purchasesBefore(revision)),
      ),
    );
  }

  /** Purchases and refunds recorded before `revision`: the tier metric of a check run late. */
  private *purchasesBefore(revision: number): Generator<Purchase> {
    for (const p of this.state.purchases.values()) {
      if ((this.purchaseRevision.get(p.purchaseId) ?? 0) >= revision) continue;
      if (p.refunds.length === 0) {
        yield p;
        continue;
      }
      const refunds = p.refunds.filter((r) => (this.refundRevision.get(r.refundId) ?? 0) < revision);
      yield refunds.length === p.refunds.length ? p : { ...p, refunds };
    }
  }
}
