import type { Command, DrawCommand } from "../commands.js";
import type { DecideContext, SealedDecision } from "../decide/index.js";
import { memberStreamId, type ProposedEvent } from "../envelope.js";
import { ConcurrencyError, reject, VafaError } from "../errors.js";
import type { KeyStore } from "../privacy/key-store.js";
import type { Program } from "../program.js";
import type { MemberState } from "../state.js";
import type { EventStore, StreamAppend } from "../store.js";
import { markAdoptable, unmarkAdoptable } from "../working-copy.js";
import { decideSealing } from "./personal-data.js";
import { firstPurchase, referralDue } from "./referral-due.js";
import type { CommandOutcome } from "./types.js";

// `executeMany` (issue 11): a batch of member commands decided in order on
// states kept in memory, then every stream's new events appended in one
// `appendToStreams` call. Each command sees exactly the state it would see
// one by one, so the events are the same, id for id and hash for hash.

/** One validated member command of a batch and where its outcome goes. */
export interface BatchItem {
  index: number;
  /** A draw is not batched: `executeMany` appends the batch before it and runs it alone. */
  command: Exclude<Command, DrawCommand>;
}

/**
 * How a batch was stored: exactly as first decided (its drafted states are the
 * stored ones), decided again (after a conflict or a dropped chain), or not at all.
 */
export type StoredAs = "as-decided" | "redecided" | "failed";

/**
 * Pipelining (issue 11): a batch decided on the states the batch before it
 * drafted, while that one is being stored. It appends only once that one is
 * stored; if that one was decided again, this one is decided again too, and
 * if that one failed, this one fails without appending.
 */
export interface BatchChain {
  ahead?: { states: ReadonlyMap<string, MemberState>; stored: Promise<StoredAs> };
  /** Called once the batch is decided, with the state of every stream it read or wrote. */
  onDecided?(states: ReadonlyMap<string, MemberState>): void;
}

/** `executeMany(commands, { after })`: the batch it was chained after was not stored. */
export const precedingBatchFailed = (): VafaError =>
  new VafaError(
    "PRECEDING_BATCH_FAILED",
    "the executeMany call this batch was chained after (`after`) failed: nothing of this batch was appended",
    "fix what stopped that batch, then run both again in order (commands are idempotent)",
  );

/** Commands a chained batch decides between two turns of the event loop. */
const YIELD_EVERY = 64;
const nextTurn = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

/** Streams read per round trip when a batch fetches states it has not cached. */
const PREFETCH_STREAMS = 1000;

export interface BatchDeps {
  store: EventStore;
  program: Program;
  /** The ledger's decide context (program and coupon secret). */
  ctx: DecideContext;
  /** Members' data keys (club-v1 §6): seals personal values; `forget` destroys one after the append. */
  keyStore: KeyStore | undefined;
  maxAttempts: number;
  /** A member state as cached by the ledger (trusted: `appendToStreams` checks its revision). */
  cached(streamId: string): MemberState | undefined;
  /** Reads a stream the ledger has no state for. */
  load(streamId: string): Promise<MemberState>;
  /** Reads the streams the ledger has no state for in one round trip and caches them. */
  loadMany(streamIds: readonly string[]): Promise<void>;
  forget(streamId: string): void;
  remember(state: MemberState): void;
}

/** What a batch has decided so far, per stream. */
interface Draft {
  /** The state each stream had when the batch first read it: its expected revision. */
  base: Map<string, MemberState>;
  /** The state after the commands decided so far. */
  current: Map<string, MemberState>;
  pending: Map<string, ProposedEvent[]>;
}

const emptyDraft = (): Draft => ({ base: new Map(), current: new Map(), pending: new Map() });

/**
 * Decides `items` in order and appends their events atomically; writes each
 * outcome to `outcomes[item.index]`. On a conflict only the commands of the
 * streams connected to the conflicting one (through referrals) are decided
 * again, on fresh state.
 */
export const runBatch = async (
  deps: BatchDeps,
  items: readonly BatchItem[],
  outcomes: CommandOutcome[],
  chain: BatchChain = {},
): Promise<StoredAs> => {
  const { program } = deps;
  const { ctx, keyStore } = deps;
  // A command's context (whether a join's referrer exists), made once per batch rather than per command.
  const ctxReferrer: DecideContext = { ...ctx, referrerExists: true };
  const ctxNoReferrer: DecideContext = { ...ctx, referrerExists: false };
  let draft = emptyDraft();
  /** Streams each command read or wrote, by item position. */
  const touched: string[][] = items.map(() => []);
  /** The states the batch before drafted, while it is being stored; dropped if it is not stored as drafted. */
  let ahead = chain.ahead?.states;
  /** The member streams this batch's sweeps covered, if it has one. */
  let swept: Set<string> | undefined;

  const stateOf = async (streamId: string, item: number): Promise<MemberState> => {
    (touched[item] as string[]).push(streamId);
    const current = draft.current.get(streamId);
    if (current) return current;
    const drafted = ahead?.get(streamId);
    // Another batch's state is read, never written in place: its working copies copy.
    if (drafted) unmarkAdoptable(drafted);
    const state = drafted ?? deps.cached(streamId) ?? (await deps.load(streamId));
    draft.base.set(streamId, state);
    draft.current.set(streamId, state);
    return state;
  };

  const accept = (streamId: string, decision: SealedDecision): void => {
    if (!decision.ok || decision.kind !== "events") return;
    draft.current.set(streamId, decision.state);
    // The batch made this state and drops it once the stream's next decision is accepted.
    markAdoptable(decision.state);
    const pending = draft.pending.get(streamId);
    if (pending) pending.push(...decision.events);
    else draft.pending.set(streamId, [...decision.events]);
  };

  /** Fetches in one round trip the states of `streamIds` that neither the draft nor the cache has. */
  const prefetch = async (streamIds: Iterable<string>): Promise<void> => {
    const missing = [...new Set(streamIds)].filter(
      (id) => !draft.current.has(id) && ahead?.has(id) !== true && !deps.cached(id),
    );
    for (let i = 0; i < missing.length; i += PREFETCH_STREAMS)
      await deps.loadMany(missing.slice(i, i + PREFETCH_STREAMS));
  };

  /** A sweep (spec 5.6) on every member the store or this batch has, in stream id order as `execute` does. */
  const decideSweepItem = async (position: number, at: string): Promise<CommandOutcome> => {
    const ids = new Set(await deps.store.listStreams("member-"));
    for (const streamId of draft.pending.keys()) if (streamId.startsWith("member-")) ids.add(streamId);
    // The members the batch before created, not stored yet.
    if (ahead)
      for (const [streamId, state] of ahead)
        if (state.revision >= 0 && streamId.startsWith("member-")) ids.add(streamId);
    swept ??= new Set();
    for (const streamId of ids) swept.add(streamId);
    const sorted = [...ids].sort();
    const events: ProposedEvent[] = [];
    for (let i = 0; i < sorted.length; i += PREFETCH_STREAMS) {
      const chunk = sorted.slice(i, i + PREFETCH_STREAMS);
      await prefetch(chunk);
      for (const streamId of chunk) {
        const decision = await decideSealing(
          { type: "sweep", at },
          await stateOf(streamId, position),
          ctx,
          keyStore,
        );
        accept(streamId, decision);
        if (decision.ok) events.push(...decision.events);
      }
    }
    return { status: "accepted", events, replay: false };
  };

  /** The same steps as `execute` for one command (ledger.ts `executeMember` and `sweep`). */
  const decideItem = async (position: number): Promise<void> => {
    const { index, command } = items[position] as BatchItem;
    touched[position] = [];
    if (command.type === "sweep") {
      outcomes[index] = await decideSweepItem(position, command.at);
      return;
    }
    const streamId = memberStreamId(command.memberId);
    const referredBy = command.type === "join" ? command.referredBy : undefined;
    const referrerExists =
      referredBy !== undefined && referredBy !== command.memberId
        ? (await stateOf(memberStreamId(referredBy), position)).joined !== null
        : false;
    const decision = await decideSealing(
      command,
      await stateOf(streamId, position),
      referrerExists ? ctxReferrer : ctxNoReferrer,
      keyStore,
    );
    if (!decision.ok) {
      outcomes[index] = { status: "rejected", rejection: decision.rejection };
      return;
    }
    accept(streamId, decision);
    // The outcome's own array: `accept` copied the events it keeps.
    let events: ProposedEvent[] = decision.events;
    const state = draft.current.get(streamId) as MemberState;
    // Purchases are kept in time order: the first entry is the first purchase.
    if (command.type === "purchase" && firstPurchase(state)?.purchaseId === command.purchaseId)
      events = [...events, ...(await referralFor(state, position))];
    outcomes[index] = { status: "accepted", events, replay: decision.kind === "replay" };
  };

  /** The referral reaction (spec 5.2) on the referrer's drafted state. */
  const referralFor = async (referee: MemberState, position: number): Promise<ProposedEvent[]> => {
    const due = referralDue(referee, program);
    if (!due) return [];
    const decision = await decideSealing(due.reaction, await stateOf(due.streamId, position), ctx, keyStore);
    accept(due.streamId, decision);
    return decision.ok ? decision.events : [];
  };

  const decideAll = async (): Promise<void> => {
    await prefetch(
      items.flatMap(({ command }) =>
        command.type === "sweep"
          ? []
          : command.type === "join" && command.referredBy !== undefined
            ? [memberStreamId(command.memberId), memberStreamId(command.referredBy)]
            : [memberStreamId(command.memberId)],
      ),
    );
    for (let position = 0; position < items.length; position++) {
      // While the batch before is being stored, its round trips need the event loop now and then.
      if (ahead !== undefined && position % YIELD_EVERY === YIELD_EVERY - 1) await nextTurn();
      await decideItem(position);
    }
  };
  await decideAll();
  chain.onDecided?.(new Map(draft.current));
  let storedAs: StoredAs = "as-decided";
  if (chain.ahead) {
    // Nothing is appended before the batch this one was decided after is stored.
    const before = await chain.ahead.stored;
    if (before === "failed") throw precedingBatchFailed();
    // A sweep decided ahead missed the members a batch further back created (stored by now).
    if (before === "redecided" || (swept !== undefined && (await sweptTooFew(deps.store, swept)))) {
      // What this batch read is not what was stored: decide it again on the stored states.
      ahead = undefined;
      storedAs = "redecided";
      draft = emptyDraft();
      await decideAll();
    }
    // Stored and cached by now: a command decided again after a conflict reads fresh state.
    ahead = undefined;
  }

  for (let attempt = 1; ; attempt++) {
    const appends: StreamAppend[] = [];
    for (const [streamId, base] of draft.base)
      appends.push({
        streamId,
        events: draft.pending.get(streamId) ?? [],
        expectedRevision: base.revision < 0 ? "no_stream" : base.revision,
      });
    try {
      // Streams read but not written are checked too: rejections and replays were decided on cached state.
      if (appends.length > 0) await deps.store.appendToStreams(appends);
      for (const state of draft.current.values()) {
        unmarkAdoptable(state); // cached states are read by others
        deps.remember(state);
      }
      await destroyForgottenKeys(keyStore, items, outcomes);
      return storedAs;
    } catch (error) {
      storedAs = "redecided";
      if (!(error instanceof ConcurrencyError)) {
        for (const streamId of draft.base.keys()) deps.forget(streamId);
        throw error;
      }
      const involved = connectedStreams(error.streamId, touched);
      for (const streamId of involved) {
        deps.forget(streamId);
        draft.base.delete(streamId);
        draft.current.delete(streamId);
        draft.pending.delete(streamId);
      }
      const again = items.flatMap((_, position) =>
        (touched[position] as string[]).some((s) => involved.has(s)) ? [position] : [],
      );
      if (attempt >= deps.maxAttempts) {
        // As `execute` does after its attempts: the involved commands are refused, the rest goes on.
        for (const position of again) {
          const { index } = items[position] as BatchItem;
          outcomes[index] = {
            status: "rejected",
            rejection: reject(
              "CONCURRENCY",
              `${error.streamId}: changed by others ${attempt} times; try the command again`,
            ),
          };
          touched[position] = [];
        }
        continue;
      }
      for (const position of again) await decideItem(position);
      // A command decided again may now reach a stream another command drafted: then decide all again.
      const reached = new Set(again.flatMap((position) => touched[position] as string[]));
      if ([...reached].some((s) => !involved.has(s) && otherTouches(s, again, touched))) {
        for (const streamId of draft.base.keys()) deps.forget(streamId);
        draft = emptyDraft();
        for (let position = 0; position < items.length; position++) await decideItem(position);
      }
    }
  }
};

/** Whether the store has a member stream the batch's sweeps did not cover. */
const sweptTooFew = async (store: EventStore, swept: ReadonlySet<string>): Promise<boolean> =>
  (await store.listStreams("member-")).some((streamId) => !swept.has(streamId));

/** Whether a command outside `positions` touched `streamId`. */
const otherTouches = (
  streamId: string,
  positions: readonly number[],
  touched: readonly string[][],
): boolean => {
  const skip = new Set(positions);
  return touched.some((streams, position) => !skip.has(position) && streams.includes(streamId));
};

/** The streams linked to `streamId` through commands that touched several streams. */
const connectedStreams = (streamId: string, touched: readonly string[][]): Set<string> => {
  const found = new Set([streamId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const streams of touched)
      if (streams.some((s) => found.has(s)))
        for (const s of streams)
          if (!found.has(s)) {
            found.add(s);
            grew = true;
          }
  }
  return found;
};

/** club-v1 §6: each member an accepted `forget` names loses its key once the batch is stored. */
const destroyForgottenKeys = async (
  keyStore: KeyStore | undefined,
  items: readonly BatchItem[],
  outcomes: readonly CommandOutcome[],
): Promise<void> => {
  if (keyStore === undefined) return;
  for (const { index, command } of items)
    if (command.type === "forget" && outcomes[index]?.status === "accepted")
      await keyStore.destroy(command.memberId);
};
