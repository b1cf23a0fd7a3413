import { eventIdFor, type ProposedEvent, type StoredEvent, sealEvent } from "../envelope.js";
import type { RewardReleased } from "../events.js";
import { toIso } from "../primitives.js";
import type { Program } from "../program.js";
import { rewardStreamId } from "../program-rewards.js";

// The reward stream of club-v1 §2: claims and releases of a stocked reward,
// counted in revision order. Claimed minus released never exceeds `stock`:
// every claim is appended with the stream's expected revision.

export interface Claim {
  memberId: string;
  redemptionId: string;
  /** occurredAt of the claim (UTC ms). */
  at: number;
}

export interface RewardStreamState {
  streamId: string;
  /** Last revision; -1 when the stream is empty. */
  revision: number;
  lastHash: string | null;
  /** Claims not released, by `<memberId>/<redemptionId>`. */
  held: Map<string, Claim>;
  /** Every claim ever appended (released or not). */
  claimed: Set<string>;
}

export const claimKey = (memberId: string, redemptionId: string): string => `${memberId}/${redemptionId}`;
/** commandId and correlationId of a claim and its release (club-v1 §9). */
export const claimCommandId = (memberId: string, redemptionId: string): string =>
  `claim:${claimKey(memberId, redemptionId)}`;

export const foldRewardStream = (rewardId: string, events: readonly StoredEvent[]): RewardStreamState => {
  const state: RewardStreamState = {
    streamId: rewardStreamId(rewardId),
    revision: -1,
    lastHash: null,
    held: new Map(),
    claimed: new Set(),
  };
  for (const e of events) {
    state.revision = e.revision;
    state.lastHash = e.metadata.hash;
    if (e.type === "RewardClaimed") {
      const d = e.data as { memberId: string; redemptionId: string };
      const key = claimKey(d.memberId, d.redemptionId);
      state.claimed.add(key);
      state.held.set(key, {
        memberId: d.memberId,
        redemptionId: d.redemptionId,
        at: Date.parse(e.occurredAt),
      });
    } else if (e.type === "RewardReleased") {
      const d = e.data as RewardReleased;
      state.held.delete(claimKey(d.memberId, d.redemptionId));
    }
  }
  return state;
};

const stampFor = (s: RewardStreamState, program: Program, commandId: string, offset: number) => ({
  streamId: s.streamId,
  revision: s.revision + 1 + offset,
  lastHash: s.lastHash,
  programId: program.programId,
  programVersion: program.version,
  commandId,
  correlationId: commandId,
});

/** The claim event (index 0 of its commandId), next in the stream. */
export const sealClaim = (
  s: RewardStreamState,
  program: Program,
  rewardId: string,
  memberId: string,
  redemptionId: string,
  at: number,
): ProposedEvent => {
  const commandId = claimCommandId(memberId, redemptionId);
  return sealEvent(
    stampFor(s, program, commandId, 0),
    eventIdFor(s.streamId, commandId, 0),
    "RewardClaimed",
    toIso(at),
    {
      rewardId,
      memberId,
      redemptionId,
    },
  ) as ProposedEvent;
};

/** Releases of held claims (index 1 of their commandId), chained after one another. */
export const sealReleases = (
  s: RewardStreamState,
  program: Program,
  rewardId: string,
  claims: readonly Claim[],
  reason: RewardReleased["reason"],
  at: number,
): ProposedEvent[] => {
  const out: ProposedEvent[] = [];
  let lastHash = s.lastHash;
  for (const [i, c] of claims.entries()) {
    const commandId = claimCommandId(c.memberId, c.redemptionId);
    const e = sealEvent(
      { ...stampFor(s, program, commandId, i), lastHash },
      eventIdFor(s.streamId, commandId, 1),
      "RewardReleased",
      toIso(at),
      { rewardId, memberId: c.memberId, redemptionId: c.redemptionId, reason },
    ) as ProposedEvent;
    lastHash = e.metadata.hash;
    out.push(e);
  }
  return out;
};
