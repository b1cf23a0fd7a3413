import { findReward } from "@vafa/core";
import type { ChainTail } from "./chain-checks.js";
import type { DrawBook } from "./draws.js";
import { type StreamKind, streamKindOf } from "./envelope-schema.js";
import type { Findings } from "./findings.js";
import { MemberAudit } from "./member-audit.js";
import type { ProgramBook } from "./programs.js";
import { checkStockAcrossStreams, type RedemptionFact, RewardAudit } from "./reward-audit.js";
import type { DataKeyLookup } from "./types.js";

// The audit's per-stream state, and the checks that span streams, made once
// the log has been read (club-v1 §2 stock, §3 draws).

/** What the checks across streams and the report read of a member stream once it has ended. */
type EndedMember = Pick<MemberAudit, "rewardRedemptions" | "sealedSeen" | "birthdaysUnchecked">;

/** What the audit keeps per stream: the chain's tail and, for a member, its replay. */
export interface StreamAudit extends ChainTail {
  kind: StreamKind;
  lastAt: number | null;
  member: MemberAudit | null;
  reward: RewardAudit | null;
  programVersions: Set<number> | null;
  /** The member's replay was dropped when the stream ended (`endMemberStream`). */
  ended?: EndedMember;
}

/**
 * A member stream read to its end (an export lists each stream whole): its
 * end-of-log checks run now and only what the checks across streams read is
 * kept, so memory follows streams, not events. It must not come back.
 */
export const endMemberStream = (s: StreamAudit, m: MemberAudit): void => {
  m.finish();
  const { rewardRedemptions, sealedSeen, birthdaysUnchecked } = m;
  s.ended = { rewardRedemptions, sealedSeen, birthdaysUnchecked };
  s.member = null;
  s.commandCounts.clear();
};

/** A member stream's replay, or what was kept of it once it ended. */
const memberOf = (s: StreamAudit): EndedMember | null => s.member ?? s.ended ?? null;

export const newStreamAudit = (
  streamId: string,
  findings: Findings,
  programs: ProgramBook,
  dataKeys?: DataKeyLookup,
): StreamAudit => {
  const kind = streamKindOf(streamId);
  return {
    kind,
    nextRevision: 0,
    lastHash: undefined,
    lastAt: null,
    commandCounts: new Map(),
    member: kind === "member" ? new MemberAudit(streamId, findings, programs, dataKeys) : null,
    reward: kind === "reward" ? new RewardAudit(streamId.slice("reward-".length), findings, programs) : null,
    programVersions: kind === "program" ? new Set() : null,
  };
};

/** Member streams' replays or what was kept of them, for the report's counts. */
export const membersOf = function* (streams: ReadonlyMap<string, StreamAudit>): Generator<EndedMember> {
  for (const s of streams.values()) {
    const member = memberOf(s);
    if (member) yield member;
  }
};

/** A redemption the stock checks look at: its reward is stocked in its program (`checkStockAcrossStreams`). */
const stocked = (r: RedemptionFact, programs: ProgramBook): boolean => {
  const program = programs.get(r.programId, r.programVersion);
  return program !== undefined && findReward(program.rewards, r.rewardId)?.stock !== undefined;
};

/**
 * Whether the log has checks that span streams (stock, draws). Without a
 * reward stream, only a redemption of a stocked reward can give a stock finding.
 */
export const spansStreams = (
  streams: ReadonlyMap<string, StreamAudit>,
  draws: DrawBook,
  programs: ProgramBook,
): boolean => {
  if (draws.any) return true;
  for (const s of streams.values()) {
    const member = memberOf(s);
    if (s.reward || s.kind === "draw") return true;
    if (member) for (const r of member.rewardRedemptions.values()) if (stocked(r, programs)) return true;
    // Sealed personal values (club-v1 §6): birthdaysUnchecked is counted by the one-thread audit.
    if (member?.sealedSeen) return true;
  }
  return false;
};

/** club-v1 §2 stock across reward and member streams, then §3 draws. */
export const checkAcrossStreams = (
  streams: ReadonlyMap<string, StreamAudit>,
  draws: DrawBook,
  latestAt: number,
  programs: ProgramBook,
  findings: Findings,
): void => {
  checkStock(streams, latestAt, programs, findings);
  const programOf = (id: string, v: number) => programs.get(id, v);
  for (const p of draws.checkEntries(programOf)) findings.at(p.loc, "DRAW_MISMATCH", p.message);
  for (const p of draws.check(programOf, { strict: false })) findings.at(p.loc, "DRAW_MISMATCH", p.message);
};

const checkStock = (
  streams: ReadonlyMap<string, StreamAudit>,
  latestAt: number,
  programs: ProgramBook,
  findings: Findings,
): void => {
  const rewards = new Map<string, RewardAudit>();
  const redemptions = new Map<string, RedemptionFact>();
  for (const [streamId, s] of streams) {
    if (s.reward) rewards.set(s.reward.rewardId, s.reward);
    const member = memberOf(s);
    if (member)
      for (const [redemptionId, fact] of member.rewardRedemptions)
        redemptions.set(`${streamId.slice("member-".length)}/${redemptionId}`, fact);
  }
  checkStockAcrossStreams(rewards, redemptions, latestAt, programs, findings);
};
