import type { DrawCommand } from "../commands.js";
import type { DrawWinReaction } from "../decide/index.js";
import {
  type DrawHeldData,
  drawOutcome,
  drawStreamId,
  type Entrant,
  seedHashOf,
  ticketsAtEntryTo,
} from "../draws/tickets.js";
import { eventIdFor, type ProposedEvent, sealEvent } from "../envelope.js";
import { ConcurrencyError, type Rejection, reject } from "../errors.js";
import { parseTime, toIso } from "../primitives.js";
import type { Program } from "../program.js";
import type { EventStore } from "../store.js";
import type { CommandOutcome } from "./types.js";

// The `draw` command (club spec §3): no member, like a sweep. It appends
// DrawHeld to `draw-<drawId>`, then each winner's events in its own stream.
// The winners' events come exactly once: each winner's state records the
// draws it won, and running the same draw again completes what a crash left.

const READ_STREAMS = 1000;

export interface DrawDeps {
  store: EventStore;
  program: Program;
  maxAttempts: number;
  /** Decides and appends a winner's events (as the referral reaction); returns what it appended. */
  win(memberId: string, reaction: DrawWinReaction): Promise<ProposedEvent[]>;
}

/** Every member's tickets at the draw's entryTo (§3), read from the store. */
const entrantsFromStore = async (store: EventStore, program: Program, drawId: string): Promise<Entrant[]> => {
  const draw = program.draws?.find((d) => d.id === drawId);
  if (!draw) return [];
  const firstTier = program.tiers.levels[0]?.id as string;
  const streams = await store.listStreams("member-");
  const entrants: Entrant[] = [];
  for (let i = 0; i < streams.length; i += READ_STREAMS) {
    const read = await store.readStreams(
      streams.slice(i, i + READ_STREAMS).map((streamId) => ({ streamId })),
    );
    for (const [streamId, events] of read) {
      const tickets = ticketsAtEntryTo(draw, firstTier, events);
      if (tickets > 0) entrants.push({ memberId: streamId.slice("member-".length), tickets });
    }
  }
  return entrants;
};

const rejected = (rejection: Rejection): CommandOutcome => ({ status: "rejected", rejection });

/** Runs one `draw` command after step 1 (VALIDATION); checks in the order of §3. */
export const executeDraw = async (deps: DrawDeps, c: DrawCommand): Promise<CommandOutcome> => {
  const { store, program } = deps;
  const draw = program.draws?.find((d) => d.id === c.drawId);
  if (!draw) return rejected(reject("UNKNOWN_DRAW", `drawId: the program has no draw ${c.drawId}`));
  const at = parseTime(c.at) as number;
  const streamId = drawStreamId(draw.id);
  const commandId = `draw:${draw.id}`;
  for (let attempt = 1; ; attempt++) {
    const stored = (await store.readStream(streamId)).find((e) => e.type === "DrawHeld");
    if (stored) {
      const held = stored.data as DrawHeldData;
      if (held.seed !== c.seed || held.beacon !== c.beacon || Date.parse(stored.occurredAt) !== at)
        return rejected(
          reject(
            "ALREADY_DRAWN",
            `drawId: draw ${draw.id} was drawn at ${stored.occurredAt} with another seed, beacon or time`,
          ),
        );
      // The same draw again: a no-op, which completes winners a crash left without their events.
      const events = await completeWinners(deps, held, at);
      return { status: "accepted", events, replay: events.length === 0 };
    }
    if (at < (parseTime(draw.entryTo) as number))
      return rejected(
        reject(
          "DRAW_NOT_CLOSED",
          `at: draw ${draw.id} takes entries until ${draw.entryTo}; draw it after that`,
        ),
      );
    if (seedHashOf(c.seed) !== draw.seedHash)
      return rejected(
        reject(
          "SEED_MISMATCH",
          `seed: its sha256 is not the seedHash of draw ${draw.id}; give the committed seed`,
        ),
      );
    const held = drawOutcome(draw, c.seed, c.beacon, await entrantsFromStore(store, program, draw.id));
    const event = sealEvent(
      {
        streamId,
        revision: 0,
        lastHash: null,
        programId: program.programId,
        programVersion: program.version,
        commandId,
        correlationId: commandId,
      },
      eventIdFor(streamId, commandId, 0),
      "DrawHeld",
      toIso(at),
      held,
    ) as ProposedEvent;
    try {
      await store.appendToStream(streamId, [event], { expectedRevision: "no_stream" });
    } catch (error) {
      // Another process drew first: decide again on what it stored.
      if (!(error instanceof ConcurrencyError) || attempt >= deps.maxAttempts) throw error;
      continue;
    }
    return { status: "accepted", events: [event, ...(await completeWinners(deps, held, at))], replay: false };
  }
};

/** Each winner's events in rank order, skipping those already stored. */
const completeWinners = async (deps: DrawDeps, held: DrawHeldData, at: number): Promise<ProposedEvent[]> => {
  const draw = deps.program.draws?.find((d) => d.id === held.drawId);
  const events: ProposedEvent[] = [];
  for (const w of held.winners)
    events.push(
      ...(await deps.win(w.memberId, {
        type: "draw-win",
        drawId: held.drawId,
        rank: w.rank,
        at,
        prizePoints: draw?.prizePoints?.[w.rank - 1] ?? 0,
      })),
    );
  return events;
};
