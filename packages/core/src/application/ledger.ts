import type { Command, MemberCommand } from "../commands.js";
import type { DecideContext, SealedDecision } from "../decide/index.js";
import { missingCouponSecret } from "../decide/redeem.js";
import { memberStreamId, type ProposedEvent } from "../envelope.js";
import { ConcurrencyError, reject, VafaError } from "../errors.js";
import { applyToCopy, foldMemberEvents } from "../evolve.js";
import { parseTime } from "../primitives.js";
import { describeProgramError, programSchema } from "../program.js";
import { issuesCoupons } from "../program-rewards.js";
import type { MemberState } from "../state.js";
import { admit } from "./admit.js";
import {
  type BatchChain,
  type BatchDeps,
  type BatchItem,
  precedingBatchFailed,
  runBatch,
  type StoredAs,
} from "./batch.js";
import { setBounded } from "./bounded-map.js";
import { type DrawDeps, executeDraw } from "./draw.js";
import { checkKeyStore, decideSealing, openStream } from "./personal-data.js";
import { publishProgram } from "./publish-program.js";
import { firstPurchase, referralDue } from "./referral-due.js";
import { createStockCommands } from "./stock-commands.js";
import type { CommandOutcome, ExecuteManyOptions, Ledger, LedgerOptions } from "./types.js";

const DEFAULT_MAX_ATTEMPTS = 10;
const CACHE_LIMIT = 50_000;
/** Catalogue redeems whose form (`points` given or not) a ledger remembers (club-v1 §9, docs/rewards.md). */
const FORM_LIMIT = 100_000;

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
  const { store, keyStore } = options;
  checkKeyStore(program, keyStore);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const firstTier = program.tiers.levels[0]?.id as string;
  const cache = new Map<string, MemberState>();

  const remember = (state: MemberState) => setBounded(cache, state.streamId, state, CACHE_LIMIT);

  /** The member's state, caught up with the store. */
  const load = async (streamId: string): Promise<MemberState> => {
    const cached = cache.get(streamId);
    const fresh = await openStream(
      streamId,
      await store.readStream(streamId, { fromRevision: (cached?.revision ?? -1) + 1 }),
      keyStore,
    );
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
  // Whether each recent catalogue redeem this ledger accepted gave `points` (club-v1 §9):
  // the events cannot say it and a cached member state may be dropped. Bounded:
  // an older redeem falls back to comparing with the cost (docs/rewards.md).
  const pointsGiven = new Map<string, boolean>();
  const ctx: DecideContext = {
    program,
    ...(couponSecret === undefined ? {} : { couponSecret }),
    pointsGivenOf: (memberId, redemptionId) => pointsGiven.get(`${memberId}/${redemptionId}`),
  };
  /** Keeps the form of an accepted catalogue redeem for later replays (club-v1 §9). */
  const noteForm = (command: Command, outcome: CommandOutcome): void => {
    if (command.type !== "redeem" || command.rewardId === undefined) return;
    if (outcome.status !== "accepted" || outcome.replay) return;
    setBounded(
      pointsGiven,
      `${command.memberId}/${command.redemptionId}`,
      command.points !== undefined,
      FORM_LIMIT,
    );
  };

  /** The referral reaction (spec 5.2), exactly once: the referrer's state records each referee paid. */
  const ensureReferral = async (referee: MemberState): Promise<ProposedEvent[]> => {
    const due = referralDue(referee, program);
    if (!due) return [];
    const { decision } = await run(due.streamId, (referrer) =>
      decideSealing(due.reaction, referrer, ctx, keyStore),
    );
    return decision.ok ? decision.events : [];
  };

  const { stockedReward, executeStockedRedeem, executeStockedReversal, sweepClaims } = createStockCommands({
    store,
    program,
    ctx,
    maxAttempts,
    load,
    forget: (streamId) => cache.delete(streamId),
    remember,
  });

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
      decideSealing(command, s, { ...ctx, referrerExists }, keyStore),
    );
    if (!decision.ok) return { status: "rejected", rejection: decision.rejection };
    // club-v1 §6: the key goes once MemberForgotten is stored (again on a replay, after a crash).
    if (command.type === "forget") await keyStore?.destroy(command.memberId);
    const events = [...decision.events];
    // Purchases are kept in time order: the first entry is the first purchase.
    if (command.type === "purchase" && firstPurchase(state)?.purchaseId === command.purchaseId)
      events.push(...(await ensureReferral(state)));
    return { status: "accepted", events, replay: decision.kind === "replay" };
  };

  const sweep = async (at: string): Promise<CommandOutcome> => {
    const events: ProposedEvent[] = [];
    for (const streamId of await store.listStreams("member-")) {
      const { decision } = await run(streamId, (s) => decideSealing({ type: "sweep", at }, s, ctx, keyStore));
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
        decideSealing(reaction, winner, ctx, keyStore),
      );
      return decision.ok ? decision.events : [];
    },
  };

  const execute = async (input: unknown): Promise<CommandOutcome> => {
    const admitted = admit(input, program);
    if ("outcome" in admitted) return admitted.outcome;
    const outcome = await executeCommand(admitted.command);
    noteForm(admitted.command, outcome);
    return outcome;
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
    keyStore,
    maxAttempts,
    cached: (streamId) => cache.get(streamId),
    load,
    loadMany: async (streamIds) => {
      const read = await store.readStreams(streamIds.map((streamId) => ({ streamId })));
      for (const streamId of streamIds)
        remember(
          foldMemberEvents(
            streamId,
            firstTier,
            await openStream(streamId, read.get(streamId) ?? [], keyStore),
          ),
        );
    },
    forget: (streamId) => cache.delete(streamId),
    remember,
  };

  /** What a pipelined call (`after`) needs from the executeMany call before it. */
  interface Link {
    /** Its drafted states once decided, or undefined when it cannot be decided ahead on. */
    decided: Promise<ReadonlyMap<string, MemberState> | undefined>;
    stored: Promise<StoredAs>;
  }
  const links = new WeakMap<Promise<unknown>, Link>();

  const executeMany = (
    inputs: readonly unknown[],
    options: ExecuteManyOptions = {},
  ): Promise<CommandOutcome[]> => {
    let decided: (states: ReadonlyMap<string, MemberState> | undefined) => void = () => {};
    let stored: (as: StoredAs) => void = () => {};
    const link: Link = {
      decided: new Promise((resolve) => {
        decided = resolve;
      }),
      stored: new Promise((resolve) => {
        stored = resolve;
      }),
    };
    const run = async (): Promise<CommandOutcome[]> => {
      let storedAs: StoredAs = "failed";
      try {
        const admitted = inputs.map((input) => admit(input, program));
        // A draw or a stocked reward splits a batch: such a call is not decided ahead on.
        const plain = admitted.every(
          (a) => "outcome" in a || (a.command.type !== "draw" && !touchesStock(a.command)),
        );
        let chain: BatchChain = {};
        if (options.after !== undefined) {
          const before = plain ? links.get(options.after) : undefined;
          const states = before ? await before.decided : undefined;
          if (before && states) chain = { ahead: { states, stored: before.stored } };
          else if ((await settled(options.after)) === "failed") throw precedingBatchFailed();
        }
        if (plain) chain.onDecided = decided;
        else decided(undefined);
        const outcomes = await runAdmitted(admitted, chain);
        storedAs = outcomes.storedAs;
        return outcomes.outcomes;
      } finally {
        decided(undefined);
        stored(storedAs);
      }
    };
    const promise = run();
    links.set(promise, link);
    return promise;
  };

  const runAdmitted = async (
    admitted: readonly ReturnType<typeof admit>[],
    chain: BatchChain,
  ): Promise<{ outcomes: CommandOutcome[]; storedAs: StoredAs }> => {
    const outcomes: CommandOutcome[] = new Array(admitted.length);
    const items: BatchItem[] = [];
    const redeems: [number, Command][] = [];
    // A batch split by a draw or a stocked reward is not decided ahead on (`chain` is empty then).
    let storedAs: StoredAs = "as-decided";
    for (const [index, one] of admitted.entries()) {
      if (!("outcome" in one) && one.command.type === "redeem") redeems.push([index, one.command]);
      if ("outcome" in one) outcomes[index] = one.outcome;
      else if (one.command.type === "draw") {
        // A draw reads every member stream as stored: the batch so far is
        // appended first, then the draw runs on its own (club §3).
        await runBatch(batchDeps, items.splice(0), outcomes);
        outcomes[index] = await executeDraw(drawDeps, one.command);
        storedAs = "redecided";
      } else if (touchesStock(one.command)) {
        // Stock needs the reward stream: the batch so far first, then this command alone.
        await runBatch(batchDeps, items.splice(0), outcomes);
        outcomes[index] = await executeCommand(one.command);
        storedAs = "redecided";
      } else items.push({ index, command: one.command });
    }
    const last = await runBatch(batchDeps, items, outcomes, chain);
    for (const [index, command] of redeems) noteForm(command, outcomes[index] as CommandOutcome);
    return { outcomes, storedAs: storedAs === "as-decided" ? last : storedAs };
  };

  return {
    program,
    publishProgram: (at: string) => publishProgram(store, program, maxAttempts, at),
    execute,
    executeMany,
    loadMember: (memberId: string) => load(memberStreamId(memberId)),
  };
};

/** Whether a promise the caller chained after resolved (its value does not matter) or failed. */
const settled = (promise: Promise<unknown>): Promise<"ok" | "failed"> =>
  promise.then(
    () => "ok" as const,
    () => "failed" as const,
  );
