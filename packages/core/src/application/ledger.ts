import { type Command, type MemberCommand, validateCommand } from "../commands.js";
import { type DecideContext, decideAndSeal, type SealedDecision } from "../decide/index.js";
import { eventIdFor, memberStreamId, type ProposedEvent, programStreamId, sealEvent } from "../envelope.js";
import { ConcurrencyError, type Rejection, reject, VafaError } from "../errors.js";
import { applyToCopy, foldMemberEvents } from "../evolve.js";
import { jsonEquals } from "../idempotency.js";
import { parseTime, toIso } from "../primitives.js";
import { type Program, programSchema } from "../program.js";
import type { MemberState, Purchase } from "../state.js";
import { type BatchDeps, type BatchItem, runBatch } from "./batch.js";
import { type DrawDeps, executeDraw } from "./draw.js";
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
      `program: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      "fix the program file",
    );
  // Keep the program exactly as given (ProgramPublished copies it).
  const program = options.program;
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

  const ctx: DecideContext = { program };

  /** The referral reaction (spec 5.2), exactly once: the referrer's state records each referee paid. */
  const ensureReferral = async (referee: MemberState): Promise<ProposedEvent[]> => {
    const referredBy = referee.joined?.referredBy;
    if (referredBy === undefined || program.earn.referralBonus <= 0) return [];
    const first = firstPurchase(referee);
    if (!first) return [];
    const { decision } = await run(memberStreamId(referredBy), (referrer) =>
      decideAndSeal(
        {
          type: "referral",
          refereeId: referee.joined?.memberId as string,
          purchaseAt: first.at,
          correlationId: `purchase:${first.purchaseId}`,
        },
        referrer,
        ctx,
      ),
    );
    return decision.ok ? decision.events : [];
  };

  const executeMember = async (command: MemberCommand): Promise<CommandOutcome> => {
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
        if (!jsonEquals((same.data as { program: Program }).program, program))
          throw new VafaError(
            "PROGRAM_INVALID",
            `program ${program.programId} version ${program.version} was already published with other content`,
            "publish the change under a new version number",
          );
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
    return { command };
  };

  const execute = async (input: unknown): Promise<CommandOutcome> => {
    const admitted = admit(input);
    if ("outcome" in admitted) return admitted.outcome;
    const { command } = admitted;
    if (command.type === "sweep") return sweep(command.at);
    if (command.type === "draw") return executeDraw(drawDeps, command);
    return executeMember(command);
  };

  const batchDeps: BatchDeps = {
    store,
    program,
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
    let items: BatchItem[] = [];
    for (const [index, input] of inputs.entries()) {
      const admitted = admit(input);
      if ("outcome" in admitted) outcomes[index] = admitted.outcome;
      else if (admitted.command.type === "draw") {
        // A draw reads every member stream as stored: the batch so far is
        // appended first, then the draw runs on its own (club §3).
        await runBatch(batchDeps, items, outcomes);
        items = [];
        outcomes[index] = await executeDraw(drawDeps, admitted.command);
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

const firstPurchase = (state: MemberState): Purchase | undefined => state.purchases.values().next().value;

const rejected = (rejection: Rejection): CommandOutcome => ({ status: "rejected", rejection });
