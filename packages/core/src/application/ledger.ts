import {
  type Command,
  type MemberCommand,
  type RedeemCommand,
  type ReverseRedemptionCommand,
  validateCommand,
} from "../commands.js";
import { type DecideContext, decideAndSeal, type SealedDecision } from "../decide/index.js";
import { missingCouponSecret } from "../decide/redeem.js";
import { eventIdFor, memberStreamId, type ProposedEvent, programStreamId, sealEvent } from "../envelope.js";
import { ConcurrencyError, type Rejection, reject, VafaError } from "../errors.js";
import { applyToCopy, foldMemberEvents } from "../evolve.js";
import { jsonEquals } from "../idempotency.js";
import { DAY_MS, parseTime, toIso } from "../primitives.js";
import { describeProgramError, type Program, programSchema } from "../program.js";
import { findReward, issuesCoupons, type Reward, rewardStreamId } from "../program-rewards.js";
import type { MemberState } from "../state.js";
import { type BatchDeps, type BatchItem, runBatch } from "./batch.js";
import { type DrawDeps, executeDraw } from "./draw.js";
import { firstPurchase, referralDue } from "./referral-due.js";
import {
  type Claim,
  claimKey,
  foldRewardStream,
  type RewardStreamState,
  sealClaim,
  sealReleases,
} from "./stock.js";
import type { CommandOutcome, Ledger, LedgerOptions } from "./types.js";

const DEFAULT_MAX_ATTEMPTS = 10;
const CACHE_LIMIT = 50_000;

/**
 * The application layer: load a member stream, decide, append with the
 * expected revision, decide again on conflict (spec 5.9). It knows only the
 * event-store port.
 */
export const createLedger = (options: LedgerOptions): Ledger => {
  const parsed = programSchema.safeParse(options.program);
  if (!parsed.success)
    throw new VafaError(
      "PROGRAM_INVALID",
      `program ${describeProgramError(parsed.error)}`,
      "fix that field of the program, spec section 3",
    );
  // Keep the program exactly as given (ProgramPublished copies it).
  const program = options.program;
  const couponSecret = options.couponSecret === "" ? undefined : options.couponSecret;
  if (issuesCoupons(program.rewards) && couponSecret === undefined) throw missingCouponSecret();
  const { store } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const firstTier = program.tiers.levels[0]?.id as string;
  const cache = new Map<string, MemberState>();

  const remember = (state: MemberState) => {
    cache.delete(state.streamId);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(state.streamId, state);
  };

  /** The member's state, caught up with the store. */
  const load = async (streamId: string): Promise<MemberState> => {
    const cached = cache.get(streamId);
    const fresh = await store.readStream(streamId, { fromRevision: (cached?.revision ?? -1) + 1 });
    if (!cached) {
      const state = foldMemberEvents(streamId, firstTier, fresh);
      remember(state);
      return state;
    }
    if (fresh.length === 0) return cached;
    const state = applyToCopy(cached, fresh);
    remember(state);
    return state;
  };

  /** Decide and append, deciding again on fresh state after a conflict. */
  const run = async (
    streamId: string,
    decideOn: (state: MemberState) => SealedDecision | Promise<SealedDecision>,
  ): Promise<{ decision: SealedDecision; state: MemberState }> => {
    for (let attempt = 1; ; attempt++) {
      const state = await load(streamId);
      const decision = await decideOn(state);
      if (!decision.ok || decision.events.length === 0) return { decision, state };
      try {
        const expectedRevision = state.revision < 0 ? "no_stream" : state.revision;
        await store.appendToStream(streamId, decision.events, { expectedRevision });
        remember(decision.state);
        return { decision, state: decision.state };
      } catch (error) {
        cache.delete(streamId);
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= maxAttempts)
          return {
            decision: {
              ok: false,
              rejection: reject(
                "CONCURRENCY",
                `${streamId}: changed by others ${attempt} times; try the command again`,
              ),
            },
            state,
          };
      }
    }
  };

  const hasStock = (program.rewards ?? []).some((r) => r.stock !== undefined);
  const ctx: DecideContext = couponSecret === undefined ? { program } : { program, couponSecret };

  /** The referral reaction (spec 5.2), exactly once: the referrer's state records each referee paid. */
  const ensureReferral = async (referee: MemberState): Promise<ProposedEvent[]> => {
    const due = referralDue(referee, program);
    if (!due) return [];
    const { decision } = await run(due.streamId, (referrer) => decideAndSeal(due.reaction, referrer, ctx));
    return decision.ok ? decision.events : [];
  };

  // Stock (club-v1 §2): the reward stream with expected revisions.
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
        cache.delete(streamId);
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
        cache.delete(streamId);
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

  const executeMember = async (command: MemberCommand): Promise<CommandOutcome> => {
    if (command.type === "redeem") {
      const reward = stockedReward(command.rewardId);
      if (reward) return executeStockedRedeem(command, reward);
    }
    if (command.type === "reverse-redemption" && hasStock) return executeStockedReversal(command);
    const streamId = memberStreamId(command.memberId);
    const referredBy = command.type === "join" ? command.referredBy : undefined;
    const referrerExists =
      referredBy !== undefined && referredBy !== command.memberId
        ? (await load(memberStreamId(referredBy))).joined !== null
        : false;
    const { decision, state } = await run(streamId, (s) =>
      decideAndSeal(command, s, { ...ctx, referrerExists }),
    );
    if (!decision.ok) return { status: "rejected", rejection: decision.rejection };
    const events = [...decision.events];
    // Purchases are kept in time order: the first entry is the first purchase.
    if (command.type === "purchase" && firstPurchase(state)?.purchaseId === command.purchaseId)
      events.push(...(await ensureReferral(state)));
    return { status: "accepted", events, replay: decision.kind === "replay" };
  };

  const sweep = async (at: string): Promise<CommandOutcome> => {
    const events: ProposedEvent[] = [];
    for (const streamId of await store.listStreams("member-")) {
      const { decision } = await run(streamId, (s) => decideAndSeal({ type: "sweep", at }, s, ctx));
      if (decision.ok) events.push(...decision.events);
    }
    if (hasStock) events.push(...(await sweepClaims(parseTime(at) as number)));
    return { status: "accepted", events, replay: false };
  };

  const drawDeps: DrawDeps = {
    store,
    program,
    maxAttempts,
    win: async (memberId, reaction) => {
      const { decision } = await run(memberStreamId(memberId), (winner) =>
        decideAndSeal(reaction, winner, ctx),
      );
      return decision.ok ? decision.events : [];
    },
  };

  const publishProgram = async (at: string): Promise<{ published: boolean; events: ProposedEvent[] }> => {
    const atMs = parseTime(at);
    if (atMs === undefined)
      throw new VafaError("VALIDATION", `at: ${at} is not a valid time`, "pass an ISO time");
    const streamId = programStreamId(program.programId);
    for (let attempt = 1; ; attempt++) {
      const existing = await store.readStream(streamId);
      const same = existing.find(
        (e) =>
          e.type === "ProgramPublished" &&
          (e.data as { program: Program }).program.version === program.version,
      );
      if (same) {
        if (!jsonEquals((same.data as { program: Program }).program, program)) {
          const latest = Math.max(
            ...existing.map((e) => (e.data as { program?: Program }).program?.version ?? 0),
          );
          throw new VafaError(
            "PROGRAM_INVALID",
            `program ${program.programId} version ${program.version} was already published with other content`,
            `a changed program needs a new version: raise "version" to ${latest + 1}, or use version ${program.version} as published`,
          );
        }
        return { published: false, events: [] };
      }
      const last = existing[existing.length - 1];
      const revision = (last?.revision ?? -1) + 1;
      const commandId = `publish:${program.programId}:${program.version}`;
      const event = sealEvent(
        {
          streamId,
          revision,
          lastHash: last?.metadata.hash ?? null,
          programId: program.programId,
          programVersion: program.version,
          commandId,
          correlationId: commandId,
        },
        eventIdFor(streamId, commandId, 0),
        "ProgramPublished",
        toIso(atMs),
        { program },
      ) as ProposedEvent;
      try {
        await store.appendToStream(streamId, [event], {
          expectedRevision: last ? last.revision : "no_stream",
        });
        return { published: true, events: [event] };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= maxAttempts) throw error;
      }
    }
  };

  /** Step 1 of spec 5: the command, or the outcome of a command refused before any state is read. */
  const admit = (input: unknown): { command: Command } | { outcome: CommandOutcome } => {
    const validated = validateCommand(input);
    if (!validated.ok) return { outcome: rejected(validated.rejection) };
    const { command } = validated;
    const currency = "currency" in command ? command.currency : undefined;
    if (currency !== undefined && currency !== program.currency)
      return {
        outcome: rejected(
          reject(
            "CURRENCY_MISMATCH",
            `currency: ${currency} is not the program currency ${program.currency}`,
          ),
        ),
      };
    const points = checkRedeemPoints(command, program);
    if (points) return { outcome: rejected(points) };
    return { command };
  };

  const execute = async (input: unknown): Promise<CommandOutcome> => {
    const admitted = admit(input);
    if ("outcome" in admitted) return admitted.outcome;
    return executeCommand(admitted.command);
  };

  const executeCommand = (command: Command): Promise<CommandOutcome> =>
    command.type === "sweep"
      ? sweep(command.at)
      : command.type === "draw"
        ? executeDraw(drawDeps, command)
        : executeMember(command);

  /** Commands `executeMany` runs one by one: those that may read or write a reward stream. */
  const touchesStock = (command: Command): boolean =>
    hasStock &&
    (command.type === "sweep" ||
      command.type === "reverse-redemption" ||
      (command.type === "redeem" && stockedReward(command.rewardId) !== undefined));

  const batchDeps: BatchDeps = {
    store,
    program,
    ctx,
    maxAttempts,
    cached: (streamId) => cache.get(streamId),
    load,
    loadMany: async (streamIds) => {
      const read = await store.readStreams(streamIds.map((streamId) => ({ streamId })));
      for (const streamId of streamIds)
        remember(foldMemberEvents(streamId, firstTier, read.get(streamId) ?? []));
    },
    forget: (streamId) => cache.delete(streamId),
    remember,
  };

  const executeMany = async (inputs: readonly unknown[]): Promise<CommandOutcome[]> => {
    const outcomes: CommandOutcome[] = new Array(inputs.length);
    const items: BatchItem[] = [];
    for (const [index, input] of inputs.entries()) {
      const admitted = admit(input);
      if ("outcome" in admitted) outcomes[index] = admitted.outcome;
      else if (admitted.command.type === "draw") {
        // A draw reads every member stream as stored: the batch so far is
        // appended first, then the draw runs on its own (club §3).
        await runBatch(batchDeps, items.splice(0), outcomes);
        outcomes[index] = await executeDraw(drawDeps, admitted.command);
      } else if (touchesStock(admitted.command)) {
        // Stock needs the reward stream: the batch so far first, then this command alone.
        await runBatch(batchDeps, items.splice(0), outcomes);
        outcomes[index] = await executeCommand(admitted.command);
      } else items.push({ index, command: admitted.command });
    }
    await runBatch(batchDeps, items, outcomes);
    return outcomes;
  };

  return {
    program,
    publishProgram,
    execute,
    executeMany,
    loadMember: (memberId: string) => load(memberStreamId(memberId)),
  };
};

/**
 * Step 1 for a redeem against the catalogue (club-v1 §2, §9): a given `points`
 * must be the named reward's cost; with an empty catalogue it is required.
 */
const checkRedeemPoints = (command: Command, program: Program): Rejection | undefined => {
  if (command.type !== "redeem" || command.rewardId === undefined) return undefined;
  if ((program.rewards ?? []).length === 0)
    return command.points === undefined ? reject("VALIDATION", "points: is required") : undefined;
  const reward = findReward(program.rewards, command.rewardId);
  if (reward && command.points !== undefined && command.points !== reward.cost)
    return reject(
      "VALIDATION",
      `points: ${command.points} is not the cost ${reward.cost} of reward ${reward.id}; omit points or give the cost`,
    );
  return undefined;
};

const rejected = (rejection: Rejection): CommandOutcome => ({ status: "rejected", rejection });
