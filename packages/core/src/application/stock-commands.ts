import type { RedeemCommand, ReverseRedemptionCommand } from "../commands.js";
import { type DecideContext, decideAndSeal } from "../decide/index.js";
import { memberStreamId, type ProposedEvent } from "../envelope.js";
import { ConcurrencyError, reject } from "../errors.js";
import { DAY_MS, parseTime } from "../primitives.js";
import type { Program } from "../program.js";
import { findReward, type Reward, rewardStreamId } from "../program-rewards.js";
import type { MemberState } from "../state.js";
import type { EventStore } from "../store.js";
import { rejected } from "./admit.js";
import {
  type Claim,
  claimKey,
  foldRewardStream,
  type RewardStreamState,
  sealClaim,
  sealReleases,
} from "./stock.js";
import type { CommandOutcome } from "./types.js";

/** What the stock commands need from the ledger: the store and its member-state cache. */
export interface StockDeps {
  store: EventStore;
  program: Program;
  ctx: DecideContext;
  maxAttempts: number;
  load(streamId: string): Promise<MemberState>;
  forget(streamId: string): void;
  remember(state: MemberState): void;
}

/** Stock (club-v1 §2): the commands that read or write a reward stream, with expected revisions. */
export const createStockCommands = (deps: StockDeps) => {
  const { store, program, ctx, maxAttempts, load, forget, remember } = deps;
  const atomic = store.atomicMultiStream !== false;
  const stockedReward = (rewardId: string | undefined): Reward | undefined => {
    const reward = rewardId === undefined ? undefined : findReward(program.rewards, rewardId);
    return reward?.stock !== undefined ? reward : undefined;
  };
  const readReward = async (rewardId: string): Promise<RewardStreamState> =>
    foldRewardStream(rewardId, await store.readStream(rewardStreamId(rewardId)));
  const tooBusy = (streamId: string, attempt: number): CommandOutcome =>
    rejected(reject("CONCURRENCY", `${streamId}: changed by others ${attempt} times; try the command again`));

  /**
   * A redeem of a stocked reward: decide the member's events (every check but
   * stock), then claim with the reward stream's expected revision and append
   * both, in one transaction where the store can; claim first elsewhere, so a
   * re-run finds its own claim and completes.
   */
  const executeStockedRedeem = async (command: RedeemCommand, reward: Reward): Promise<CommandOutcome> => {
    const streamId = memberStreamId(command.memberId);
    const key = claimKey(command.memberId, command.redemptionId);
    for (let attempt = 1; ; attempt++) {
      const state = await load(streamId);
      const decision = decideAndSeal(command, state, ctx);
      if (!decision.ok) return rejected(decision.rejection);
      if (decision.kind !== "events") return { status: "accepted", events: [], replay: true };
      const stock = await readReward(reward.id);
      const own = stock.held.has(key);
      if (!own && stock.claimed.has(key))
        return rejected(
          reject(
            "OUT_OF_STOCK",
            `redemptionId: the claim of ${command.redemptionId} on ${reward.id} was released by a sweep; redeem again with a new redemptionId`,
          ),
        );
      if (!own && stock.held.size >= (reward.stock as number))
        return rejected(
          reject(
            "OUT_OF_STOCK",
            `rewardId: all ${reward.stock} of ${reward.id} are claimed; nothing was appended`,
          ),
        );
      const at = parseTime(command.at) as number;
      const claim = own
        ? []
        : [sealClaim(stock, program, reward.id, command.memberId, command.redemptionId, at)];
      const claimExpected = stock.revision < 0 ? "no_stream" : stock.revision;
      const memberExpected = state.revision < 0 ? "no_stream" : state.revision;
      try {
        if (atomic)
          await store.appendToStreams([
            { streamId: stock.streamId, events: claim, expectedRevision: claimExpected },
            { streamId, events: decision.events, expectedRevision: memberExpected },
          ]);
        else {
          if (claim.length > 0)
            await store.appendToStream(stock.streamId, claim, { expectedRevision: claimExpected });
          await store.appendToStream(streamId, decision.events, { expectedRevision: memberExpected });
        }
        remember(decision.state);
        return { status: "accepted", events: [...claim, ...decision.events], replay: false };
      } catch (error) {
        forget(streamId);
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= maxAttempts) return tooBusy(error.streamId, attempt);
      }
    }
  };

  /**
   * A reversal whose redemption holds stock: the member's events, then the
   * release (`reversed`) in the reward stream, exactly once. Run again after a
   * crash between the two, the reversal is a replay and the release is made.
   */
  const executeStockedReversal = async (command: ReverseRedemptionCommand): Promise<CommandOutcome> => {
    const streamId = memberStreamId(command.memberId);
    const key = claimKey(command.memberId, command.redemptionId);
    for (let attempt = 1; ; attempt++) {
      const state = await load(streamId);
      const reward = stockedReward(state.redemptions.get(command.redemptionId)?.rewardId);
      const decision = decideAndSeal(command, state, ctx);
      if (!decision.ok) return rejected(decision.rejection);
      const stock = reward ? await readReward(reward.id) : undefined;
      const claim = stock?.held.get(key);
      const release =
        stock && reward && claim
          ? sealReleases(stock, program, reward.id, [claim], "reversed", parseTime(command.at) as number)
          : [];
      const memberExpected = state.revision < 0 ? "no_stream" : state.revision;
      try {
        if (stock && release.length > 0 && atomic)
          await store.appendToStreams([
            { streamId, events: decision.events, expectedRevision: memberExpected },
            { streamId: stock.streamId, events: release, expectedRevision: stock.revision },
          ]);
        else {
          if (decision.events.length > 0)
            await store.appendToStream(streamId, decision.events, { expectedRevision: memberExpected });
          if (stock && release.length > 0)
            await store.appendToStream(stock.streamId, release, { expectedRevision: stock.revision });
        }
        remember(decision.state);
        return {
          status: "accepted",
          events: [...decision.events, ...release],
          replay: decision.kind === "replay",
        };
      } catch (error) {
        forget(streamId);
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= maxAttempts) return tooBusy(error.streamId, attempt);
      }
    }
  };

  /**
   * The sweep's part of stock (club-v1 §2): a claim older than one day whose
   * member stream has no such redemption is released (`orphaned`); one whose
   * redemption was reversed is released (`reversed`), finishing that reversal.
   */
  const sweepClaims = async (now: number): Promise<ProposedEvent[]> => {
    const out: ProposedEvent[] = [];
    for (const reward of program.rewards ?? []) {
      if (reward.stock === undefined) continue;
      for (let attempt = 1; ; attempt++) {
        const stock = await readReward(reward.id);
        const orphaned: Claim[] = [];
        const reversed: Claim[] = [];
        for (const c of stock.held.values()) {
          if (now - c.at <= DAY_MS) continue;
          const r = (await load(memberStreamId(c.memberId))).redemptions.get(c.redemptionId);
          if (!r) orphaned.push(c);
          else if (r.reversedAt !== undefined) reversed.push(c);
        }
        const releases = sealReleases(stock, program, reward.id, orphaned, "orphaned", now);
        const last = {
          ...stock,
          revision: stock.revision + releases.length,
          lastHash: releases.at(-1)?.metadata.hash ?? stock.lastHash,
        };
        releases.push(...sealReleases(last, program, reward.id, reversed, "reversed", now));
        if (releases.length === 0) break;
        try {
          await store.appendToStream(stock.streamId, releases, { expectedRevision: stock.revision });
          out.push(...releases);
          break;
        } catch (error) {
          if (!(error instanceof ConcurrencyError) || attempt >= maxAttempts) throw error;
        }
      }
    }
    return out;
  };

  return { stockedReward, executeStockedRedeem, executeStockedReversal, sweepClaims };
};
