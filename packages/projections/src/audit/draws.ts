import {
  type Draw,
  type DrawHeldData,
  type DrawWinner,
  drawOutcome,
  type Program,
  seedHashOf,
  type TicketEvent,
  type TierLevel,
  ticketsAtEntryTo,
} from "@vafa/core";
import type { EventLocation } from "./findings.js";

// Prize draws checked from the log alone (club spec §3): the tickets and
// winners re-derived from the member events and the revealed seed, the seed
// commitment published at or before entryFrom, and each winner's events.
// Shared by the audit (DRAW_MISMATCH) and `vafa draw-verify`.

/** One thing wrong with a draw; `memberId` and `rank` when it is about a winner. */
export interface DrawProblem {
  loc: EventLocation;
  message: string;
  memberId?: string;
  rank?: number;
}

interface Held {
  data: DrawHeldData;
  occurredAt: string;
  programId: string;
  programVersion: number;
  loc: EventLocation;
}

interface Win {
  memberId: string;
  rank: number;
  loc: EventLocation;
  prize: number;
}

/** A ticket purchase as the audit saw it, with the program version that priced it. */
interface Entry {
  memberId: string;
  drawId: string;
  entryId: string;
  tickets: number;
  points: number;
  programId: string;
  programVersion: number;
  loc: EventLocation;
}

/** Member event types that count for tickets (club spec §3). */
export const TICKET_TYPES = new Set(["DrawEntered", "TierChanged", "PurchaseRecorded", "PurchaseRefunded"]);
export const MEMBER = "member-";

/** Collects what the draw checks need while a log is read, and checks at the end. */
export class DrawBook {
  /** memberId -> its events that count for tickets, in stream order. */
  private readonly ticketEvents = new Map<string, TicketEvent[]>();
  private readonly held = new Map<string, Held>();
  /** drawId -> DrawWon events with the prize that followed. */
  private readonly wins = new Map<string, Win[]>();
  /** programId -> publications (program, occurredAt ms). */
  private readonly publications = new Map<string, { program: Program; at: number }[]>();
  /** Ticket purchases, for their price (audit only: draw-verify re-derives tickets and winners). */
  private readonly entries: Entry[] = [];
  /** A program with draws was published though tickets were not kept: the audit must be redone. */
  ticketsMissed = false;

  /**
   * `keepTickets: false` when no program the log can use has draws (read
   * ahead): member events are then not kept for tickets, memory per stream.
   */
  constructor(private readonly keepTickets = true) {}

  /** True when the log has anything about a draw (the audit skips the checks otherwise). */
  get any(): boolean {
    return this.held.size > 0 || this.wins.size > 0 || this.entries.length > 0;
  }

  /** A DrawEntered whose data and metadata passed their schemas (club spec §3). */
  drawEntered(
    streamId: string,
    e: {
      data: { drawId: string; entryId: string; tickets: number; points: number };
      metadata: { programId: string; programVersion: number };
    },
    loc: EventLocation,
  ): void {
    const { drawId, entryId, tickets, points } = e.data;
    const { programId, programVersion } = e.metadata;
    this.entries.push({
      memberId: streamId.slice(MEMBER.length),
      drawId,
      entryId,
      tickets,
      points,
      programId,
      programVersion,
      loc,
    });
  }

  /**
   * `DrawEntered.points = tickets × ticketCost` of the program version that
   * decided the entry (club spec §3), for every entry of a known version.
   */
  checkEntries(programOf: (programId: string, version: number) => Program | undefined): DrawProblem[] {
    const problems: DrawProblem[] = [];
    for (const x of this.entries) {
      const program = programOf(x.programId, x.programVersion);
      if (!program) continue;
      const draw = program.draws?.find((d) => d.id === x.drawId);
      const at = (message: string) => problems.push({ loc: x.loc, message });
      const which = `entry ${x.entryId} of ${x.memberId}`;
      if (!draw) at(`${which}: program ${x.programId} version ${x.programVersion} has no draw ${x.drawId}`);
      else if (draw.ticketCost === undefined)
        at(`${which}: draw ${x.drawId} sells no tickets, yet ${x.tickets} were bought`);
      else if (x.points !== x.tickets * draw.ticketCost)
        at(
          `${which}: ${x.points} points for ${x.tickets} tickets; the draw charges ${x.tickets} × ${draw.ticketCost} = ${x.tickets * draw.ticketCost}`,
        );
    }
    return problems;
  }

  /** A member event whose data passed its schema, in stream order. */
  memberEvent(streamId: string, e: TicketEvent, loc: EventLocation): void {
    const memberId = streamId.slice(MEMBER.length);
    if (TICKET_TYPES.has(e.type)) {
      if (!this.keepTickets) return;
      const list = this.ticketEvents.get(memberId);
      if (list) list.push(e);
      else this.ticketEvents.set(memberId, [e]);
      return;
    }
    const d = e.data as { drawId?: string; rank?: number; reason?: string; points?: number };
    if (e.type === "DrawWon" && d.drawId !== undefined) {
      const list = this.wins.get(d.drawId) ?? [];
      list.push({ memberId, rank: d.rank as number, loc, prize: 0 });
      this.wins.set(d.drawId, list);
    } else if (e.type === "PointsEarned" && d.reason === "draw" && d.drawId !== undefined) {
      const win = this.wins.get(d.drawId)?.findLast((w) => w.memberId === memberId);
      if (win) win.prize += d.points ?? 0;
    }
  }

  drawHeld(
    e: { occurredAt: string; data: DrawHeldData; metadata: { programId: string; programVersion: number } },
    loc: EventLocation,
  ): void {
    this.held.set(e.data.drawId, {
      data: e.data,
      occurredAt: e.occurredAt,
      programId: e.metadata.programId,
      programVersion: e.metadata.programVersion,
      loc,
    });
  }

  published(program: Program, occurredAt: string): void {
    if (!this.keepTickets && (program.draws?.length ?? 0) > 0) this.ticketsMissed = true;
    const list = this.publications.get(program.programId) ?? [];
    list.push({ program, at: Date.parse(occurredAt) });
    this.publications.set(program.programId, list);
  }

  /** The recorded DrawHeld of a draw, if any. */
  recorded(drawId: string): DrawHeldData | undefined {
    return this.held.get(drawId)?.data;
  }

  /**
   * Checks every draw (or one). `programOf` gives the program version a
   * DrawHeld names; when it is unknown the draw is reported only if `strict`
   * (the audit skips program checks it cannot make; draw-verify cannot
   * re-derive without it).
   */
  check(
    programOf: (programId: string, version: number) => Program | undefined,
    options: { strict: boolean; drawId?: string },
  ): DrawProblem[] {
    const problems: DrawProblem[] = [];
    for (const [drawId, held] of this.held) {
      if (options.drawId !== undefined && drawId !== options.drawId) continue;
      const program = programOf(held.programId, held.programVersion);
      if (!program) {
        if (options.strict)
          problems.push({
            loc: held.loc,
            message: `program ${held.programId} version ${held.programVersion} is not in the log; give it with --program`,
          });
        continue;
      }
      problems.push(...this.checkDraw(drawId, held, program));
    }
    // The one draw draw-verify asks for is held: none of its DrawWon lacks a DrawHeld.
    if (options.drawId === undefined)
      for (const [drawId, wins] of this.wins) {
        if (!this.held.has(drawId))
          for (const w of wins)
            problems.push({
              loc: w.loc,
              message: `DrawWon of draw ${drawId}, which has no DrawHeld`,
              memberId: w.memberId,
              rank: w.rank,
            });
      }
    return problems;
  }

  /** The tickets of every member at the draw's entryTo. */
  private entrants(program: Program, draw: Draw): { memberId: string; tickets: number }[] {
    // A program has at least one level (its schema).
    const firstTier = (program.tiers.levels[0] as TierLevel).id;
    return [...this.ticketEvents].map(([memberId, events]) => ({
      memberId,
      tickets: ticketsAtEntryTo(draw, firstTier, events),
    }));
  }

  private checkDraw(drawId: string, held: Held, program: Program): DrawProblem[] {
    const problems: DrawProblem[] = [];
    const at = (message: string, winner?: { memberId: string; rank: number }, loc = held.loc) =>
      problems.push({ loc, message, ...(winner ? { memberId: winner.memberId, rank: winner.rank } : {}) });
    if (held.loc.streamId !== `draw-${drawId}`) at(`DrawHeld of ${drawId} in stream ${held.loc.streamId}`);
    const draw = program.draws?.find((d) => d.id === drawId);
    if (!draw) {
      at(`program ${program.programId} version ${program.version} has no draw ${drawId}`);
      return problems;
    }
    if (seedHashOf(held.data.seed) !== draw.seedHash)
      at(`the seed's sha256 is not the seedHash ${draw.seedHash} of draw ${drawId}`);
    const entryFrom = Date.parse(draw.entryFrom);
    const commits = (this.publications.get(program.programId) ?? []).filter((p) =>
      p.program.draws?.some((d) => d.id === drawId && d.seedHash === draw.seedHash),
    );
    const first = commits.reduce((min, p) => Math.min(min, p.at), Number.POSITIVE_INFINITY);
    if (commits.length === 0 && this.publications.has(program.programId))
      at(`no published version of program ${program.programId} holds the seedHash of draw ${drawId}`);
    else if (commits.length > 0 && first > entryFrom)
      at(
        `the seedHash of draw ${drawId} was published at ${new Date(first).toISOString()}, after entryFrom ${draw.entryFrom}`,
      );
    if (Date.parse(held.occurredAt) < Date.parse(draw.entryTo))
      at(`draw ${drawId} was held at ${held.occurredAt}, before entryTo ${draw.entryTo}`);

    const derived = drawOutcome(draw, held.data.seed, held.data.beacon, this.entrants(program, draw));
    const recorded = held.data;
    const ranks = Math.max(recorded.winners.length, derived.winners.length);
    for (let j = 0; j < ranks; j++) {
      const r = recorded.winners[j];
      const d = derived.winners[j];
      if (r && d && r.memberId === d.memberId && r.tickets === d.tickets && r.rank === d.rank) continue;
      at(`rank ${j + 1}: recorded ${describe(r)}, re-derived ${describe(d)}`, r ?? d);
    }
    if (recorded.tickets !== derived.tickets || recorded.entrants !== derived.entrants)
      at(
        `recorded ${recorded.tickets} tickets of ${recorded.entrants} entrants, re-derived ${derived.tickets} of ${derived.entrants}`,
      );

    // Each recorded winner's DrawWon and prize, once (§3).
    const wins = this.wins.get(drawId) ?? [];
    for (const w of recorded.winners) {
      const mine = wins.filter((x) => x.memberId === w.memberId);
      const [won, again] = mine;
      const prize = draw.prizePoints?.[w.rank - 1] ?? 0;
      if (!won) at(`rank ${w.rank}: ${w.memberId} has no DrawWon (run the draw again)`, w);
      else if (again) at(`rank ${w.rank}: ${w.memberId} has ${mine.length} DrawWon`, w, again.loc);
      else if (won.rank !== w.rank)
        at(`rank ${w.rank}: ${w.memberId}'s DrawWon says rank ${won.rank}`, w, won.loc);
      else if (won.prize !== prize)
        at(
          `rank ${w.rank}: ${w.memberId} got ${won.prize} prize points, the draw gives ${prize}`,
          w,
          won.loc,
        );
    }
    for (const x of wins)
      if (!recorded.winners.some((w) => w.memberId === x.memberId))
        at(`${x.memberId} has a DrawWon of ${drawId} but is not a recorded winner`, x, x.loc);
    return problems;
  }
}

const describe = (w: DrawWinner | undefined): string =>
  w === undefined ? "no winner" : `${w.memberId} (${w.tickets} tickets)`;
