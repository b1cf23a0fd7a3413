import { eventIdFor, type ProposedEvent, sealEvent } from "../envelope.js";
import { type Rejection, VafaError } from "../errors.js";
import type { Allocation, LedgerEvent } from "../events.js";
import { hasPlainPersonalValue, sealEventData } from "../privacy/event-data.js";
import type { Program } from "../program.js";
import { encryptsPersonalData } from "../program-messages.js";
import { type MemberState, nextEventIndex } from "../state.js";
import { type DecideInput, draftDecision } from "./decide.js";
import type { Drafted } from "./drafted.js";
import type { DecideContext } from "./types.js";

/** What sealing stamps on each event besides what the stream gives (spec 2). */
export interface SealStamp {
  program: Program;
  commandId: string;
  correlationId: string;
  actor?: string | undefined;
  /**
   * The member's data key (club-v1 §6): under a program that encrypts, each
   * plain personal value is sealed with the event's id before hashing.
   */
  dataKey?: Uint8Array | undefined;
}

/**
 * Seals domain events onto a stream whose state is `before`: ids, revisions,
 * metadata and the hash chain (spec 2). Pure.
 */
export const sealEvents = (
  before: MemberState,
  events: readonly LedgerEvent[],
  stamp: SealStamp,
): ProposedEvent[] => {
  const { streamId } = before;
  const { commandId } = stamp;
  const firstIndex = nextEventIndex(before, commandId);
  const sealed: ProposedEvent[] = [];
  let lastHash = before.lastHash;
  const encrypts = encryptsPersonalData(stamp.program);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as LedgerEvent;
    const eventId = eventIdFor(streamId, commandId, firstIndex + i);
    let data = e.data;
    if (encrypts && hasPlainPersonalValue(data)) {
      if (stamp.dataKey === undefined)
        throw new VafaError(
          "KEY_STORE_MISSING",
          `${streamId}: program ${stamp.program.programId} encrypts personal data and no data key was given`,
          "give createLedger a keyStore (club-v1 §6)",
        );
      data = sealEventData(data, eventId, stamp.dataKey);
    }
    const event = sealEvent(
      {
        streamId,
        revision: before.revision + 1 + i,
        lastHash,
        programId: stamp.program.programId,
        programVersion: stamp.program.version,
        commandId,
        correlationId: stamp.correlationId,
        actor: stamp.actor,
      },
      eventId,
      e.type,
      e.occurredAt,
      data,
    ) as ProposedEvent;
    lastHash = event.metadata.hash;
    sealed.push(event);
  }
  return sealed;
};

const broken = (streamId: string, what: string): VafaError =>
  new VafaError(
    "INVARIANT",
    `${streamId}: ${what}`,
    "a bug in Vafa, not a problem with the command: report it with the command and the member's events",
  );

const sum = (allocations: readonly Allocation[]): number => allocations.reduce((s, a) => s + a.points, 0);

/**
 * Pair assertions on a sealed decision (TigerBeetle style): the decider's
 * arithmetic checked again from the other side. Throws a coded `INVARIANT`
 * error (a bug, never a rejection) when revisions do not follow on, a lot id
 * is not its event's id, allocations do not sum to the points, a lot the
 * events touch ends below zero, or the debt is negative.
 */
export const assertSealed = (
  before: MemberState,
  events: readonly ProposedEvent[],
  after: MemberState,
): void => {
  const id = before.streamId;
  if (after.revision !== before.revision + events.length)
    throw broken(
      id,
      `state at revision ${after.revision} after ${events.length} events on ${before.revision}`,
    );
  const touched: string[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as ProposedEvent;
    if (e.revision !== before.revision + 1 + i)
      throw broken(id, `event ${i} has revision ${e.revision}, expected ${before.revision + 1 + i}`);
    const { type } = e;
    if (type === "PointsEarned") {
      const d = (e as ProposedEvent<"PointsEarned">).data;
      if (d.lotId !== e.eventId) throw broken(id, `lot ${d.lotId} is not its event's id ${e.eventId}`);
      if (d.debtRepaid < 0 || d.debtRepaid > d.points)
        throw broken(id, `lot ${d.lotId} repays ${d.debtRepaid} debt from ${d.points} points`);
    } else if (
      type === "PointsRedeemed" ||
      type === "PointsDebited" ||
      type === "RedemptionReversed" ||
      type === "DrawEntered"
    ) {
      const d = (
        e as ProposedEvent<"PointsRedeemed" | "PointsDebited" | "RedemptionReversed" | "DrawEntered">
      ).data;
      if (sum(d.allocations) !== d.points)
        throw broken(id, `${type} allocations sum to ${sum(d.allocations)}, not ${d.points}`);
      for (const a of d.allocations) touched.push(a.lotId);
    } else if (type === "PointsClawedBack") {
      const d = (e as ProposedEvent<"PointsClawedBack">).data;
      if (sum(d.allocations) + d.debtIncurred !== d.points)
        throw broken(
          id,
          `clawback allocations ${sum(d.allocations)} + debt ${d.debtIncurred} are not ${d.points}`,
        );
      for (const a of d.allocations) touched.push(a.lotId);
    } else if (type === "PointsExpired") touched.push((e as ProposedEvent<"PointsExpired">).data.lotId);
  }
  for (const lotId of touched) {
    const index = after.lotIndex.get(lotId);
    const lot = index === undefined ? undefined : after.lots[index];
    if (lot === undefined)
      throw broken(id, `an event takes from lot ${lotId}, which the member does not have`);
    if (lot.remaining < 0) throw broken(id, `lot ${lotId} holds ${lot.remaining} points`);
  }
  if (after.debt < 0) throw broken(id, `debt is ${after.debt}`);
};

/** A decision sealed and applied: what the application layer appends and caches. */
export type SealedDecision =
  | { ok: true; kind: "events"; events: ProposedEvent[]; state: MemberState }
  | { ok: true; kind: "replay" | "nothing-to-do"; events: []; state: MemberState }
  | { ok: false; rejection: Rejection };

/**
 * The entry point of the application layer: decide, seal the events, and
 * return them with the state they lead to (`evolve` of the sealed events on
 * `state`, which the decider computed as it went), after the pair assertions.
 */
export const decideAndSeal = (input: DecideInput, state: MemberState, ctx: DecideContext): SealedDecision =>
  sealDrafted(state, draftDecision(input, state, ctx), ctx);

/** Whether a drafted decision has a personal value to seal under `ctx.program` (club-v1 §6). */
export const needsDataKey = (d: Drafted, ctx: DecideContext): boolean =>
  d.kind === "events" &&
  encryptsPersonalData(ctx.program) &&
  d.draft.events.some((e) => hasPlainPersonalValue(e.data));

/**
 * Seals a drafted decision (see `decideAndSeal`); `dataKey` seals its personal
 * values (club-v1 §6). The state keeps the plain values: the decider sees them.
 */
export const sealDrafted = (
  state: MemberState,
  d: Drafted,
  ctx: DecideContext,
  dataKey?: Uint8Array,
): SealedDecision => {
  if (d.kind === "rejected") return { ok: false, rejection: d.rejection };
  if (d.kind !== "events") return { ok: true, kind: d.kind, events: [], state };
  const { draft } = d;
  const events = sealEvents(state, draft.events, {
    program: ctx.program,
    commandId: draft.commandId,
    correlationId: d.correlationId,
    actor: d.actor,
    dataKey,
  });
  // The draft's working copy belongs to this decision alone: it becomes the new
  // state once it has the hash link. (A spread copy here would give states a
  // second object shape, measured 3-5% slower on the ledger benchmark.)
  const after = draft.state;
  after.lastHash = events.at(-1)?.metadata.hash ?? state.lastHash;
  assertSealed(state, events, after);
  return { ok: true, kind: "events", events, state: after };
};
