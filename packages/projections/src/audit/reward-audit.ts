import { DAY_MS, findReward, type ProposedEvent, type RewardReleased } from "@vafa/core";
import type { EventLocation, Findings } from "./findings.js";
import type { ProgramBook } from "./programs.js";

// The reward streams of club-v1 §2 and the audit rules of §7 and §9: stock
// counted in revision order (STOCK_OVERDRAWN), claims left without a
// redemption (ORPHAN_CLAIM), releases of claims not held (SCHEMA).

interface HeldClaim {
  at: number;
  loc: EventLocation;
}

/** A member's redemption as the stock checks need it. */
export interface RedemptionFact {
  rewardId: string;
  /** occurredAt of the reversal, when reversed. */
  reversedAt: number | undefined;
  programId: string;
  programVersion: number;
  loc: EventLocation;
}

const key = (memberId: string, redemptionId: string): string => `${memberId}/${redemptionId}`;

/** One reward stream, replayed in revision order. */
export class RewardAudit {
  readonly held = new Map<string, HeldClaim>();
  readonly claimed = new Set<string>();
  readonly releases: { key: string; reason: RewardReleased["reason"]; loc: EventLocation }[] = [];

  constructor(
    readonly rewardId: string,
    private readonly findings: Findings,
    private readonly programs: ProgramBook,
  ) {}

  apply(e: ProposedEvent, loc: EventLocation): void {
    const d = e.data as { rewardId: string; memberId: string; redemptionId: string; reason?: string };
    if (d.rewardId !== this.rewardId)
      this.findings.at(loc, "SCHEMA", `rewardId ${d.rewardId} in the stream of reward ${this.rewardId}`);
    const k = key(d.memberId, d.redemptionId);
    if (e.type === "RewardClaimed") {
      if (this.claimed.has(k)) this.findings.at(loc, "SCHEMA", `claim ${k} repeats in the stream`);
      this.claimed.add(k);
      this.held.set(k, { at: Date.parse(e.occurredAt), loc });
      const count = this.held.size;
      this.programs.withProgram(e.metadata.programId, e.metadata.programVersion, loc, (program) => {
        const stock = findReward(program.rewards, this.rewardId)?.stock;
        if (stock !== undefined && count > stock)
          this.findings.at(
            loc,
            "STOCK_OVERDRAWN",
            `${count} claims held of reward ${this.rewardId}, stock ${stock}`,
          );
      });
    } else {
      // A RewardReleased: the audit passes a reward stream nothing else (other types are SCHEMA).
      if (!this.held.delete(k)) this.findings.at(loc, "SCHEMA", `release of claim ${k}, which is not held`);
      else this.releases.push({ key: k, reason: d.reason as RewardReleased["reason"], loc });
    }
  }
}

/**
 * The checks across streams, once the log is read: every stocked redemption
 * has a claim; no release while its redemption stands; no claim held more
 * than a day (before the log's latest event) without a standing redemption.
 */
export const checkStockAcrossStreams = (
  rewards: ReadonlyMap<string, RewardAudit>,
  redemptions: ReadonlyMap<string, RedemptionFact>,
  latestAt: number,
  programs: ProgramBook,
  findings: Findings,
): void => {
  for (const [k, r] of redemptions) {
    const program = programs.get(r.programId, r.programVersion);
    const stocked = program && findReward(program.rewards, r.rewardId)?.stock !== undefined;
    if (stocked && !rewards.get(r.rewardId)?.claimed.has(k))
      findings.at(r.loc, "STOCK_OVERDRAWN", `redemption ${k} of stocked reward ${r.rewardId} has no claim`);
  }
  for (const audit of rewards.values()) {
    for (const rel of audit.releases) {
      const r = redemptions.get(rel.key);
      if (r && r.reversedAt === undefined)
        findings.at(
          rel.loc,
          "STOCK_OVERDRAWN",
          `claim ${rel.key} released (${rel.reason}) while its redemption stands`,
        );
    }
    for (const [k, claim] of audit.held) {
      const r = redemptions.get(k);
      if (!r && latestAt - claim.at > DAY_MS)
        findings.at(
          claim.loc,
          "ORPHAN_CLAIM",
          `claim ${k} has no redemption and no release after more than a day`,
        );
      else if (r?.reversedAt !== undefined && latestAt - r.reversedAt > DAY_MS)
        findings.at(
          claim.loc,
          "ORPHAN_CLAIM",
          `claim ${k} is still held more than a day after its redemption was reversed`,
        );
    }
  }
};
